import { describe, expect, it } from 'vitest';
import type { CalicoAction, CalicoPolicy, CalicoRule, CalicoTier } from '../../../src/model/calico/policy.js';
import { EMPTY_CALICO_ENTITY } from '../../../src/model/calico/policy.js';
import { comparePolicies, compareTiers, decideCalico } from '../../../src/engine/calico/tier-order.js';

const entity = EMPTY_CALICO_ENTITY;
/** A rule whose protocol marks whether the test packet matches it (UDP = matches, TCP = does not). */
const rule = (action: CalicoAction, hit = true): CalicoRule => ({
  action,
  ipVersion: null,
  protocol: hit ? 'UDP' : 'TCP',
  notProtocol: null,
  icmp: null,
  notIcmp: null,
  source: entity,
  destination: entity,
  http: null,
});
const policy = (name: string, tier: string, order: number | null, ingress: CalicoRule[]): CalicoPolicy => ({
  kind: 'GlobalNetworkPolicy',
  namespace: null,
  name,
  tier,
  order,
  selector: { op: 'all' },
  selectorText: '',
  namespaceSelector: null,
  serviceAccountSelector: null,
  types: ['Ingress'],
  ingress,
  egress: [],
  stagedAction: null,
  loc: null,
});
const tier = (name: string, order: number | null, defaultAction: 'Deny' | 'Pass' = 'Deny'): CalicoTier => ({
  name,
  order,
  defaultAction,
  loc: null,
});
const decide = (tiers: CalicoTier[], policies: CalicoPolicy[]) =>
  decideCalico(
    tiers,
    policies,
    'ingress',
    () => true,
    (_p, r) => r.protocol === 'UDP',
  );

describe('Calico ordering (felix/calc/policy_sorter.go TierLess, PolKVLess)', () => {
  it('tiers by order, no order last, ties by name', () => {
    const sorted = [tier('b', null), tier('z', 5), tier('a', null), tier('c', 5), tier('d', 1)].sort(compareTiers);
    expect(sorted.map((t) => t.name)).toEqual(['d', 'c', 'z', 'a', 'b']);
  });
  it('policies by order, no order last, ties by name/namespace/kind', () => {
    const sorted = [
      policy('b', 't', null, []),
      policy('x', 't', 10, []),
      policy('a', 't', 10, []),
      policy('c', 't', 1.5, []),
    ].sort(comparePolicies);
    expect(sorted.map((p) => p.name)).toEqual(['c', 'a', 'x', 'b']);
  });
});

describe('Calico actions (policy_common.go, docs "tiered-policy")', () => {
  it('the first Deny in an earlier tier wins over an Allow in a later one', () => {
    const d = decide(
      [tier('security', 100), tier('default', 1_000_000)],
      [policy('allow', 'default', 1, [rule('Allow')]), policy('block', 'security', 1, [rule('Deny')])],
    );
    expect(d).toMatchObject({ action: 'Deny', tier: 'security', rule: 0 });
    expect(d.policy?.name).toBe('block');
  });
  it('Pass skips the rest of the tier, Log continues to the next rule', () => {
    const d = decide(
      [tier('platform', 200), tier('default', 1_000_000)],
      [
        policy('a-pass', 'platform', 1, [rule('Log'), rule('Pass')]),
        policy('b-deny', 'platform', 2, [rule('Deny')]),
        policy('app', 'default', null, [rule('Allow', false), rule('Allow')]),
      ],
    );
    expect(d).toMatchObject({ action: 'Allow', tier: 'default', rule: 1, passedTiers: ['platform'] });
    expect(d.logged.map(([p, i]) => [p.name, i])).toEqual([['a-pass', 0]]);
  });
  it('a tier that selected the endpoint but matched nothing ends in Deny with rule -1', () => {
    const d = decide([tier('security', 100)], [policy('narrow', 'security', 1, [rule('Allow', false)])]);
    expect(d).toMatchObject({ action: 'Deny', tier: 'security', rule: -1 });
  });
  it('a tier with defaultAction Pass goes on to the next tier', () => {
    const d = decide(
      [tier('platform', 200, 'Pass'), tier('default', 1_000_000)],
      [policy('narrow', 'platform', 1, [rule('Deny', false)]), policy('app', 'default', 1, [rule('Allow')])],
    );
    expect(d).toMatchObject({ action: 'Allow', tier: 'default', passedTiers: ['platform'] });
  });
  it('when no policy selects the endpoint, profiles allow', () => {
    const d = decideCalico(
      [tier('security', 100)],
      [policy('x', 'security', 1, [rule('Deny')])],
      'ingress',
      () => false,
      () => true,
    );
    expect(d).toMatchObject({ action: 'Allow', tier: null, policy: null });
  });
  it('a policy without the direction in types does not take part', () => {
    const d = decideCalico(
      [],
      [policy('x', 'default', 1, [rule('Deny')])],
      'egress',
      () => true,
      () => true,
    );
    expect(d.tier).toBeNull();
  });
});
