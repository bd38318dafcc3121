/**
 * Waypoints without istiod: a Gateway of class istio-waypoint gets the status istiod writes once
 * the waypoint is deployed (an address, Accepted and Programmed true), through the status
 * subresource, as pods get a kubelet's status in pods.ts. Without it the apiserver keeps the
 * CRD's default status (Programmed Unknown, reason Pending; sigs.k8s.io/gateway-api
 * config/crd/standard/gateway.networking.k8s.io_gateways.yaml), which meshdbg rightly reads as a
 * waypoint that is not ready.
 */
import type { Manifest } from './apply.js';
import { expectOk, type RestClient } from './rest.js';

const WAYPOINT_CLASS = 'istio-waypoint';

function condition(type: string, now: string): Record<string, unknown> {
  return {
    type,
    status: 'True',
    reason: type,
    message: 'written by the meshdbg test harness',
    lastTransitionTime: now,
  };
}

export async function markWaypointsProgrammed(client: RestClient, manifests: readonly Manifest[]): Promise<number> {
  const waypoints = manifests.filter(
    (m) =>
      m.kind === 'Gateway' &&
      (m['spec'] as { gatewayClassName?: string } | undefined)?.gatewayClassName === WAYPOINT_CLASS,
  );
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const [i, m] of waypoints.entries()) {
    const namespace = String(m.metadata['namespace'] ?? 'default');
    const name = String(m.metadata['name']);
    const status = {
      addresses: [{ type: 'IPAddress', value: `10.96.200.${i + 1}` }],
      conditions: [condition('Accepted', now), condition('Programmed', now)],
    };
    const path = `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/gateways/${name}/status`;
    await expectOk(client.call('PATCH', path, { status }, 'application/merge-patch+json'), `status of Gateway ${name}`);
  }
  return waypoints.length;
}
