/**
 * The NetworkPolicy layers of every data plane: egress at the sending pod, ingress at the
 * receiving pod, per hop. A sidecar (or no) mesh has one hop, the flow itself, on the app port.
 * In ambient mode HBONE tunnels traffic between mesh pods on TCP 15008, and NetworkPolicy, enforced
 * on the host, sees that port: source -> waypoint -> destination, or source -> destination
 * (https://istio.io/latest/docs/ambient/usage/networkpolicy/, "Ambient traffic overlay and
 * Kubernetes NetworkPolicy"); plaintext hops (to or from out-of-mesh peers) use the app port.
 */
import type { Protocol } from '../../model/k8s.js';
import type { Snapshot, Cni } from '../../model/snapshot.js';
import type { Endpoint, FlowContext } from '../flow.js';
import type { Fix } from '../explanation.js';
import type { PipelineLayer } from '../layer.js';
import { evaluateEgress, evaluateIngress } from '../network-policy/evaluate.js';
import { networkStep } from './network-steps.js';
import { networkPolicyFix } from './network-fix.js';
import { undefinedOrderConditions } from './conditions.js';
import { HBONE_PORT } from '../../model/ambient.js';

export interface Hop {
  /** e.g. `source -> waypoint`; null for the flow itself (a sidecar mesh's only hop, reported unlabelled) */
  readonly name: string | null;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol: Protocol;
  readonly port: number;
}

/** What a NetworkPolicy layer reads: the Snapshot, the CNI that enforces NetworkPolicy, whether fixes are wanted. */
export interface HopContext {
  readonly snapshot: Snapshot;
  readonly cni: Cni;
  /** only the verdict is wanted (`map`): no fix is built */
  readonly verdictOnly: boolean;
}

/** A layer result's lists when empty (most flows): one frozen list shared, not a new one per flow. */
const NONE: readonly never[] = Object.freeze([]);

function teach(f: Fix, hop: Hop): Fix {
  if (hop.name === null || hop.port !== HBONE_PORT) return f;
  return {
    ...f,
    why: `${f.why}. Ambient traffic between mesh pods is HBONE on TCP ${HBONE_PORT} (${hop.name}): allow TCP ${HBONE_PORT} in this NetworkPolicy`,
  };
}

function hopLayer<C extends HopContext>(hopOf: (c: C) => Hop, direction: 'egress' | 'ingress'): PipelineLayer<C> {
  const name = direction === 'egress' ? 'networkpolicy-egress' : 'networkpolicy-ingress';
  return {
    name,
    enforcer: null,
    evaluate: (c) => {
      const { snapshot, cni, verdictOnly } = c;
      const hop = hopOf(c);
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
      const f = r && !verdictOnly ? networkPolicyFix(direction, r, from, to, protocol, port) : null;
      return {
        step:
          hop.name === null ? s : { ...s, summary: `[${hop.name}, ${protocol} ${port}] ${s.summary}`, hop: hop.name },
        response: null,
        conditions:
          r && (r.undefinedOrder || r.uncertain?.length)
            ? [...undefinedOrderConditions(r), ...(r.uncertain ?? [])]
            : NONE,
        fix: f ? [teach(f, hop)] : NONE,
      };
    },
  };
}

/** Each hop's NetworkPolicy egress and ingress layers, in the order traffic meets them. */
export function hopLayers(hops: readonly Hop[]): PipelineLayer<HopContext>[] {
  return hops.flatMap((hop) => [hopLayer(() => hop, 'egress'), hopLayer(() => hop, 'ingress')]);
}

/** The flow itself as the one (unlabelled) hop: its endpoints, protocol and app port. */
function flowHop(c: { readonly flow: FlowContext }): Hop {
  const { source: from, destination: to, protocol, port } = c.flow;
  return { name: null, from, to, protocol, port };
}

/** The NetworkPolicy egress and ingress layers of a flow that is its own only hop (made once, not per flow). */
export const FLOW_HOP_LAYERS: readonly PipelineLayer<HopContext & { readonly flow: FlowContext }>[] = [
  hopLayer<HopContext & { readonly flow: FlowContext }>(flowHop, 'egress'),
  hopLayer<HopContext & { readonly flow: FlowContext }>(flowHop, 'ingress'),
];
