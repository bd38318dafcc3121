import { describe, expect, it } from 'vitest';
import { formatIstioRuleRef, formatK8sRuleRef, parseIstioRuleRef } from '../../src/engine/rule-ref.js';

describe('rule references', () => {
  it('formats the Envoy id istiod generates', () => {
    expect(formatIstioRuleRef('np-test-2', 'deny-all-ingress-using-authorizationpolicy', 0)).toBe(
      'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
    );
    expect(formatIstioRuleRef('foo', 'ext', 1, true)).toBe('istio-ext-authz-ns[foo]-policy[ext]-rule[1]');
  });

  it.each([
    [
      'ns[foo]-policy[deny-path-headers]-rule[0]',
      { namespace: 'foo', name: 'deny-path-headers', rule: 0, extAuthz: false, provider: null },
    ],
    [
      'istio-ext-authz-ns[istioinaction]-policy[ext-authz]-rule[0]',
      { namespace: 'istioinaction', name: 'ext-authz', rule: 0, extAuthz: true, provider: null },
    ],
    [
      'istio-ext-authz-my-provider-ns[a]-policy[p]-rule[3]',
      { namespace: 'a', name: 'p', rule: 3, extAuthz: true, provider: 'my-provider' },
    ],
  ])('parses %s', (id, want) => {
    expect(parseIstioRuleRef(id)).toEqual(want);
  });

  it('returns null for none and hand-written names', () => {
    expect(parseIstioRuleRef('none')).toBeNull();
    expect(parseIstioRuleRef('my-envoyfilter-policy')).toBeNull();
  });

  it('formats Kubernetes rule references with and without namespace', () => {
    expect(formatK8sRuleRef('NetworkPolicy', 'b', 'allow-a', 'ingress', 0)).toBe('NetworkPolicy:b/allow-a:ingress[0]');
    expect(formatK8sRuleRef('AdminNetworkPolicy', null, 'x', 'egress', 2)).toBe('AdminNetworkPolicy:x:egress[2]');
    expect(formatK8sRuleRef('NetworkPolicy', 'b', 'deny', 'ingress', null)).toBe('NetworkPolicy:b/deny:ingress');
  });
});
