import { describe, expect, it } from 'vitest';
import { explainIn, ingressIn, np } from './world.js';

const q = { src: 'a/client', dst: 'b/server', port: 8080 } as const;

interface AdminRule {
  readonly action: string;
  readonly from?: string;
  readonly ports?: string;
}

function rulesYaml(rules: readonly AdminRule[]): string {
  return rules
    .map(
      (r, i) =>
        `  - name: r${i}\n    action: ${r.action}\n    from: [${r.from ?? '{namespaces: {}}'}]${r.ports ? `\n    ports: [${r.ports}]` : ''}`,
    )
    .join('\n');
}

function anp(name: string, priority: number, rules: readonly AdminRule[]): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress:
${rulesYaml(rules)}
---
`;
}

function banp(rules: readonly AdminRule[]): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {team: b}}}
  ingress:
${rulesYaml(rules)}
---
`;
}

const denyAllNp = np('b', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress]');
const allowAllNp = np('b', 'allow-all', 'podSelector: {}\ningress: [{}]');

function ingressStep(policies: string) {
  const step = explainIn(policies, q).steps.find((s) => s.layer === 'networkpolicy-ingress');
  if (!step) throw new Error('no networkpolicy-ingress step');
  return step;
}

describe('AdminNetworkPolicy', () => {
  it('an ANP Allow beats a NetworkPolicy that denies', () => {
    expect(ingressIn(anp('allow', 10, [{ action: 'Allow' }]) + denyAllNp, q)).toBe('allowed');
  });

  it('an ANP Deny beats a NetworkPolicy that allows', () => {
    expect(ingressIn(anp('deny', 10, [{ action: 'Deny' }]) + allowAllNp, q)).toBe('denied');
  });

  it('an ANP Pass falls through to NetworkPolicy (which denies here)', () => {
    expect(ingressIn(anp('pass', 10, [{ action: 'Pass' }]) + denyAllNp, q)).toBe('denied');
  });

  it('an ANP Pass falls through to NetworkPolicy (which allows here)', () => {
    expect(ingressIn(anp('pass', 10, [{ action: 'Pass' }]) + allowAllNp, q)).toBe('allowed');
  });

  it('an ANP Pass skips the remaining ANPs of lower precedence', () => {
    expect(ingressIn(anp('pass', 10, [{ action: 'Pass' }]) + anp('deny', 20, [{ action: 'Deny' }]), q)).toBe('allowed');
  });

  it('the lower priority number wins', () => {
    expect(ingressIn(anp('deny', 20, [{ action: 'Deny' }]) + anp('allow', 5, [{ action: 'Allow' }]), q)).toBe(
      'allowed',
    );
    expect(ingressIn(anp('deny', 5, [{ action: 'Deny' }]) + anp('allow', 20, [{ action: 'Allow' }]), q)).toBe('denied');
  });

  it('two same-priority ANPs that act differently on the flow make it conditional (undefined order)', () => {
    const e = explainIn(anp('x-allow', 5, [{ action: 'Allow' }]) + anp('y-deny', 5, [{ action: 'Deny' }]), q);
    expect(e.verdict).toBe('conditional');
    expect(e.conditions).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/x-allow.*y-deny/) }));
  });

  it('two same-priority ANPs that agree on the flow give a plain verdict', () => {
    expect(explainIn(anp('x', 5, [{ action: 'Deny' }]) + anp('y', 5, [{ action: 'Deny' }]), q).verdict).toBe('denied');
  });

  it('rules are evaluated in written order inside one ANP', () => {
    expect(ingressIn(anp('p', 10, [{ action: 'Deny' }, { action: 'Allow' }]), q)).toBe('denied');
    expect(ingressIn(anp('p', 10, [{ action: 'Allow' }, { action: 'Deny' }]), q)).toBe('allowed');
  });

  it('a rule whose peer does not match is skipped', () => {
    const rules = [{ action: 'Deny', from: '{namespaces: {matchLabels: {team: c}}}' }];
    expect(ingressIn(anp('p', 10, rules), q)).toBe('allowed');
  });

  it('the pods peer is namespaceSelector AND podSelector', () => {
    const rules = [
      {
        action: 'Deny',
        from: '{pods: {namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: other}}}}',
      },
    ];
    expect(ingressIn(anp('p', 10, rules), q)).toBe('allowed');
    expect(ingressIn(anp('p', 10, rules), { src: 'a/other', dst: 'b/server', port: 8080 })).toBe('denied');
  });

  it('an ANP whose subject does not select the pod does not apply', () => {
    const other = anp('p', 10, [{ action: 'Deny' }]).replace('team: b', 'team: c');
    expect(ingressIn(other, q)).toBe('allowed');
  });

  it.each([
    ['portNumber matches', '{portNumber: {protocol: TCP, port: 8080}}', 'denied'],
    ['portNumber of another port does not match', '{portNumber: {protocol: TCP, port: 9999}}', 'allowed'],
    ['namedPort resolves on the destination pod', '{namedPort: web}', 'denied'],
    ['namedPort naming another port does not match', '{namedPort: dns}', 'allowed'],
    ['portRange containing the port matches', '{portRange: {protocol: TCP, start: 8000, end: 9000}}', 'denied'],
    ['portRange of another protocol does not match', '{portRange: {protocol: UDP, start: 8000, end: 9000}}', 'allowed'],
    [
      'portRange not containing the port does not match',
      '{portRange: {protocol: TCP, start: 8081, end: 9000}}',
      'allowed',
    ],
  ])('ANP ports: %s', (_name, ports, expected) => {
    expect(ingressIn(anp('p', 10, [{ action: 'Deny', ports }]), q)).toBe(expected);
  });

  it('the deciding ANP rule is named with tier admin and its ruleRef', () => {
    const step = ingressStep(
      anp('block', 10, [{ action: 'Allow', from: '{namespaces: {matchLabels: {team: c}}}' }, { action: 'Deny' }]),
    );
    expect(step.verdict).toBe('denied');
    expect(step.policies).toContainEqual(
      expect.objectContaining({ kind: 'AdminNetworkPolicy', name: 'block', rule: 1, tier: 'admin' }),
    );
    expect(step.policies.map((p) => p.ruleRef)).toContain('AdminNetworkPolicy:block:ingress[1]');
  });
});

