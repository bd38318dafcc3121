/**
 * NetworkPolicy per hop of an ambient flow. HBONE tunnels traffic between mesh pods on TCP 15008,
 * and NetworkPolicy, enforced on the host, sees that port: source -> waypoint -> destination, or
 * source -> destination (https://istio.io/latest/docs/ambient/usage/networkpolicy/, "Ambient traffic
 * overlay and Kubernetes NetworkPolicy"). Plaintext hops (to or from out-of-mesh peers) use the app port.
 */
import type { Protocol } from '../../model/k8s.js';
import type { Snapshot, Cni } from '../../model/snapshot.js';
import type { Endpoint } from '../flow.js';
import type { Fix } from '../explanation.js';
import { runLayers, type PipelineLayer, type PipelineResult } from '../layer.js';
import { evaluateEgress, evaluateIngress } from '../network-policy/evaluate.js';
import { networkStep } from '../explain/network-steps.js';
import { networkPolicyFix } from '../explain/network-fix.js';
import { HBONE_PORT } from '../../model/ambient.js';

export interface Hop {
  /** e.g. `source -> waypoint` */
  readonly name: string;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol: Protocol;
  readonly port: number;
}

/** What a hop layer reads: the Snapshot and the CNI that enforces NetworkPolicy. */
export interface HopContext {
  readonly snapshot: Snapshot;
  readonly cni: Cni;
}

function teach(f: Fix, hop: Hop): Fix {
  if (hop.port !== HBONE_PORT) return f;
  return {
    ...f,
    why: `${f.why}. Ambient traffic between mesh pods is HBONE on TCP ${HBONE_PORT} (${hop.name}): allow TCP ${HBONE_PORT} in this NetworkPolicy`,
  };
}

function hopLayer(hop: Hop, direction: 'egress' | 'ingress'): PipelineLayer<HopContext> {
  const name = direction === 'egress' ? 'networkpolicy-egress' : 'networkpolicy-ingress';
  return {
    name,
    enforcer: null,
    evaluate: ({ snapshot, cni }) => {
      const { from, to, protocol, port } = hop;
      const r =
        direction === 'egress'
          ? from.type === 'pod'
            ? evaluateEgress(snapshot, from, to, protocol, port, cni)
            : null
          : to.type === 'pod'
            ? evaluateIngress(snapshot, from, to, protocol, port, cni)
            : null;
      const s = networkStep(name, r, direction === 'egress' ? from : to);
      const f = r ? networkPolicyFix(direction, r, from, to, protocol, port) : null;
      return {
        step: { ...s, summary: `[${hop.name}, ${protocol} ${port}] ${s.summary}`, hop: hop.name },
        response: null,
        conditions: r?.uncertain ?? [],
        fix: f ? [teach(f, hop)] : [],
      };
    },
  };
}

/** Each hop's NetworkPolicy egress and ingress layers, in the order traffic meets them. */
export function hopLayers(hops: readonly Hop[]): PipelineLayer<HopContext>[] {
  return hops.flatMap((hop) => [hopLayer(hop, 'egress'), hopLayer(hop, 'ingress')]);
}

export function evaluateHops(snapshot: Snapshot, hops: readonly Hop[], cni: Cni): PipelineResult {
  return runLayers(hopLayers(hops), { snapshot, cni });
}
