/**
 * libcalico-go updateprocessors rules_test.go (provenance in the fixture): the v1 selectors felix
 * gets for a rule's selector, notSelector, namespaceSelector and serviceAccounts, in a namespaced or
 * a global policy. Each vector's expected selector is evaluated on the labels felix gives every
 * endpoint of a small cluster (pod labels, projectcalico.org/namespace, /orchestrator,
 * /serviceaccount, the namespace's labels as pcns.*, the ServiceAccount's as pcsa.*; a
 * GlobalNetworkSet's own labels; nothing for an outside address), and explain must match exactly
 * the same peers with a rule carrying the v3 entity (a Deny rule ahead of an Allow).
 * The cluster is scaffolding; the answers come from Calico's expected selectors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { PeerSpec } from '../../../src/engine/explanation.js';
import type { Labels } from '../../../src/model/k8s.js';
import { calicoSelectorMatches, parseCalicoSelector } from '../../../src/model/calico/selector.js';

interface RuleSelectorCase {
  it: string;
  namespace: string;
  side: 'source' | 'destination';
  entity: Record<string, unknown>;
  expected: { selector: string; notSelector: string };
  note?: string;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/updateprocessors-rule-selector-cases.json', import.meta.url), 'utf8'),
) as { provenance: string; cases: RuleSelectorCase[] };

// ---- scaffolding ----
const NAMESPACES: Record<string, Labels> = {
  namespace: { key: 'value', nskey: 'nsvalue' },
  namespace1: { namespacelabel1: 'value1' },
  namespace2: { namespacelabel2: 'value2', key: 'other' },
  red: { namespace: 'red', namespacelabel1: 'value1', namespacelabel2: 'value2' },
  blue: {},
};
const SERVICE_ACCOUNTS: Record<string, Labels> = {
  default: {},
  sa1: { key: 'value1' },
  sa2: { key: 'value2' },
  sa3: { key: 'value2' },
  sa4: { key: 'value1' },
};
const PODS: [Labels, string][] = [
  [{ mylabel: 'value1' }, 'sa1'],
  [{ mylabel: 'value1', label1: 'x' }, 'sa2'],
  [{ label2: 'x' }, 'sa3'],
  [{ label1: 'x', label2: 'x', label3: 'x' }, 'sa4'],
  [{ foo: 'x' }, 'default'],
  [{}, 'sa1'],
  [{ label1: 'x', label3: 'x' }, 'sa3'],
  [{ mylabel: 'value1', label2: 'x' }, 'sa2'],
];
const NETWORK_SETS: { name: string; labels: Labels; net: string; probe: string }[] = [
  { name: 'gns-a', labels: { label3: 'x', label2: 'x', foo: 'x' }, net: '203.0.113.0/24', probe: '203.0.113.5' },
  { name: 'gns-b', labels: { mylabel: 'value1', label1: 'x' }, net: '198.51.100.0/24', probe: '198.51.100.5' },
];
const OUTSIDE = '8.8.8.8';
const SUBJECT = { subject: 'the-subject' };

const nsLabels = (ns: string): Labels => ({ ...NAMESPACES[ns], 'kubernetes.io/metadata.name': ns });

let yaml = '';
interface Peer {
  spec: PeerSpec;
  /** the labels felix matches selectors against; null for an address outside every endpoint and set */
  felixLabels: Labels | null;
}
const peers: Peer[] = [];
Object.keys(NAMESPACES).forEach((ns, n) => {
  yaml += `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: ${JSON.stringify(nsLabels(ns))}}\n`;
  for (const [sa, labels] of Object.entries(SERVICE_ACCOUNTS))
    yaml += `---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${sa}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}\n`;
  const pods: [string, Labels, string][] = [
    ['subject', SUBJECT, 'default'],
    ...PODS.map(([labels, sa], i): [string, Labels, string] => [`p${i}`, labels, sa]),
  ];
  pods.forEach(([name, labels, sa], i) => {
    yaml += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}
spec: {serviceAccountName: ${sa}, containers: [{name: c, image: x}]}\nstatus: {podIP: 10.1.${n}.${10 + i}}\n`;
    // workload endpoint labels and profile labels (libcalico-go conversion.go, workload_endpoint_default.go)
    const felixLabels: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...nsLabels(ns), 'projectcalico.org/name': ns }))
      felixLabels[`pcns.${k}`] = v;
    for (const [k, v] of Object.entries({ ...SERVICE_ACCOUNTS[sa], 'projectcalico.org/name': sa }))
      felixLabels[`pcsa.${k}`] = v;
    Object.assign(felixLabels, labels, {
      'projectcalico.org/namespace': ns,
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': sa,
    });
    if (name !== 'subject') peers.push({ spec: `${ns}/${name}`, felixLabels });
  });
});
for (const s of NETWORK_SETS) {
  yaml += `---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: ${s.name}, labels: ${JSON.stringify(s.labels)}}\nspec: {nets: [${s.net}]}\n`;
  peers.push({ spec: { ip: s.probe }, felixLabels: s.labels });
}
peers.push({ spec: { ip: OUTSIDE }, felixLabels: null });

function selectorMatches(text: string, labels: Labels): boolean {
  const parsed = parseCalicoSelector(text);
  if (!parsed.ok) throw new Error(`Calico's expected selector ${text} does not parse: ${parsed.error.message}`);
  return calicoSelectorMatches(parsed.node, labels);
}

/** felix: selector (when given) must match, notSelector (when given) must not; an outside address carries no labels. */
function felixMatches(c: RuleSelectorCase, labels: Labels | null): boolean {
  const { selector, notSelector } = c.expected;
  if (labels === null) return selector === '';
  return (
    (selector === '' || selectorMatches(selector, labels)) &&
    (notSelector === '' || !selectorMatches(notSelector, labels))
  );
}

function policyYaml(c: RuleSelectorCase): string {
  const section = c.side === 'source' ? 'ingress' : 'egress';
  const spec = {
    selector: `subject == '${SUBJECT.subject}'`,
    types: [c.side === 'source' ? 'Ingress' : 'Egress'],
    [section]: [{ action: 'Deny', [c.side]: c.entity }, { action: 'Allow' }],
  };
  const meta = c.namespace === '' ? `{name: vector}` : `{name: vector, namespace: ${c.namespace}}`;
  return `---\napiVersion: projectcalico.org/v3\nkind: ${c.namespace === '' ? 'GlobalNetworkPolicy' : 'NetworkPolicy'}\nmetadata: ${meta}\nspec: ${JSON.stringify(spec)}\n`;
}

describe('libcalico-go rules_test.go: rule selectors as felix gets them, as matches', () => {
  it('has the published cases', () => {
    expect(fixture.provenance).toContain('updateprocessors/rules_test.go');
    expect(fixture.cases.length).toBe(23);
  });

  fixture.cases.forEach((c, index) => {
    it(`${index}: ${c.it} (${c.namespace || 'global'}, ${c.side})`, () => {
      const snapshot = snapshotFromYaml(yaml + policyYaml(c));
      expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const subject = `${c.namespace || 'blue'}/subject`;
      const layer = c.side === 'source' ? 'networkpolicy-ingress' : 'networkpolicy-egress';
      const disagreements: string[] = [];
      let matched = 0;
      for (const peer of peers) {
        const want = felixMatches(c, peer.felixLabels);
        if (want) matched++;
        const [src, dst] = c.side === 'source' ? [peer.spec, subject] : [subject, peer.spec];
        const e = explainOk(snapshot, { src, dst, port: 80, protocol: 'TCP' });
        const verdict = e.steps.find((s) => s.layer === layer)?.verdict;
        const got = verdict === 'denied' ? true : verdict === 'allowed' ? false : verdict;
        if (got !== want) disagreements.push(`${JSON.stringify(peer.spec)}: felix ${want}, meshdbg ${String(got)}`);
      }
      expect(disagreements).toEqual([]);
      expect(matched).toBeGreaterThan(0);
    });
  });
});
