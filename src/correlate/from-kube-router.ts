/**
 * kube-router NFLOG packets -> denials. The pod firewall chain logs a packet no policy allowed and
 * then REJECTs it (cloudnativelabs/kube-router pkg/controllers/netpol/pod.go); k3s also logs it at the
 * end of each selecting policy's chain as `DROP by policy NS/NAME`. That policy copy alone is `likely`:
 * another policy selecting the pod may still allow the packet (k3s-io/k3s#9032); with the pod chain's
 * copy of the same packet (same IP ID) the drop is `certain`. The chain serves both directions and the
 * line names no rule, so layer and rule stay unknown.
 */
import type { PolicyMention } from '../engine/index.js';
import type { KubeRouterPacketLog } from '../parsers/log-event.js';
import type { CorrelationContext, Draft, DraftResult } from './draft.js';
import { fixedReporter } from './reporter.js';
import { resolveAddress } from './resolve-peer.js';

function mentionOf(p: { namespace: string; name: string }): PolicyMention {
  // no rule and no direction: the policy as a whole, like ztunnel's `AuthorizationPolicy:NS/NAME`
  return {
    kind: 'NetworkPolicy',
    namespace: p.namespace,
    name: p.name,
    rule: null,
    ruleRef: `NetworkPolicy:${p.namespace}/${p.name}`,
  };
}

function reasonOf(policy: { namespace: string; name: string } | null, paired: boolean): string {
  const named = policy === null ? '' : `NetworkPolicy ${policy.namespace}/${policy.name}`;
  if (paired)
    return `kube-router rejected the packet (NFLOG group 100, then REJECT); ${named} selects the pod and none of its rules allowed the packet`;
  if (policy !== null)
    return `k3s logged the packet at the end of ${named} (none of its rules allowed it); another policy selecting the pod may still allow it`;
  return 'an NFLOG packet without prefix: kube-router logs so the packets its pod firewall chain rejects (NFLOG group 100); the line names no policy';
}

/** `paired`: the pod chain's copy of a packet a k3s policy line named. */
export function kubeRouterPacketDraft(ctx: CorrelationContext, e: KubeRouterPacketLog, paired = false): DraftResult {
  const named = e.policy === null ? null : mentionOf(e.policy);
  const protocol = (e.protocol ?? '').toUpperCase() === 'TCP' ? 'TCP' : null;
  const draft: Draft = {
    kind: 'Denial',
    time: e.time,
    cause: 'kube-router',
    source: resolveAddress(ctx.snapshot, e.src, null),
    destination: resolveAddress(ctx.snapshot, e.dst, null),
    request: { protocol, method: null, path: null, host: null, port: e.dstPort, sni: null, status: null },
    layer: null,
    policy: named,
    ruleRef: null,
    policyId: e.policy === null ? null : `${e.policy.namespace}/${e.policy.name}`,
    policyInSnapshot: null,
    enforcement: 'enforced',
    attribution: named === null ? 'unknown' : 'policy',
    confidence: paired ? 'certain' : 'likely',
    reporter: fixedReporter('kube-router', e.origin),
    reason: reasonOf(e.policy, paired),
    nearestMiss: [],
    heuristicJoin: false,
    evidence: e.evidence,
  };
  return { draft, enrich: { type: 'none' } };
}

/** What the pod chain's copy of an already-logged packet changes: the drop is now certain. */
export function pairedWithPodChain(d: Draft): Pick<Draft, 'confidence' | 'reason'> {
  const p = d.policy;
  return {
    confidence: 'certain',
    reason: reasonOf(p === null || p.namespace === null ? null : { namespace: p.namespace, name: p.name }, true),
  };
}
