/** Snapshot-wide checks beyond what the API server validates (warnings and info). */
import type { Snapshot } from '../model/snapshot.js';
import { finding, placePrefix, type Finding } from '../model/findings.js';
import { selectorMatches, formatSelector } from '../model/selectors.js';
import type { NetworkPolicy } from '../model/k8s.js';

function ref(p: NetworkPolicy): { kind: string; namespace: string; name: string } {
  return { kind: 'NetworkPolicy', namespace: p.namespace, name: p.name };
}

function where(p: NetworkPolicy): string {
  return `${placePrefix(p.loc)}NetworkPolicy ${p.namespace}/${p.name}`;
}

/** Separate namespaceSelector and podSelector list items are ORed, which is rarely what was meant. */
function peerOrNotAnd(p: NetworkPolicy): Finding[] {
  const out: Finding[] = [];
  for (const [section, rules] of [
    ['ingress', p.ingress],
    ['egress', p.egress],
  ] as const) {
    rules.forEach((rule, i) => {
      const peers = rule.peers ?? [];
      const nsOnly = peers.filter((x) => x.type === 'selector' && x.namespaceSelector && !x.podSelector);
      const podOnly = peers.filter((x) => x.type === 'selector' && x.podSelector && !x.namespaceSelector);
      if (nsOnly.length && podOnly.length) {
        const key = section === 'ingress' ? 'from' : 'to';
        out.push(
          finding(
            'peer-or-not-and',
            `${where(p)}: spec.${section}[${i}].${key} lists a namespaceSelector and a podSelector as separate items, so they are ORed: every pod in the matching namespaces is admitted, not only the selected pods. To require both, put them in ONE item (remove the "-" before podSelector)`,
            { object: ref(p), field: `spec.${section}[${i}].${key}`, loc: p.loc },
          ),
        );
      }
    });
  }
  return out;
}

function egressWithoutTypes(p: NetworkPolicy): Finding[] {
  const raw = p.raw as { spec?: Record<string, unknown> };
  // a scalar or list spec is an invalid-field finding from the converter, not a crash here
  const spec = raw.spec !== null && typeof raw.spec === 'object' && !Array.isArray(raw.spec) ? raw.spec : {};
  const hasTypes = Array.isArray(spec['policyTypes']) && (spec['policyTypes'] as unknown[]).length > 0;
  if (hasTypes || !('egress' in spec) || p.affectsEgress) return [];
  return [
    finding(
      'egress-without-policytypes',
      `${where(p)}: has "egress: []" but no policyTypes, so Kubernetes defaults policyTypes to [Ingress]: it isolates ingress and leaves egress open. Add "policyTypes: [Egress]" (and Ingress if meant)`,
      { object: ref(p), field: 'spec.policyTypes', loc: p.loc },
    ),
  ];
}

function selectsNothing(snapshot: Snapshot, p: NetworkPolicy): Finding[] {
  const pods = snapshot.index.podsByNamespace.get(p.namespace) ?? [];
  const matching = pods.filter((pod) => selectorMatches(p.podSelector, pod.labels));
  if (matching.some((pod) => !pod.hostNetwork)) return [];
  const why = matching.length
    ? `selects only host-network pods (${matching.map((m) => m.name).join(', ')}), which NetworkPolicy never selects: their traffic is node traffic`
    : 'selects no pod in the input';
  return [
    finding('selector-matches-nothing', `${where(p)}: podSelector ${formatSelector(p.podSelector)} ${why}`, {
      object: ref(p),
      field: 'spec.podSelector',
      loc: p.loc,
    }),
  ];
}

export function lintNetworkPolicies(snapshot: Snapshot): Finding[] {
  return snapshot.networkPolicies.flatMap((p) => [
    ...peerOrNotAnd(p),
    ...egressWithoutTypes(p),
    ...(snapshot.pods.length ? selectsNothing(snapshot, p) : []),
  ]);
}
