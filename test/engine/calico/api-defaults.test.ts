/**
 * projectcalico.org/v3 defaulting (api/pkg/defaults/defaults_test.go; provenance in the fixture):
 * a policy without `types` applies to the directions its rules imply, and a policy without `tier`
 * sits in tier `default`. A policy selecting the server isolates each direction in its types
 * (every rule is a Deny, and with no rule the tier ends in Deny); a staged policy never decides but
 * is reported as a shadow in the directions it covers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Explanation } from '../../../src/engine/explanation.js';

interface TypeTest {
  description: string;
  ingress: number;
  egress: number;
  expectedTypes: ('Ingress' | 'Egress')[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/api-defaults-cases.json', import.meta.url), 'utf8'),
) as {
  provenance: string;
  kinds: string[];
  policyTypeTests: TypeTest[];
  alreadySet: TypeTest & { kinds: string[]; types: string[] };
  tierLabelTests: { description: string; tier: string; expectedLabel: string }[];
};

const PODS = `---
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.4.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: a, labels: {app: server}}
spec: {containers: [{name: s, image: x}]}
status: {podIP: 10.4.0.2}
`;

function policy(kind: string, spec: Record<string, unknown>): string {
  const global = kind.includes('Global');
  const meta = global ? '{name: test}' : '{name: test, namespace: a}';
  return `---\napiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: ${meta}\nspec: ${JSON.stringify(spec)}\n`;
}

const rules = (n: number) => Array.from({ length: n }, () => ({ action: 'Deny' }));

/** Which directions the policy acts on, seen from the server: ingress to it, egress from it. */
function directions(yaml: string, staged: boolean): ('Ingress' | 'Egress')[] {
  const snapshot = snapshotFromYaml(PODS + yaml);
  expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
  const ingress = explainOk(snapshot, { src: 'a/client', dst: 'a/server', port: 80, protocol: 'TCP' });
  const egress = explainOk(snapshot, { src: 'a/server', dst: 'a/client', port: 80, protocol: 'TCP' });
  const acts = (e: Explanation, layer: string): boolean => {
    const step = e.steps.find((s) => s.layer === layer);
    if (!staged) return step?.verdict === 'denied';
    expect(step?.verdict).toBe('allowed');
    return (step?.policies ?? []).some((p) => p.name === 'test' && (p.effect ?? '').startsWith('shadow'));
  };
  const out: ('Ingress' | 'Egress')[] = [];
  if (acts(ingress, 'networkpolicy-ingress')) out.push('Ingress');
  if (acts(egress, 'networkpolicy-egress')) out.push('Egress');
  return out;
}

describe('api/pkg/defaults defaults_test.go: policy types', () => {
  it('has the published cases', () => {
    expect(fixture.provenance).toContain('api/pkg/defaults/defaults_test.go');
    expect(fixture.policyTypeTests.length).toBe(4);
  });
  for (const kind of fixture.kinds)
    for (const t of fixture.policyTypeTests)
      it(`${kind} types: ${t.description}`, () => {
        const spec = { selector: "app == 'server'", ingress: rules(t.ingress), egress: rules(t.egress) };
        expect(directions(policy(kind, spec), kind.startsWith('Staged'))).toEqual(t.expectedTypes);
      });
  const s = fixture.alreadySet;
  for (const kind of s.kinds)
    it(`${kind} ${s.description}`, () => {
      const spec = { selector: "app == 'server'", types: s.types, ingress: rules(s.ingress), egress: rules(s.egress) };
      expect(directions(policy(kind, spec), false)).toEqual(s.expectedTypes);
    });
});

describe('api/pkg/defaults defaults_test.go: the tier a policy sits in', () => {
  for (const t of fixture.tierLabelTests)
    it(t.description, () => {
      const tierObject =
        t.tier === ''
          ? ''
          : `---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${t.tier}}\nspec: {order: 100}\n`;
      const spec = { ...(t.tier === '' ? {} : { tier: t.tier }), selector: "app == 'server'", ingress: rules(1) };
      const name = t.tier === '' ? 'test' : `${t.tier}.test`;
      const yaml = tierObject + policy('GlobalNetworkPolicy', spec).replace('{name: test}', `{name: ${name}}`);
      const e = explainOk(snapshotFromYaml(PODS + yaml), { src: 'a/client', dst: 'a/server', port: 80 });
      expect(e.decidedBy?.policy?.name).toBe(name);
      expect(e.decidedBy?.policy?.tier).toBe(t.expectedLabel);
    });
});
