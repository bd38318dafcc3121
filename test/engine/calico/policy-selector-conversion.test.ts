/**
 * libcalico-go updateprocessors globalnetworkpolicyprocessor_test.go / networkpolicyprocessor_test.go
 * (provenance in the fixture): the v1 selector felix gets from a policy's selector,
 * namespaceSelector and serviceAccountSelector. Each case's expected selector is evaluated on the
 * labels felix gives every pod of a small cluster (pod labels, projectcalico.org/namespace,
 * /orchestrator, /serviceaccount, pcns.* namespace labels, pcsa.* ServiceAccount labels); the policy
 * (one Deny rule) must deny ingress to exactly those pods. The cluster is scaffolding.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Labels } from '../../../src/model/k8s.js';
import { calicoSelectorMatches, parseCalicoSelector } from '../../../src/model/calico/selector.js';

interface PolicySelectorCase {
  it: string;
  source: string;
  kind: 'GlobalNetworkPolicy' | 'NetworkPolicy';
  namespace: string;
  spec: Record<string, string>;
  expectedSelector: string;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/updateprocessors-policy-selector-cases.json', import.meta.url), 'utf8'),
) as { provenance: string; cases: PolicySelectorCase[] };

const NAMESPACES: Record<string, Labels> = {
  namespace1: { name: 'testing' },
  namespace2: { name: 'testing' },
  default: { name: 'prod' },
  plain: {},
};
const SERVICE_ACCOUNTS: Record<string, Labels> = { default: {}, dev: { role: 'development' }, ops: { role: 'ops' } };
const POD_LABELS: Labels[] = [{ mylabel: 'selectme' }, { mylabel: 'other' }, {}];

let yaml = '';
const pods: { id: string; felixLabels: Labels }[] = [];
Object.keys(NAMESPACES).forEach((ns, n) => {
  const nsLabels = { ...NAMESPACES[ns], 'kubernetes.io/metadata.name': ns };
  yaml += `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: ${JSON.stringify(nsLabels)}}\n`;
  for (const [sa, labels] of Object.entries(SERVICE_ACCOUNTS))
    yaml += `---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${sa}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}\n`;
  let i = 0;
  for (const labels of POD_LABELS)
    for (const sa of Object.keys(SERVICE_ACCOUNTS)) {
      const name = `p${i}`;
      yaml += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}
spec: {serviceAccountName: ${sa}, containers: [{name: c, image: x}]}\nstatus: {podIP: 10.2.${n}.${10 + i}}\n`;
      i++;
      // workload endpoint and profile labels (libcalico-go conversion.go, workload_endpoint_default.go)
      const felixLabels: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...nsLabels, 'projectcalico.org/name': ns })) felixLabels[`pcns.${k}`] = v;
      for (const [k, v] of Object.entries({ ...SERVICE_ACCOUNTS[sa], 'projectcalico.org/name': sa }))
        felixLabels[`pcsa.${k}`] = v;
      Object.assign(felixLabels, labels, {
        'projectcalico.org/namespace': ns,
        'projectcalico.org/orchestrator': 'k8s',
        'projectcalico.org/serviceaccount': sa,
      });
      pods.push({ id: `${ns}/${name}`, felixLabels });
    }
});

function policyYaml(c: PolicySelectorCase): string {
  const meta = c.kind === 'GlobalNetworkPolicy' ? '{name: vector}' : `{name: vector, namespace: ${c.namespace}}`;
  const spec = { ...c.spec, types: ['Ingress'], ingress: [{ action: 'Deny' }] };
  return `---\napiVersion: projectcalico.org/v3\nkind: ${c.kind}\nmetadata: ${meta}\nspec: ${JSON.stringify(spec)}\n`;
}

describe('libcalico-go policy processors: the endpoints a policy applies to', () => {
  it('has the published cases', () => {
    expect(fixture.provenance).toContain('globalnetworkpolicyprocessor_test.go');
    expect(fixture.cases.length).toBe(13);
  });

  fixture.cases.forEach((c, index) => {
    it(`${index}: ${c.source} ${c.it}`, () => {
      const parsed = parseCalicoSelector(c.expectedSelector);
      if (!parsed.ok) throw new Error(`expected selector does not parse: ${parsed.error.message}`);
      const snapshot = snapshotFromYaml(yaml + policyYaml(c));
      expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const disagreements: string[] = [];
      let selected = 0;
      for (const pod of pods) {
        const want = calicoSelectorMatches(parsed.node, pod.felixLabels);
        if (want) selected++;
        const e = explainOk(snapshot, { src: { ip: '8.8.8.8' }, dst: pod.id, port: 80, protocol: 'TCP' });
        const verdict = e.steps.find((s) => s.layer === 'networkpolicy-ingress')?.verdict;
        const got = verdict === 'denied' ? true : verdict === 'allowed' ? false : verdict;
        if (got !== want) disagreements.push(`${pod.id}: felix ${want}, meshdbg ${String(got)}`);
      }
      expect(disagreements).toEqual([]);
      expect(selected).toBeGreaterThan(0);
    });
  });
});
