/** NetworkPolicy tier results -> explain steps with a one-line summary each. */
import type { Endpoint } from '../flow.js';
import type { Step } from '../explanation.js';
import type { TierResult } from '../network-policy/types.js';
import { describeEndpoint } from '../network-policy/endpoint.js';

type Named = { readonly kind: string; readonly namespace: string | null; readonly name: string };

/** Per mention (mentions are shared by every answer that names the rule): its `Kind ns/name`. */
const whoMemo = new WeakMap<Named, string>();

function who(m: Named): string {
  let text = whoMemo.get(m);
  if (text === undefined) whoMemo.set(m, (text = `${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`));
  return text;
}

/** Per list of mentions (an isolated pod's list is shared by every flow it isolates): `who` of each, joined. */
const whoListMemo = new WeakMap<readonly Named[], string>();

function whoList(list: readonly Named[]): string {
  let text = whoListMemo.get(list);
  if (text === undefined) whoListMemo.set(list, (text = list.map(who).join(', ')));
  return text;
}

function summarize(result: TierResult, side: string, direction: 'egress' | 'ingress'): string {
  const first = result.policies[0];
  const passed = result.passedBy?.length ? ` (after ${result.passedBy.map(who).join(', ')} passed)` : '';
  switch (result.tier) {
    case 'calico':
      return result.summary ?? `Calico policy ${result.verdict === 'allowed' ? 'allows' : 'denies'} it`;
    case 'node':
      return `${side} receives it from its own node (host network): the node exception of NetworkPolicy lets it in`;
    case 'self':
      return `${side} talks to itself: NetworkPolicy cannot block a pod's traffic to itself`;
    case 'default':
      return `${side} is not isolated for ${direction}: allowed${passed}`;
    case 'admin':
    case 'baseline':
      if (result.verdict === 'conditional')
        return `${first ? `${who(first)} rule ${first.rule ?? ''}` : 'admin policy'} may apply: ${(result.uncertain ?? []).map((u) => u.message).join('; ')} (${result.tier} tier)`;
      return `${first ? `${who(first)} rule ${first.rule ?? ''}` : 'admin policy'} ${result.verdict === 'allowed' ? 'allows' : 'denies'} it (${result.tier} tier)`;
    case 'networkpolicy':
      if (result.verdict === 'conditional') {
        return `${side} is isolated for ${direction} by ${whoList(result.policies)}; allowed only if: ${(result.uncertain ?? []).map((u) => u.message).join('; ')}`;
      }
      if (result.verdict === 'allowed') {
        return `allowed by ${result.policies.map((p) => `${who(p)} ${direction}[${p.rule ?? ''}]`).join(', ')}${passed}`;
      }
      return `${side} is isolated for ${direction} by ${whoList(result.policies)} and no ${direction} rule allows it${passed}`;
  }
}

export function networkStep(
  layer: 'networkpolicy-egress' | 'networkpolicy-ingress',
  result: TierResult | null,
  endpoint: Endpoint,
): Step {
  const direction = layer === 'networkpolicy-egress' ? 'egress' : 'ingress';
  if (!result) {
    return {
      layer,
      verdict: 'not-applicable',
      effective: true,
      summary: `${describeEndpoint(endpoint)} is outside the cluster: no NetworkPolicy applies to its ${direction}`,
      policies: [],
    };
  }
  const summary = summarize(result, describeEndpoint(endpoint), direction);
  // the tier's own list when nothing passed (kept per pod class, not copied per flow)
  const policies = result.passedBy?.length ? [...result.passedBy, ...result.policies] : result.policies;
  const { verdict, misses, tier } = result;
  // written out, keys in their JSON order (misses before tier): no spread per flow
  return misses.length
    ? { layer, verdict, effective: true, summary, policies, misses, tier }
    : { layer, verdict, effective: true, summary, policies, tier };
}
