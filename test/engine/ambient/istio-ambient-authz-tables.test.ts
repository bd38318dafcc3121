/**
 * istiod's translation of AuthorizationPolicies for ztunnel, as explain vectors: each case of
 * istio/istio:pilot/pkg/serviceregistry/ambient/authorization_test.go TestConvertAuthorizationPolicyStatus
 * (commit 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c) whose expectation decides a verdict
 * (`expectEffectiveRules`, the status message's "omitted" / "no effect" / "enforced without the
 * HTTP rules", the unsupported actions) is applied with a selector to shop/server (ambient, no
 * waypoint: the destination ztunnel enforces it) and asked for two clients: foo/bar (the principal
 * the cases name, cluster.local/ns/foo/sa/bar) and shop/client (no rule names it). The cases use no
 * selector (a namespace-wide policy): the selector only narrows it to the server.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { authz, deploy, namespace, shop } from './world.js';

const SRC =
  'istio/istio@86c9f01fd735fb01d8192f5bcaf0d424afb7f14c:pilot/pkg/serviceregistry/ambient/authorization_test.go';

const BAR = '{principals: ["cluster.local/ns/foo/sa/bar"]}';
const L7_SOURCE = '{notRequestPrincipals: ["example.com/sub-1"]}';

function verdict(action: string, rules: string, src: string): string {
  const p = authz('shop', 'case', `{selector: {matchLabels: {app: server}}, action: ${action}, rules: ${rules}}`);
  const yaml = shop(namespace('foo') + deploy('foo', 'bar') + p);
  return explainOk(snapshotFromYaml(yaml), { src, dst: 'shop/server', port: 80, http: null }).verdict;
}

/** [case name, action, rules, verdict for foo/bar, verdict for shop/client] */
const CASES: readonly (readonly [string, string, string, string, string])[] = [
  // "ztunnel does not support the AUDIT/CUSTOM action": not sent to ztunnel
  ['unsupported AUDIT action', 'AUDIT', `[{from: [{source: ${BAR}}]}]`, 'allowed', 'allowed'],
  ['unsupported CUSTOM action', 'CUSTOM, provider: {name: ext}', `[{from: [{source: ${BAR}}]}]`, 'allowed', 'allowed'],
  // "Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive"
  [
    'unsupported HTTP methods',
    'ALLOW',
    '[{from: [{source: {requestPrincipals: ["example.com/sub-1"]}}], to: [{operation: {methods: ["GET"]}}], when: [{key: request.auth.presenter, values: ["presenter.example.com"]}]}]',
    'denied',
    'denied',
  ],
  [
    'DENY policy with only L4 attributes - no status warning',
    'DENY',
    `[{from: [{source: ${BAR}}]}]`,
    'denied',
    'allowed',
  ],
  // expectEffectiveRules false: "this DENY policy has no enforceable rules at ztunnel and will have no effect"
  [
    'DENY policy with only L7 attributes results in no effect at ztunnel',
    'DENY',
    `[{from: [{source: ${L7_SOURCE}}]}]`,
    'allowed',
    'allowed',
  ],
  // expectEffectiveRules true: "DENY policy with HTTP attributes is enforced without the HTTP rules"
  [
    'DENY policy with mixed L4 and L7 attributes is enforced without HTTP rules',
    'DENY',
    '[{from: [{source: {principals: ["cluster.local/ns/foo/sa/bar"], notRequestPrincipals: ["example.com/sub-1"]}}]}]',
    'denied',
    'allowed',
  ],
  [
    'DENY policy with L7-only and separate L4 rule is still enforced',
    'DENY',
    `[{from: [{source: ${L7_SOURCE}}]}, {from: [{source: ${BAR}}]}]`,
    'denied',
    'allowed',
  ],
  [
    'DENY policy with empty catch-all rule and L7-only rule is still enforced',
    'DENY',
    `[{}, {from: [{source: ${L7_SOURCE}}]}]`,
    'denied',
    'denied',
  ],
  [
    'DENY policy with L4 From and L7 When is a no-op due to AND empty clause',
    'DENY',
    `[{from: [{source: ${BAR}}], when: [{key: "request.headers[x-token]", values: ["secret"]}]}]`,
    'allowed',
    'allowed',
  ],
  [
    'DENY policy with L4 From and L7-only To methods is a no-op due to AND empty clause',
    'DENY',
    `[{from: [{source: ${BAR}}], to: [{operation: {methods: ["GET"]}}]}]`,
    'allowed',
    'allowed',
  ],
];

describe(`${SRC} TestConvertAuthorizationPolicyStatus`, () => {
  it.each(
    CASES.flatMap(([name, action, rules, bar, client]) => [
      { name, action, rules, src: 'foo/bar', want: bar },
      { name, action, rules, src: 'shop/client', want: client },
    ]),
  )('$name: $src => $want', ({ action, rules, src, want }) => {
    expect(verdict(action, rules, src)).toBe(want);
  });
});
