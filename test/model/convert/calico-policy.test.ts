import { describe, expect, it } from 'vitest';
import {
  convertCalicoNetworkSet,
  convertCalicoPolicy,
  convertCalicoTier,
} from '../../../src/model/convert/calico-policy.js';
import type { CalicoPolicyKind } from '../../../src/model/calico/policy.js';
import type { Finding } from '../../../src/model/findings.js';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';

function rawOf(yaml: string) {
  const raw = parseManifestText('calico.yaml', yaml).objects[0];
  if (!raw) throw new Error('no object');
  return raw;
}

function policy(kind: CalicoPolicyKind, spec: string, apiVersion = 'projectcalico.org/v3') {
  const sink: Finding[] = [];
  const yaml = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: p, namespace: shop}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
  return { policy: convertCalicoPolicy(rawOf(yaml), kind, 'default', sink), findings: sink };
}

describe('Calico policies (networkpolicy.go, globalnetworkpolicy.go, stagednetworkpolicy.go)', () => {
  it('tier defaults to "default" and a missing order is null (applied last)', () => {
    const { policy: p, findings } = policy('NetworkPolicy', "selector: app == 'web'\ningress: [{action: Allow}]");
    expect(findings).toEqual([]);
    expect(p).toMatchObject({ tier: 'default', order: null, namespace: 'shop', types: ['Ingress'] });
    expect(p.selector).toEqual({ op: 'eq', label: 'app', value: 'web' });
  });
  it('types default from the rules present: Egress only, both, Ingress when none', () => {
    expect(policy('NetworkPolicy', 'egress: [{action: Deny}]').policy.types).toEqual(['Egress']);
    expect(policy('NetworkPolicy', 'egress: [{action: Deny}]\ningress: [{action: Allow}]').policy.types).toEqual([
      'Ingress',
      'Egress',
    ]);
    expect(policy('NetworkPolicy', 'selector: all()').policy.types).toEqual(['Ingress']);
  });
  it('an empty selector selects everything', () => {
    expect(policy('GlobalNetworkPolicy', 'types: [Egress]').policy.selector).toEqual({ op: 'all' });
  });
  it('GlobalNetworkPolicy is cluster-scoped with a namespaceSelector; crd.projectcalico.org/v1 reads the same', () => {
    const { policy: p } = policy(
      'GlobalNetworkPolicy',
      'tier: security\norder: 10\nnamespaceSelector: has(team)',
      'crd.projectcalico.org/v1',
    );
    expect(p).toMatchObject({
      namespace: null,
      tier: 'security',
      order: 10,
      namespaceSelector: { op: 'has', label: 'team' },
    });
  });
  it('staged kinds carry stagedAction (default Set)', () => {
    expect(policy('StagedNetworkPolicy', 'ingress: [{action: Deny}]').policy.stagedAction).toBe('Set');
    expect(policy('StagedGlobalNetworkPolicy', 'stagedAction: Delete').policy.stagedAction).toBe('Delete');
    expect(policy('NetworkPolicy', 'stagedAction: Delete').policy.stagedAction).toBeNull();
  });
  it('a repeated type is refused (validator.go validateNetworkPolicySpec)', () => {
    const { findings } = policy('NetworkPolicy', 'types: [Ingress, Ingress]');
    expect(findings.map((f) => [f.field, f.message.includes("'Ingress' type specified more than once")])).toEqual([
      ['spec.types', true],
    ]);
  });
  it('a bad policy selector is refused at spec.selector with its column and the file line', () => {
    const { findings } = policy('NetworkPolicy', "selector: app == 'web' &&");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.field).toBe('spec.selector');
    expect(findings[0]?.message).toMatch(/calico\.yaml:\d+: NetworkPolicy shop\/p: spec\.selector: .*column 16 of/);
  });
});

describe('Calico tiers (tier.go)', () => {
  const tier = (name: string, spec: string) => {
    const sink: Finding[] = [];
    const t = convertCalicoTier(
      rawOf(`apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: ${spec}\n`),
      sink,
    );
    return { tier: t, findings: sink };
  };
  it('defaultAction defaults to Deny; Pass is kept', () => {
    expect(tier('security', '{order: 100}').tier).toMatchObject({ order: 100, defaultAction: 'Deny' });
    expect(tier('platform', '{order: 200, defaultAction: Pass}').tier.defaultAction).toBe('Pass');
  });
  it('refuses a defaultAction other than Pass or Deny', () => {
    expect(tier('x', '{defaultAction: Allow}').findings[0]?.field).toBe('spec.defaultAction');
  });
  it('the well-known tiers must keep their order and action (tier.go CEL rules)', () => {
    expect(tier('default', '{order: 1000000}').findings).toEqual([]);
    expect(tier('default', '{order: 5}').findings[0]?.message).toContain('default tier order must be 1000000');
    expect(tier('kube-admin', '{order: 1000, defaultAction: Deny}').findings[0]?.message).toContain(
      "must have default action 'Pass'",
    );
    expect(tier('kube-baseline', '{order: 10000000, defaultAction: Pass}').findings).toEqual([]);
  });
});

describe('Calico network sets (networkset.go, globalnetworkset.go)', () => {
  it('keeps labels and nets, refuses a bad net', () => {
    const sink: Finding[] = [];
    const yaml =
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: dns, labels: {role: dns}}\nspec: {nets: [8.8.8.8/32, 1.1.1.1, bad]}\n';
    const set = convertCalicoNetworkSet(rawOf(yaml), true, 'default', sink);
    expect(set).toMatchObject({
      global: true,
      namespace: null,
      labels: { role: 'dns' },
      nets: ['8.8.8.8/32', '1.1.1.1'],
    });
    expect(sink.map((f) => f.field)).toEqual(['spec.nets[2]']);
  });
});
