/**
 * A CUSTOM policy whose provider istiod cannot use is enforced as a DENY of its rules, named
 * `istio-ext-authz-...-deny-due-to-bad-CUSTOM-action` (istio/istio:pilot/pkg/security/authz/builder/builder.go
 * getBadCustomDenyRules; builder golden testdata/http/custom-bad-out.yaml), on HTTP and TCP chains; explain
 * answers denied with that attribution, and istioctl's table lists it under DENY.
 */
import { describe, expect, it } from 'vitest';
import { authzCheckRows } from '../../../src/engine/istio/authz-check.js';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { convertIstio } from '../../../src/model/convert/istio.js';
import { flow, pod, rawObjects, reachAll, snapshotOf } from './helpers.js';

const mesh = (provider: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    extensionProviders:\n    - ${provider}\n---\n`;
const CUSTOM = (annotations = '') =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext-authz, namespace: foo${annotations}}\n` +
  'spec: {action: CUSTOM, provider: {name: ext}, rules: [{to: [{operation: {paths: ["/headers"], ports: ["8080"]}}]}]}\n';
const BAD_PORT = '{name: ext, envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 0}}';
const BAD_PREFIX =
  '{name: ext, envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 8000, pathPrefix: check}}';
const GOOD = '{name: ext, envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 8000}}';

const server = pod('foo', 'httpbin');
const client = pod('foo', 'sleep');
const snap = (istio: string) => snapshotOf({ pods: [client, server], istio });
const ask = (istio: string, o: Parameters<typeof flow>[2] = { method: 'GET', path: '/headers' }) =>
  evaluateIstioLayers(snap(istio), flow(client, server, o), reachAll);

describe('CUSTOM with an invalid provider', () => {
  it.each([
    ['a bad port', BAD_PORT, /port must be in the range/],
    ['a bad pathPrefix', BAD_PREFIX, /pathPrefix must begin with/],
  ])('%s: the matching rule is an enforced DENY named after it', (_what, provider, why) => {
    const r = ask(mesh(provider) + CUSTOM(), { method: 'GET', path: '/headers', extAuthz: 'allow' });
    expect(r.steps[2]).toMatchObject({
      layer: 'authz-custom',
      verdict: 'denied',
      policies: [{ name: 'ext-authz', rule: 0 }],
    });
    expect(r.steps[2]?.summary).toMatch(why);
    expect(r.expectedResponse).toEqual({
      status: 403,
      body: 'RBAC: access denied',
      flags: null,
      details:
        'rbac_access_denied_matched_policy[istio-ext-authz-ext-ns[foo]-policy[ext-authz]-rule[0]-deny-due-to-bad-CUSTOM-action]',
    });
  });

  it('a request the rule does not match passes; a valid provider calls ext_authz instead', () => {
    expect(ask(mesh(BAD_PORT) + CUSTOM(), { method: 'GET', path: '/ip' }).steps[2]?.verdict).toBe('allowed');
    expect(ask(mesh(GOOD) + CUSTOM()).steps[2]?.verdict).toBe('conditional');
  });

  it('on a TCP port too (buildTCP checks the provider before skipping HTTP providers); a valid HTTP provider is skipped there', () => {
    const tcp = { method: undefined, path: undefined, http: null };
    expect(ask(mesh(BAD_PORT) + CUSTOM(), tcp).steps[2]?.verdict).toBe('denied');
    expect(ask(mesh(GOOD) + CUSTOM(), tcp).steps[2]?.summary).toMatch(/skips on TCP ports/);
  });

  it('a dry-run CUSTOM policy with a bad provider is left out of the stand-in DENY', () => {
    const dry = CUSTOM(', annotations: {"istio.io/dry-run": "true"}');
    expect(ask(mesh(BAD_PORT) + dry).steps[2]?.verdict).toBe('allowed');
  });

  it('lint names the provider error (custom-provider-invalid)', () => {
    const r = convertIstio(rawObjects(mesh(BAD_PREFIX) + CUSTOM()), { defaultNamespace: 'default' });
    const f = r.findings.find((x) => x.code === 'custom-provider-invalid');
    expect(f?.message).toMatch(/foo\/ext-authz: found errors in provider ext: pathPrefix must begin with/);
  });

  it('istioctl x authz check lists the stand-in under DENY', () => {
    expect(authzCheckRows(snap(mesh(BAD_PORT) + CUSTOM()), server)).toEqual([
      { action: 'DENY', name: 'ext-authz.foo', rules: 1 },
    ]);
    expect(authzCheckRows(snap(mesh(GOOD) + CUSTOM()), server)).toEqual([
      { action: 'CUSTOM', name: 'ext-authz.foo', rules: 1 },
    ]);
  });
});
