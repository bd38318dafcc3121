/**
 * The EntityRule documentation of projectcalico.org/v3 (policy_common.go; provenance in the
 * fixture): each sentence about selector, notSelector and namespaceSelector as the peers a source
 * rule matches. The rule is Deny ahead of an Allow, so a matched peer is denied.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { PeerSpec } from '../../../src/engine/explanation.js';

interface DocCase {
  doc: string;
  field: string;
  kind: 'GlobalNetworkPolicy' | 'NetworkPolicy';
  entity: Record<string, string>;
  expected: Record<string, boolean>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/entity-rule-doc-cases.json', import.meta.url), 'utf8'),
) as { provenance: string; peers: string[]; cases: DocCase[] };

const pod = (ns: string, name: string, labels: Record<string, string>, ip: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: ${ip}}
`;
const gns = (name: string, labels: Record<string, string>, net: string) => `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
spec: {nets: [${net}]}
`;

const CLUSTER =
  `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: here}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: there, labels: {team: there}}\n` +
  pod('here', 'subject', { role: 'subject' }, '10.3.0.1') +
  pod('here', 'labelled', { my_label: 'x' }, '10.3.0.2') +
  pod('here', 'plain', {}, '10.3.0.3') +
  pod('there', 'labelled', { my_label: 'x' }, '10.3.1.2') +
  pod('there', 'plain', {}, '10.3.1.3') +
  gns('labelled', { my_label: 'x' }, '203.0.113.0/24') +
  gns('plain', {}, '198.51.100.0/24');

const PEER_SPECS: Record<string, PeerSpec> = {
  'here/labelled': 'here/labelled',
  'here/plain': 'here/plain',
  'there/labelled': 'there/labelled',
  'there/plain': 'there/plain',
  'gns:labelled': { ip: '203.0.113.7' },
  'gns:plain': { ip: '198.51.100.7' },
  outside: { ip: '8.8.8.8' },
};

function policyYaml(c: DocCase): string {
  const meta = c.kind === 'GlobalNetworkPolicy' ? '{name: doc}' : '{name: doc, namespace: here}';
  const spec = {
    selector: "role == 'subject'",
    types: ['Ingress'],
    ingress: [{ action: 'Deny', source: c.entity }, { action: 'Allow' }],
  };
  return `---\napiVersion: projectcalico.org/v3\nkind: ${c.kind}\nmetadata: ${meta}\nspec: ${JSON.stringify(spec)}\n`;
}

describe('policy_common.go EntityRule documentation, as matches', () => {
  it('has the documented sentences', () => {
    expect(fixture.provenance).toContain('api/pkg/apis/projectcalico/v3/policy_common.go');
    expect(fixture.cases.length).toBe(6);
    expect(Object.keys(PEER_SPECS).sort()).toEqual([...fixture.peers].sort());
  });

  fixture.cases.forEach((c, index) => {
    it(`${index}: ${c.kind} ${JSON.stringify(c.entity)}: ${c.doc.slice(0, 80)}`, () => {
      const snapshot = snapshotFromYaml(CLUSTER + policyYaml(c));
      expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const got: Record<string, boolean | string> = {};
      for (const [id, src] of Object.entries(PEER_SPECS)) {
        const e = explainOk(snapshot, { src, dst: 'here/subject', port: 80, protocol: 'TCP' });
        const verdict = e.steps.find((s) => s.layer === 'networkpolicy-ingress')?.verdict ?? 'missing';
        got[id] = verdict === 'denied' ? true : verdict === 'allowed' ? false : verdict;
      }
      expect(got).toEqual(c.expected);
    });
  });
});
