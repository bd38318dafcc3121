/**
 * NetworkPolicy per hop of an ambient flow. HBONE tunnels traffic between mesh pods on TCP 15008,
 * and NetworkPolicy, enforced on the host, sees that port: source -> waypoint -> destination, or
 * source -> destination (https://istio.io/latest/docs/ambient/usage/networkpolicy/, "Ambient traffic
 * overlay and Kubernetes NetworkPolicy"). Plaintext hops (to or from out-of-mesh peers) use the app port.
 */
import type { Protocol } from '../../model/k8s.js';
import type { Snapshot, Cni } from '../../model/snapshot.js';
import type { Endpoint } from '../flow.js';
import type { Condition, Fix, Step } from '../explanation.js';
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

export interface HopsOutcome {
  readonly steps: Step[];
  readonly fix: Fix[];
  readonly conditions: Condition[];
  /** true when a hop's egress or ingress denies (the client then sees the CNI's answer) */
  readonly denied: boolean;
}

function teach(f: Fix, hop: Hop): Fix {
  if (hop.port !== HBONE_PORT) return f;
  return {
    ...f,
    why: `${f.why}. Ambient traffic between mesh pods is HBONE on TCP ${HBONE_PORT} (${hop.name}): allow TCP ${HBONE_PORT} in this NetworkPolicy`,
  };
}

export function evaluateHops(snapshot: Snapshot, hops: readonly Hop[], cni: Cni): HopsOutcome {
  const steps: Step[] = [];
  const fix: Fix[] = [];
  const conditions: Condition[] = [];
  let denied = false;
  for (const hop of hops) {
    const egress =
      hop.from.type === 'pod' ? evaluateEgress(snapshot, hop.from, hop.to, hop.protocol, hop.port, cni) : null;
    const ingress =
      hop.to.type === 'pod' ? evaluateIngress(snapshot, hop.from, hop.to, hop.protocol, hop.port, cni) : null;
    const tag = (s: Step): Step => ({
      ...s,
      summary: `[${hop.name}, ${hop.protocol} ${hop.port}] ${s.summary}`,
      hop: hop.name,
    });
    steps.push(tag(networkStep('networkpolicy-egress', egress, hop.from)));
    steps.push(tag(networkStep('networkpolicy-ingress', ingress, hop.to)));
    for (const [direction, r] of [
      ['egress', egress],
      ['ingress', ingress],
    ] as const) {
      if (!r) continue;
      if (r.verdict === 'denied') denied = true;
      conditions.push(...(r.uncertain ?? []));
      const f = networkPolicyFix(direction, r, hop.from, hop.to, hop.protocol, hop.port);
      if (f) fix.push(teach(f, hop));
    }
  }
  return { steps, fix, conditions, denied };
}
