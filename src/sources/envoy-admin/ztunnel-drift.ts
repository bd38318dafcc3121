/**
 * Stale ambient config: what the ztunnel on a pod's node holds for it (its config_dump) against
 * what the Snapshot says ztunnel should enforce there (README "Ambient mode": selector, namespace and
 * root policies are ztunnel's). Policies istiod converts from PeerAuthentication carry names with `_`
 * (illegal in Kubernetes, istio/istio pilot/pkg/model/authentication.go convertedPeerAuthenticationPrefix,
 * pilot/pkg/serviceregistry/ambient/authorization.go istio_converted_static_strict) and are not compared.
 */
import { ztunnelAuthzPolicies } from '../../engine/index.js';
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { policiesForWorkload, type ZtunnelDump, type ZtunnelPolicy } from '../../parsers/ztunnel-config-dump.js';

export interface ZtunnelRow {
  readonly action: string;
  /** `name.namespace`, as the authz-check table names policies */
  readonly policy: string;
  readonly rules: number;
}

export interface ZtunnelDrift {
  readonly rows: readonly ZtunnelRow[];
  /** one line per difference; empty when ztunnel agrees with the Snapshot */
  readonly messages: readonly string[];
}

const fromPeerAuthentication = (p: ZtunnelPolicy): boolean => p.name.includes('_');
const upper = (action: string): string => action.toUpperCase();

/** ztunnel's workload for the pod: by uid `CLUSTER//Pod/NS/NAME` or by name (src/state/workload.rs uid). */
function workloadOf(dump: ZtunnelDump, pod: Pod) {
  return dump.workloads.find(
    (w) =>
      w.namespace === pod.namespace && (w.name === pod.name || w.uid.endsWith(`/Pod/${pod.namespace}/${pod.name}`)),
  );
}

export function ztunnelDrift(snapshot: Snapshot, pod: Pod, dump: ZtunnelDump): ZtunnelDrift {
  const w = workloadOf(dump, pod);
  const where = `${pod.namespace}/${pod.name}`;
  if (w === undefined)
    return {
      rows: [],
      messages: [`ztunnel does not know ${where}: not captured yet (istio-cni), or not in the mesh`],
    };
  const held = policiesForWorkload(dump, w).filter((p) => !fromPeerAuthentication(p) && !p.dryRun);
  const rows = held.map((p) => ({
    action: upper(p.action),
    policy: `${p.name}.${p.namespace}`,
    rules: p.rules,
  }));
  const messages: string[] = [];
  if (w.protocol !== 'HBONE')
    messages.push(`ztunnel reaches ${where} in plain ${w.protocol}, not HBONE: it is not captured into ambient`);
  const expected = ztunnelAuthzPolicies(snapshot, pod).enforced;
  const key = (ns: string, name: string): string => `${ns}/${name}`;
  const onZtunnel = new Map(held.map((p) => [key(p.namespace, p.name), upper(p.action)]));
  const inSnapshot = new Map(expected.map((p) => [key(p.namespace, p.name), p.action]));
  for (const [k, action] of onZtunnel) {
    const want = inSnapshot.get(k);
    if (want === undefined)
      messages.push(`ztunnel enforces ${action} ${k}, which the Snapshot does not: stale or newer config`);
    else if (want !== action) messages.push(`ztunnel enforces ${k} as ${action}, the Snapshot as ${want}`);
  }
  for (const [k, action] of inSnapshot)
    if (!onZtunnel.has(k))
      messages.push(
        `the Snapshot has ${action} ${k}, which ztunnel does not enforce yet (not pushed, or rejected by istiod)`,
      );
  return { rows, messages };
}
