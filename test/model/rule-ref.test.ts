/**
 * RuleRef: one format, one parse. Sources of the text forms:
 * - Istio ids: istio/istio:pilot/pkg/security/authz/builder/builder.go (policyName: `ns[%s]-policy[%s]-rule[%d]`,
 *   CUSTOM prefix `istio-ext-authz-[PROVIDER-]`, getBadCustomDenyRules suffix `-deny-due-to-bad-CUSTOM-action`);
 *   `ns[foo]-policy[deny-path-headers]-rule[0]` and `matched policy none` are printed in
 *   https://istio.io/latest/docs/tasks/security/authorization/authz-dry-run/ ; the CUSTOM id is the one in
 *   test/fixtures/logs/istio-1.17-custom.log (provenance in its .json).
 * - Kubernetes sections and Calico tier rules: DESIGN.md's ruleRef forms; Calico's `-1` end-of-tier index as in
 *   https://docs.tigera.io/calico-enterprise/latest/observability/elastic/flow/datatypes (`policies`).
 */
import { describe, expect, it } from 'vitest';
import {
  formatRbacDeniedDetails,
  formatRuleRef,
  istioRuleRef,
  NO_RULE,
  parseIstioRuleRef,
  parseRuleRef,
  rbacDeniedPolicyId,
  ruleSection,
  sectionRuleRef,
  ztunnelRuleRef,
  type RuleRef,
} from '../../src/model/rule-ref.js';

const table: [string, RuleRef][] = [
  ['ns[foo]-policy[deny-path-headers]-rule[0]', istioRuleRef('foo', 'deny-path-headers', 0)],
  [
    'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
    istioRuleRef('np-test-2', 'deny-all-ingress-using-authorizationpolicy', 0),
  ],
  [
    'istio-ext-authz-ns[istioinaction]-policy[ext-authz]-rule[0]',
    istioRuleRef('istioinaction', 'ext-authz', 0, { provider: null, badAction: false }),
  ],
  [
    'istio-ext-authz-my-provider-ns[a]-policy[p]-rule[3]',
    istioRuleRef('a', 'p', 3, { provider: 'my-provider', badAction: false }),
  ],
  [
    'istio-ext-authz-sample-ext-authz-ns[foo]-policy[ext-authz]-rule[0]-deny-due-to-bad-CUSTOM-action',
    istioRuleRef('foo', 'ext-authz', 0, { provider: 'sample-ext-authz', badAction: true }),
  ],
  ['NetworkPolicy:b/allow-a:ingress[0]', sectionRuleRef('NetworkPolicy', 'b', 'allow-a', 'ingress', 0)],
  ['NetworkPolicy:b/deny-all:ingress', sectionRuleRef('NetworkPolicy', 'b', 'deny-all', 'ingress', null)],
  ['AdminNetworkPolicy:deny-x:egress[2]', sectionRuleRef('AdminNetworkPolicy', null, 'deny-x', 'egress', 2)],
  [
    'BaselineAdminNetworkPolicy:default:ingress[1]',
    sectionRuleRef('BaselineAdminNetworkPolicy', null, 'default', 'ingress', 1),
  ],
  ['RequestAuthentication:foo/jwt:jwtRules[0]', sectionRuleRef('RequestAuthentication', 'foo', 'jwt', 'jwtRules', 0)],
  [
    'PeerAuthentication:foo/strict:portLevelMtls[8080]',
    sectionRuleRef('PeerAuthentication', 'foo', 'strict', 'portLevelMtls', 8080),
  ],
  ['GlobalNetworkPolicy:deny-all:ingress[0]', sectionRuleRef('GlobalNetworkPolicy', null, 'deny-all', 'ingress', 0)],
  ['CalicoNetworkPolicy:prod/db:egress[-1]', sectionRuleRef('CalicoNetworkPolicy', 'prod', 'db', 'egress', -1)],
  [
    'StagedGlobalNetworkPolicy:audit:ingress[4]',
    sectionRuleRef('StagedGlobalNetworkPolicy', null, 'audit', 'ingress', 4),
  ],
  ['AuthorizationPolicy:foo/allow-sleep', ztunnelRuleRef('foo', 'allow-sleep')],
  ['none', NO_RULE],
];

describe('RuleRef format and parse', () => {
  it.each(table)('%s round-trips', (text, ref) => {
    expect(formatRuleRef(ref)).toBe(text);
    expect(parseRuleRef(text)).toEqual(ref);
  });

  it('tells Calico kinds from Kubernetes kinds and carries the tier in the value only', () => {
    expect(parseRuleRef('GlobalNetworkPolicy:x:ingress[0]')?.type).toBe('calico');
    expect(parseRuleRef('NetworkPolicy:a/x:ingress[0]')?.type).toBe('section');
    const tiered = sectionRuleRef('GlobalNetworkPolicy', null, 'x', 'ingress', -1, 'security');
    expect(tiered).toMatchObject({ type: 'calico', tier: 'security', index: -1 });
    expect(formatRuleRef(tiered)).toBe('GlobalNetworkPolicy:x:ingress[-1]');
  });

  it.each([
    'my-envoyfilter-policy',
    'ns[a]-policy[b]-rule[x]',
    'NetworkPolicy:a/b/c:ingress[0]',
    '',
    `ns[${'a'.repeat(800)}]-policy[b]-rule[0]`,
  ])('rejects %s', (text) => {
    expect(parseRuleRef(text)).toBeNull();
  });

  it('parseIstioRuleRef takes Istio ids only', () => {
    expect(parseIstioRuleRef('none')).toBeNull();
    expect(parseIstioRuleRef('NetworkPolicy:b/allow-a:ingress[0]')).toBeNull();
    expect(parseIstioRuleRef('ns[a]-policy[b]-rule[2]')).toEqual(istioRuleRef('a', 'b', 2));
  });

  it('names the spec section and index a reference points at', () => {
    expect(ruleSection(istioRuleRef('a', 'b', 2))).toEqual({ section: 'rules', index: 2 });
    expect(ruleSection(sectionRuleRef('NetworkPolicy', 'a', 'b', 'egress', 1))).toEqual({
      section: 'egress',
      index: 1,
    });
    expect(ruleSection(sectionRuleRef('NetworkPolicy', 'a', 'b', 'egress', null))).toBeNull();
    expect(ruleSection(sectionRuleRef('CalicoNetworkPolicy', 'a', 'b', 'egress', -1))).toBeNull();
    expect(ruleSection(sectionRuleRef('PeerAuthentication', 'a', 'b', 'portLevelMtls', 8080))).toBeNull();
    expect(ruleSection(ztunnelRuleRef('a', 'b'))).toBeNull();
    expect(ruleSection(NO_RULE)).toBeNull();
  });
});

describe('RBAC denial details (Envoy response flag details, as in test/fixtures/logs/access-logs.log)', () => {
  it('formats and reads rbac_access_denied_matched_policy[ID]', () => {
    const id = 'ns[istio-system]-policy[external-deny-developer-yahoo-com]-rule[0]';
    expect(formatRbacDeniedDetails(parseRuleRef(id) as RuleRef)).toBe(`rbac_access_denied_matched_policy[${id}]`);
    expect(rbacDeniedPolicyId(`rbac_access_denied_matched_policy[${id}]`)).toBe(id);
    expect(formatRbacDeniedDetails(NO_RULE)).toBe('rbac_access_denied_matched_policy[none]');
    expect(rbacDeniedPolicyId('rbac_access_denied_matched_policy[none]')).toBeNull();
    expect(rbacDeniedPolicyId('ext_authz_denied')).toBeUndefined();
  });
});
