import { describe, expect, it } from 'vitest';
import { authzCheckRows } from '../../../src/engine/istio/authz-check.js';
import { pod, snapshotOf } from './helpers.js';

const ap = (name: string, spec: string, extra = '') =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: default${extra}}\nspec: ${spec}\n---\n`;
const httpbin = pod('default', 'httpbin');

describe('authzCheckRows (istioctl x authz check, computed offline)', () => {
  it('reproduces upstream authz_test.go: an HTTP-only ALLOW leaves the TCP chain with _anonymous_match_nothing_', () => {
    const snap = snapshotOf({
      pods: [httpbin],
      istio:
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    extensionProviders: [{name: ext, envoyExtAuthzHttp: {service: a, port: 1}}]\n---\n' +
        ap('httpbin', '{rules: [{to: [{operation: {methods: ["GET"]}}]}]}') +
        ap('ext-authz', '{action: CUSTOM, provider: {name: ext}, rules: [{to: [{operation: {paths: ["/x"]}}]}]}'),
    });
    expect(authzCheckRows(snap, httpbin)).toEqual([
      { action: 'ALLOW', name: '_anonymous_match_nothing_', rules: 1 },
      { action: 'ALLOW', name: 'httpbin.default', rules: 1 },
      { action: 'CUSTOM', name: 'ext-authz.default', rules: 1 },
    ]);
  });

  it('groups DENY, ALLOW, LOG, CUSTOM; counts rules; spec {} counts its match-nothing rule; dry-run is not listed', () => {
    const snap = snapshotOf({
      pods: [httpbin],
      istio:
        ap('b-allow', '{rules: [{}, {to: [{operation: {ports: ["80"]}}]}]}') +
        ap('a-allow', '{}') +
        ap('audit', '{action: AUDIT, rules: [{}]}') +
        ap('deny', '{action: DENY, rules: [{to: [{operation: {methods: ["POST"]}}]}]}') +
        ap('shadow', '{action: DENY, rules: [{}]}', ', annotations: {"istio.io/dry-run": "true"}'),
    });
    expect(authzCheckRows(snap, httpbin)).toEqual([
      { action: 'DENY', name: 'deny.default', rules: 1 },
      { action: 'ALLOW', name: 'a-allow.default', rules: 1 },
      { action: 'ALLOW', name: 'b-allow.default', rules: 2 },
      { action: 'LOG', name: 'audit.default', rules: 1 },
    ]);
  });

  it('includes root-namespace policies and skips rules istiod rejects', () => {
    const root =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: mesh-deny, namespace: istio-system}\nspec: {action: DENY, rules: [{when: [{key: "bogus", values: ["x"]}]}, {}]}\n';
    expect(authzCheckRows(snapshotOf({ pods: [httpbin], istio: root }), httpbin)).toEqual([
      { action: 'DENY', name: 'mesh-deny.istio-system', rules: 1 },
    ]);
  });
});
