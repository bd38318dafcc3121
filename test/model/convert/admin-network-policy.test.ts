import { describe, expect, it } from 'vitest';
import { findingsOfYaml, snapshotFromYaml } from '../../helpers/snapshot.js';

const anp = (
  name: string,
  priority: string | number,
  rest = 'ingress: [{name: r, action: Deny, from: [{namespaces: {}}]}]',
): string =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n  subject: {namespaces: {}}\n${rest.replace(/^/gm, '  ')}\n---\n`;

const banp = (name: string, rest = 'ingress: [{name: r, action: Deny, from: [{namespaces: {}}]}]'): string =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  subject: {namespaces: {}}\n${rest.replace(/^/gm, '  ')}\n---\n`;

const codes = (yamlText: string): string[] => findingsOfYaml(yamlText).map((f) => f.code);

describe('AdminNetworkPolicy conversion', () => {
  it('sorts ANPs by priority, lower first', () => {
    const s = snapshotFromYaml(anp('late', 50) + anp('early', 3) + anp('mid', 10));
    expect(s.adminNetworkPolicies.map((p) => p.name)).toEqual(['early', 'mid', 'late']);
  });

  it('keeps the singleton BANP apart from the ANPs', () => {
    const s = snapshotFromYaml(anp('a', 1) + banp('default'));
    expect(s.baselineAdminNetworkPolicy?.name).toBe('default');
    expect(s.adminNetworkPolicies.map((p) => p.name)).toEqual(['a']);
  });

  it.each([
    ['a priority above 1000', anp('p', 1001), 'invalid-priority'],
    ['a negative priority', anp('p', -1), 'invalid-priority'],
    [
      'an unknown action',
      anp('p', 1, 'ingress: [{name: r, action: Drop, from: [{namespaces: {}}]}]'),
      'invalid-action',
    ],
    [
      'Pass in a BANP',
      banp('default', 'ingress: [{name: r, action: Pass, from: [{namespaces: {}}]}]'),
      'invalid-action',
    ],
    ['a BANP not named default', banp('other'), 'banp-name'],
    [
      'a bad networks CIDR',
      anp('p', 1, 'egress: [{name: r, action: Deny, to: [{networks: [10.0.0.0/99]}]}]'),
      'invalid-cidr',
    ],
    [
      'a port with two forms',
      anp(
        'p',
        1,
        'ingress: [{name: r, action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {port: 80, protocol: TCP}, namedPort: web}]}]',
      ),
      'invalid-port',
    ],
    [
      'a portRange with start above end',
      anp(
        'p',
        1,
        'ingress: [{name: r, action: Deny, from: [{namespaces: {}}], ports: [{portRange: {start: 90, end: 80, protocol: TCP}}]}]',
      ),
      'invalid-port',
    ],
    [
      'more than 100 rules in one direction',
      anp(
        'p',
        1,
        `ingress:\n${Array.from({ length: 101 }, (_, i) => `- {name: r${i}, action: Deny, from: [{namespaces: {}}]}`).join('\n')}`,
      ),
      'too-many-rules',
    ],
  ])('%s is an error', (_name, yamlText, code) => {
    const f = findingsOfYaml(yamlText).find((x) => x.code === code);
    expect(f?.severity).toBe('error');
    expect(f?.object?.namespace ?? null).toBeNull();
  });

  it('a subject that sets both namespaces and pods is an error', () => {
    const both = anp('p', 1).replace(
      'subject: {namespaces: {}}',
      'subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}',
    );
    const f = findingsOfYaml(both).find((x) => x.field === 'spec.subject');
    expect(f).toMatchObject({ severity: 'error', code: 'invalid-subject' });
    expect(f?.message).toMatch(/namespaces.*pods/);
  });

  it('an empty subject is an invalid-subject error', () => {
    const empty = anp('p', 1).replace('subject: {namespaces: {}}', 'subject: {}');
    expect(findingsOfYaml(empty).find((x) => x.field === 'spec.subject')).toMatchObject({
      severity: 'error',
      code: 'invalid-subject',
    });
  });

  it('two ANPs with one priority are refused (the spec leaves the order undefined)', () => {
    const f = findingsOfYaml(anp('one', 7) + anp('two', 7)).find((x) => x.code === 'anp-same-priority');
    expect(f?.severity).toBe('refused');
    expect(f?.message).toContain('one');
    expect(f?.message).toContain('two');
  });

  it('two ANPs with different priorities are not refused', () => {
    expect(codes(anp('one', 7) + anp('two', 8))).not.toContain('anp-same-priority');
  });

  it('more than one BANP is refused', () => {
    const f = findingsOfYaml(banp('default') + banp('second')).find((x) => x.code === 'multiple-banp');
    expect(f?.severity).toBe('refused');
  });

  it('ANPs are cluster-scoped: -n does not give them a namespace', () => {
    const s = snapshotFromYaml(anp('a', 1), { namespace: 'x' });
    expect(s.adminNetworkPolicies[0]?.name).toBe('a');
    expect(findingsOfYaml(anp('a', 1), { namespace: 'x' }).filter((f) => f.severity === 'error')).toEqual([]);
  });
});
