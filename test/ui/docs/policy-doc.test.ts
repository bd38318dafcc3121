import { describe, expect, it } from 'vitest';
import { highlightFromRuleRef, policyDoc, wholePolicyNote } from '../../../src/ui/docs/policy-doc.js';
import type { PolicyItem } from '../../../src/ui/data/policy-items.js';

const np: PolicyItem = {
  kind: 'NetworkPolicy',
  namespace: 'b',
  name: 'allow-a',
  summary: 'ingress 2 rules',
  raw: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-a', namespace: 'b' }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }] }, { ports: [{ port: 80 }] }] } },
};

describe('policy document', () => {
  it('reads the rule index from Istio and Kubernetes rule references', () => {
    expect(highlightFromRuleRef('ns[a]-policy[p]-rule[3]')).toEqual({ section: 'rules', index: 3 });
    expect(highlightFromRuleRef('istio-ext-authz-ns[a]-policy[p]-rule[1]')).toEqual({ section: 'rules', index: 1 });
    expect(highlightFromRuleRef('NetworkPolicy:b/allow-a:egress[2]')).toEqual({ section: 'egress', index: 2 });
    expect(highlightFromRuleRef('NetworkPolicy:b/allow-a:ingress')).toBeNull();
    expect(highlightFromRuleRef(null)).toBeNull();
  });

  it('highlights exactly the rule the reference names', () => {
    const doc = policyDoc(np, 'NetworkPolicy:b/allow-a:ingress[1]');
    const highlighted = doc.filter((l) => l.role === 'highlight').map((l) => l.text.trim());
    expect(highlighted[0]).toBe('▶ ingress[1] (decided)');
    expect(highlighted.join('\n')).toContain('port: 80');
    expect(highlighted.join('\n')).not.toContain('app: x');
  });

  it('says what decided when no single rule did', () => {
    const doc = policyDoc(np, 'NetworkPolicy:b/allow-a:ingress');
    expect(doc.some((l) => l.role === 'highlight')).toBe(false);
    expect(doc.at(-1)?.text).toBe(wholePolicyNote('NetworkPolicy', 'NetworkPolicy:b/allow-a:ingress'));
    expect(wholePolicyNote('PeerAuthentication', 'x')).toContain("mTLS mode");
  });
});

describe('wrapDoc', () => {
  it('wraps long lines under their indentation and keeps short ones', async () => {
    const { wrapDoc, line } = await import('../../../src/ui/docs/doc.js');
    const wrapped = wrapDoc([line('short'), line(`  ${'x'.repeat(25)}`, 'error')], 10);
    expect(wrapped.map((l) => l.text)).toEqual(['short', '  xxxxxxxx', '    xxxxxx', '    xxxxxx', '    xxxxx']);
    expect(wrapped.slice(1).every((l) => l.role === 'error')).toBe(true);
  });

  it('breaks at word boundaries, never inside a word that fits on the next line', async () => {
    const { wrapDoc, line } = await import('../../../src/ui/docs/doc.js');
    const wrapped = wrapDoc([line('  allow GET on /api/orders from frontend-sa')], 20);
    expect(wrapped.map((l) => l.text)).toEqual(['  allow GET on', '    /api/orders from', '    frontend-sa']);
  });
});
