/**
 * Felix's own ordering tables (provenance inside the fixture), run through explain: each policy
 * has a Log rule, so the order explain visits them in is the order of its `logged` mentions; a
 * Pass rule or a tier defaultAction Pass moves the walk on to the next tier.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Explanation } from '../../../src/engine/explanation.js';

interface TierInput {
  name: string;
  valid: boolean;
  order: number | null;
}
interface Cases {
  provenance: string;
  tierSorting: { name: string; input: TierInput[]; expected: string[] }[];
  policyOrder: {
    name: string;
    tier: { name: string; order: number };
    policies: { name: string; order: number }[];
    expected: string[];
  }[];
  tierOrder: { name: string; orders: number[]; expected: string[] }[];
  endOfTier: {
    name: string;
    policies: { name: string; staged: boolean }[];
    tierPassAction: boolean;
    expected: 'drop' | 'pass';
  }[];
}
const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/felix-ordering-cases.json', import.meta.url), 'utf8'),
) as Cases;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec: {containers: [{name: s, image: x}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
`;

const tierYaml = (name: string, order: number | null, defaultAction: 'Deny' | 'Pass' = 'Deny') => `---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: ${name}}
spec: {${order === null ? '' : `order: ${order}, `}defaultAction: ${defaultAction}}
`;

const policyYaml = (
  name: string,
  tier: string,
  order: number | null,
  ingress: string,
  kind = 'GlobalNetworkPolicy',
) => `---
apiVersion: projectcalico.org/v3
kind: ${kind}
metadata: {name: ${name.replace(/[/]/g, '-')}}
spec: {tier: ${tier}, ${order === null ? '' : `order: ${order}, `}selector: all(), types: [Ingress], ingress: ${ingress}}
`;

function ingress(yaml: string): Explanation {
  return explainOk(snapshotFromYaml(POD + yaml), { src: 'a/client', dst: 'b/server', port: 80 });
}

function logged(e: Explanation): string[] {
  const step = e.steps.find((s) => s.layer === 'networkpolicy-ingress');
  return (step?.policies ?? []).filter((p) => p.effect === 'logged').map((p) => p.name);
}

describe('felix policy_sorter_test.go TestPolicySorter_Sorting: tier order', () => {
  it('has the published table', () => {
    expect(cases.provenance).toContain('felix/calc/policy_sorter_test.go');
    expect(cases.tierSorting.map((c) => c.name)).toContain('valid sorts ahead of invalid');
  });
  for (const c of cases.tierSorting) {
    it(c.name, () => {
      // a valid tier is one with a Tier resource; an invalid one is only named by its policy
      // (without a resource it has no order of its own here)
      for (const input of [c.input, [...c.input].reverse()]) {
        const yaml = input
          .map(
            (t) =>
              (t.valid ? tierYaml(t.name, t.order, 'Pass') : '') +
              policyYaml(`${t.name}-pol`, t.name, 1, '[{action: Log}, {action: Pass}]'),
          )
          .join('');
        expect(logged(ingress(yaml))).toEqual(c.expected.map((t) => `${t}-pol`));
      }
    });
  }
});

describe('felix policy_sorter.go TierLess beyond the table', () => {
  it('a tier without a Tier resource comes after a defined tier without an order, whatever the names', () => {
    const yaml =
      tierYaml('zzz', null, 'Pass') +
      policyYaml('zzz-pol', 'zzz', 1, '[{action: Log}, {action: Pass}]') +
      policyYaml('aaa-pol', 'aaa', 1, '[{action: Log}, {action: Pass}]');
    expect(logged(ingress(yaml))).toEqual(['zzz-pol', 'aaa-pol']);
  });
});

describe('felix states_for_test.go: policies by order within a tier, then by name', () => {
  for (const c of cases.policyOrder) {
    it(c.name, () => {
      const yaml =
        tierYaml(c.tier.name, c.tier.order, 'Pass') +
        c.policies.map((p) => policyYaml(p.name, c.tier.name, p.order, '[{action: Log}]')).join('');
      expect(logged(ingress(yaml))).toEqual(c.expected);
    });
  }
});

describe('felix states_for_test.go: tiers by order, then by name', () => {
  for (const c of cases.tierOrder) {
    it(c.name, () => {
      const yaml = c.orders
        .map(
          (order, i) =>
            tierYaml(`tier-${i + 1}`, order, 'Pass') +
            policyYaml(`tier-${i + 1}-pol`, `tier-${i + 1}`, 20, '[{action: Log}]'),
        )
        .join('');
      expect(logged(ingress(yaml))).toEqual(c.expected.map((t) => `${t}-pol`));
    });
  }
});

describe('felix rules/endpoints_test.go: end of tier', () => {
  for (const c of cases.endOfTier) {
    it(c.name, () => {
      const yaml =
        tierYaml('default', 1_000_000, c.tierPassAction ? 'Pass' : 'Deny') +
        c.policies
          .map((p) =>
            policyYaml(
              p.name.replace('staged:', ''),
              'default',
              null,
              '[]',
              p.staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy',
            ),
          )
          .join('');
      const e = ingress(yaml);
      const decidedBy = e.steps.find((s) => s.layer === 'networkpolicy-ingress')?.policies[0];
      if (c.expected === 'drop') {
        expect(e.verdict).toBe('denied');
        expect(decidedBy?.effect).toBe('end-of-tier');
        expect(decidedBy?.rule).toBe(-1);
      } else {
        expect(e.verdict).toBe('allowed');
        expect(decidedBy?.kind).toBe('Profile');
      }
    });
  }
});