describe('AdminNetworkPolicy subjects, peers and mentions', () => {
  const doc = (body: string): string =>
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: t}\nspec:\n  priority: 5\n${body.replace(/^/gm, '  ')}\n---\n`;

  it('a Pass is mentioned with effect pass and tier admin', () => {
    const step = ingressStep(
      doc(
        'subject: {namespaces: {matchLabels: {team: b}}}\ningress: [{name: r, action: Pass, from: [{namespaces: {}}]}]',
      ),
    );
    expect(step.verdict).toBe('allowed');
    expect(step.policies).toContainEqual(
      expect.objectContaining({ ruleRef: 'AdminNetworkPolicy:t:ingress[0]', tier: 'admin', effect: 'passed' }),
    );
  });

  it.each([
    ['selects the pod', 'server', 'denied'],
    ['does not select the pod', 'other', 'allowed'],
  ])('a pods subject (namespaceSelector AND podSelector) that %s', (_name, app, expected) => {
    const body = `subject: {pods: {namespaceSelector: {matchLabels: {team: b}}, podSelector: {matchLabels: {app: ${app}}}}}\ningress: [{name: r, action: Deny, from: [{namespaces: {}}]}]`;
    expect(ingressIn(doc(body), q)).toBe(expected);
  });

  it('a namespaces peer never matches an out-of-cluster source', () => {
    expect(
      ingressIn(doc('subject: {namespaces: {}}\ningress: [{name: r, action: Deny, from: [{namespaces: {}}]}]'), {
        src: '203.0.113.1',
        dst: 'b/server',
        port: 8080,
      }),
    ).toBe('allowed');
  });

  it('egress networks: an Allow written before a catch-all Deny wins', () => {
    const body =
      'subject: {namespaces: {}}\negress:\n- {name: r, action: Allow, to: [{networks: [203.0.113.0/24]}]}\n- {name: d, action: Deny, to: [{networks: [0.0.0.0/0]}]}';
    const e = explainIn(doc(body), { src: 'a/client', dst: '203.0.113.1', port: 443 });
    expect(e.steps[0]?.verdict).toBe('allowed');
    expect(explainIn(doc(body), { src: 'a/client', dst: '198.51.100.1', port: 443 }).steps[0]?.verdict).toBe('denied');
  });

  it('an ANP does not select a hostNetwork pod as its subject', () => {
    expect(
      ingressIn(doc('subject: {namespaces: {}}\ningress: [{name: r, action: Deny, from: [{namespaces: {}}]}]'), {
        src: 'a/client',
        dst: 'b/hostnet',
        port: 8080,
      }),
    ).toBe('allowed');
  });
});

describe('BaselineAdminNetworkPolicy', () => {
  it('a BANP Deny applies when no NetworkPolicy isolates the pod', () => {
    expect(ingressIn(banp([{ action: 'Deny' }]), q)).toBe('denied');
  });

  it('a BANP Deny does not apply when a NetworkPolicy isolates the pod (and allows)', () => {
    const allowA = np(
      'b',
      'allow-a',
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}]}]',
    );
    expect(ingressIn(banp([{ action: 'Deny' }]) + allowA, q)).toBe('allowed');
  });

  it('a BANP Allow does not open what a NetworkPolicy isolates', () => {
    expect(ingressIn(banp([{ action: 'Allow' }]) + denyAllNp, q)).toBe('denied');
  });

  it('a BANP is reached after an ANP Pass when no NetworkPolicy isolates', () => {
    expect(ingressIn(anp('pass', 10, [{ action: 'Pass' }]) + banp([{ action: 'Deny' }]), q)).toBe('denied');
  });

  it('an ANP Allow beats a BANP Deny', () => {
    expect(ingressIn(anp('allow', 10, [{ action: 'Allow' }]) + banp([{ action: 'Deny' }]), q)).toBe('allowed');
  });

  it('BANP rules are evaluated in written order', () => {
    expect(ingressIn(banp([{ action: 'Allow' }, { action: 'Deny' }]), q)).toBe('allowed');
    expect(ingressIn(banp([{ action: 'Deny' }, { action: 'Allow' }]), q)).toBe('denied');
  });

  it('the deciding BANP rule carries tier baseline', () => {
    const step = ingressStep(banp([{ action: 'Deny' }]));
    expect(step.policies).toContainEqual(
      expect.objectContaining({ kind: 'BaselineAdminNetworkPolicy', name: 'default', rule: 0, tier: 'baseline' }),
    );
  });

  it('a NetworkPolicy decision carries tier networkpolicy', () => {
    const step = ingressStep(denyAllNp);
    expect(step.policies).toContainEqual(
      expect.objectContaining({ kind: 'NetworkPolicy', name: 'deny-all', tier: 'networkpolicy' }),
    );
  });
});
