/**
 * explain applies meshConfig pathNormalization before AuthorizationPolicy path matching, as Envoy does
 * (istio/istio:pilot/pkg/networking/core/listener_builder.go "Setup normalization";
 * https://istio.io/latest/docs/ops/best-practices/security/#understand-path-normalization-in-authorization-policy:
 * with BASE `/public/%2E%2E/private`... dot segments, including percent-encoded ones, are resolved).
 */
import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { convertIstio } from '../../../src/model/convert/istio.js';
import { flow, pod, rawObjects, reachAll, snapshotOf } from './helpers.js';

const mesh = (mode: string | null) =>
  mode === null
    ? ''
    : `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    pathNormalization: {normalization: ${mode}}\n---\n`;
const DENY_PRIVATE =
  'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny-private, namespace: foo}\n' +
  'spec: {action: DENY, rules: [{to: [{operation: {paths: ["/private*"]}}]}]}\n';

const server = pod('foo', 'httpbin');
const client = pod('foo', 'sleep');
const ask = (mode: string | null, path: string) =>
  evaluateIstioLayers(
    snapshotOf({ pods: [client, server], istio: mesh(mode) + DENY_PRIVATE }),
    flow(client, server, { method: 'GET', path }),
    reachAll,
  );
const denyVerdict = (mode: string | null, path: string) =>
  ask(mode, path).steps.find((s) => s.layer === 'authz-deny')?.verdict;

describe('explain: pathNormalization before AuthorizationPolicy paths', () => {
  it.each([
    // [mode (null: no mesh ConfigMap = BASE), request path, authz-deny verdict]
    [null, '/public/%2E%2E/private', 'denied'],
    [null, '/public/..%2Fprivate', 'allowed'],
    [null, '/public\\..\\private', 'denied'],
    ['BASE', '//private', 'allowed'],
    ['DEFAULT', '/public/../private', 'denied'],
    ['NONE', '/public/%2E%2E/private', 'allowed'],
    ['NONE', '/public/../private', 'allowed'],
    ['MERGE_SLASHES', '//private', 'denied'],
    ['MERGE_SLASHES', '/public/..%2Fprivate', 'allowed'],
    ['DECODE_AND_MERGE_SLASHES', '/public/..%2Fprivate', 'denied'],
    ['DECODE_AND_MERGE_SLASHES', '/public%5C..%5Cprivate', 'denied'],
  ])('%s: %s -> %s', (mode, path, want) => {
    expect(denyVerdict(mode, path)).toBe(want);
  });

  it('says which path the policies saw, and where the setting came from', () => {
    expect(ask('MERGE_SLASHES', '//private').notes).toContain(
      'path "//private" is "/private" to authorization policies (meshConfig pathNormalization MERGE_SLASHES (ConfigMap istio-system/istio))',
    );
    expect(ask(null, '/public/%2E%2E/private').notes.join('\n')).toMatch(/BASE \(defaults\)/);
    expect(ask(null, '/private').notes.join('\n')).not.toMatch(/pathNormalization/);
  });

  it('a %00 path is answered 400 before authorization: the verdict cannot be an authz decision', () => {
    expect(ask(null, '/private%00').conditions.map((c) => c.code)).toContain('path-rejected');
  });
});

describe('mesh ConfigMap pathNormalization', () => {
  const read = (mode: string) => convertIstio(rawObjects(mesh(mode)), { defaultNamespace: 'default' });
  it('reads each mode; DEFAULT and absent are BASE', () => {
    expect(read('MERGE_SLASHES').istio.mesh.pathNormalization).toBe('MERGE_SLASHES');
    expect(read('DEFAULT').istio.mesh.pathNormalization).toBe('BASE');
    expect(convertIstio([], { defaultNamespace: 'default' }).istio.mesh.pathNormalization).toBe('BASE');
  });
  it('an unknown mode is a mesh-config-invalid finding, BASE assumed', () => {
    const r = read('SLASHY');
    expect(r.istio.mesh.pathNormalization).toBe('BASE');
    expect(r.findings.map((f) => f.code)).toContain('mesh-config-invalid');
  });
});
