import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { authzPoliciesFor } from '../../../src/engine/index.js';
import { flow, pod, reachAll, snapshotOf } from './helpers.js';
import { SAMPLE_EXT_AUTHZ_MESH } from '../../helpers/ext-authz-mesh.js';

const MESH = SAMPLE_EXT_AUTHZ_MESH;
const policy = (name: string, spec: string, annotations = '') =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: foo${annotations}}\nspec: ${spec}\n---\n`;

const server = pod('foo', 'httpbin');
const client = pod('foo', 'sleep');
const ask = (istio: string, o: Parameters<typeof flow>[2] = {}) =>
  evaluateIstioLayers(
    snapshotOf({ pods: [client, server], istio }),
    flow(client, server, { method: 'GET', path: '/headers', ...o }),
    reachAll,
  );

describe('authz-custom (ext_authz runs before JWT)', () => {
  const custom =
    MESH +
    policy(
      'ext-authz',
      '{action: CUSTOM, provider: {name: sample-ext-authz}, rules: [{to: [{operation: {paths: ["/headers"]}}]}]}',
    );

  it('a matching CUSTOM rule is conditional without --ext-authz', () => {
    const r = ask(custom);
    expect(r.steps[2]).toMatchObject({
      layer: 'authz-custom',
      verdict: 'conditional',
      policies: [{ ruleRef: 'istio-ext-authz-ns[foo]-policy[ext-authz]-rule[0]' }],
    });
    expect(r.conditions.map((c) => c.code)).toContain('ext-authz-unknown');
  });

  it('--ext-authz deny gives the ext_authz denial (UAEX)', () => {
    const r = ask(custom, { extAuthz: 'deny' });
    expect(r.steps[2]?.verdict).toBe('denied');
    expect(r.expectedResponse).toEqual({ status: 403, body: null, flags: 'UAEX', details: 'ext_authz_denied' });
  });

  it('--ext-authz allow passes; a non-matching request never calls ext_authz', () => {
    expect(ask(custom, { extAuthz: 'allow' }).steps[2]?.verdict).toBe('allowed');
    expect(ask(custom, { path: '/ip' }).steps[2]?.summary).toMatch(/not called/);
  });

  it('an unknown provider is an enforced DENY for matching requests (builder golden custom-bad-out)', () => {
    const bad = policy(
      'ext-authz',
      '{action: CUSTOM, provider: {name: nope}, rules: [{to: [{operation: {paths: ["/headers"]}}]}]}',
    );
    const r = ask(bad);
    expect(r.steps[2]?.verdict).toBe('denied');
    expect(r.expectedResponse?.details).toBe(
      'rbac_access_denied_matched_policy[istio-ext-authz-nope-ns[foo]-policy[ext-authz]-rule[0]-deny-due-to-bad-CUSTOM-action]',
    );
    expect(ask(bad, { path: '/ip' }).steps[2]?.verdict).toBe('allowed');
  });
});

describe('AUDIT and dry-run never decide', () => {
  it('a matching AUDIT rule is reported as audited', () => {
    const r = ask(policy('audit', '{action: AUDIT, rules: [{}]}'));
    expect(r.steps[4]).toMatchObject({ verdict: 'allowed', policies: [{ name: 'audit', effect: 'audited' }] });
  });

  it('a dry-run DENY that matches is a shadow result, not a denial', () => {
    const r = ask(
      policy(
        'deny-path-headers',
        '{action: DENY, rules: [{to: [{operation: {paths: ["/headers"]}}]}]}',
        ', annotations: {"istio.io/dry-run": "true"}',
      ),
    );
    expect(r.steps[4]).toMatchObject({
      verdict: 'allowed',
      policies: [{ ruleRef: 'ns[foo]-policy[deny-path-headers]-rule[0]', effect: 'shadow' }],
    });
  });

  it('a dry-run ALLOW alone does not turn on deny-by-default', () => {
    const r = ask(
      policy(
        'only',
        '{action: ALLOW, rules: [{to: [{operation: {paths: ["/other"]}}]}]}',
        ', annotations: {"istio.io/dry-run": "true"}',
      ),
    );
    expect(r.steps[5]?.verdict).toBe('allowed');
    expect(r.steps[5]?.summary).toMatch(/shadow/);
  });
});

describe('policy shapes and scope', () => {
  it('spec: {} is allow-nothing: denied with matched policy none', () => {
    const r = ask(policy('allow-nothing', '{}'));
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.steps[5]?.policies[0]).toMatchObject({ name: 'allow-nothing', rule: null, ruleRef: 'none' });
  });

  it('rules: [{}] is allow-all', () => {
    expect(ask(policy('allow-all', '{rules: [{}]}')).steps[5]?.policies[0]).toMatchObject({
      rule: 0,
      effect: 'allowed',
    });
  });

  it('a selector that does not match the pod leaves it out; the root namespace applies mesh-wide', () => {
    expect(ask(policy('other', '{selector: {matchLabels: {app: other}}}')).steps[5]?.verdict).toBe('allowed');
    const root =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: global-deny, namespace: istio-system}\nspec: {action: DENY, rules: [{to: [{operation: {paths: ["/headers"]}}]}]}\n';
    expect(ask(root).steps[4]).toMatchObject({
      verdict: 'denied',
      policies: [{ ruleRef: 'ns[istio-system]-policy[global-deny]-rule[0]' }],
    });
  });

  it('a targetRefs policy never applies to sidecars; a Gateway ref attaches to its gateway pods', () => {
    const refs = policy(
      'gw',
      '{targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: web}], action: DENY, rules: [{}]}',
    );
    expect(ask(refs).steps[4]?.verdict).toBe('allowed');
    const gwPod = pod('foo', 'web-istio', { labels: { 'gateway.networking.k8s.io/gateway-name': 'web' } });
    const r = evaluateIstioLayers(
      snapshotOf({ pods: [client, gwPod], istio: refs }),
      flow(client, gwPod, { method: 'GET', path: '/' }),
      reachAll,
    );
    expect(r.steps[4]?.verdict).toBe('denied');
  });

  it('a Service targetRef is waypoint-only: an informational condition when it names the destination Service', () => {
    const refs = policy('svc', '{targetRefs: [{kind: Service, group: "", name: httpbin}], action: DENY, rules: [{}]}');
    const svc = {
      namespace: 'foo',
      name: 'httpbin',
      selector: { app: 'httpbin' },
      clusterIP: '10.96.1.1',
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 8000, targetPort: 8080, protocol: 'TCP' as const, appProtocol: null }],
      loc: null,
    };
    const r = ask(refs, { service: svc, servicePort: 8000 });
    expect(r.conditions.find((c) => c.code === 'waypoint-only-policy')?.message).toMatch(/waypoint/);
    expect(r.steps[4]?.verdict).toBe('allowed');
  });

  it('HTTP fields against a TCP port are evaluated as TCP, and the notes say so', () => {
    const r = ask(policy('get-only', '{rules: [{to: [{operation: {methods: ["GET"]}}]}]}'), { appProtocol: 'tcp' });
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.notes.join(' ')).toMatch(/evaluated as TCP/);
    expect(r.expectedResponse?.status).toBe('connection-reset');
  });
});

describe('a denial by default names no rule', () => {
  it('keeps a matching dry-run ALLOW out of the denied step policies (it only shadows)', () => {
    const r = ask(
      policy('enforced', '{rules: [{to: [{operation: {paths: ["/other"]}}]}]}') +
        policy('dry', '{rules: [{}]}', ', annotations: {"istio.io/dry-run": "true"}'),
    );
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.steps[5]?.policies.every((p) => p.rule === null)).toBe(true);
    expect(r.steps[5]?.summary).toMatch(/dry-run ALLOW ns\[foo\]-policy\[dry\]-rule\[0\] would allow/);
  });
});

describe('CUSTOM details from istio/istio builder.go', () => {
  const grpcMesh = MESH.replace(
    '    - name: sample-ext-authz\n      envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 8000}',
    '    - name: sample-ext-authz\n      envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 8000}\n    - name: grpc-authz\n      envoyExtAuthzGrpc: {service: opa.foo.svc.cluster.local, port: 9191}',
  );

  it('an HTTP ext_authz provider is skipped on TCP ports ("ignored CUSTOM action with HTTP provider on TCP filter chain")', () => {
    const r = ask(MESH + policy('ext-authz', '{action: CUSTOM, provider: {name: sample-ext-authz}, rules: [{}]}'), {
      appProtocol: 'tcp',
      http: null,
    });
    expect(r.steps[2]).toMatchObject({ verdict: 'allowed' });
    expect(r.steps[2]?.summary).toMatch(/skips on TCP/);
  });

  it('a gRPC ext_authz provider still applies on TCP ports', () => {
    const r = ask(grpcMesh + policy('opa', '{action: CUSTOM, provider: {name: grpc-authz}, rules: [{}]}'), {
      appProtocol: 'tcp',
      http: null,
      extAuthz: 'deny',
    });
    expect(r.steps[2]?.verdict).toBe('denied');
  });

  it('two providers on one workload turn the matching CUSTOM rules into DENY', () => {
    const r = ask(
      grpcMesh +
        policy('a', '{action: CUSTOM, provider: {name: grpc-authz}, rules: [{}]}') +
        policy('b', '{action: CUSTOM, provider: {name: sample-ext-authz}, rules: [{}]}'),
    );
    expect(r.steps[2]?.verdict).toBe('denied');
    expect(r.steps[2]?.summary).toMatch(/several CUSTOM providers/);
  });
});

describe('root-namespace DENY policies are evaluated before the workload namespace ones (builder.go rootDenyPolicies)', () => {
  it('names the root rule when both match', () => {
    const root =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: zz-root, namespace: istio-system}\nspec: {action: DENY, rules: [{}]}\n---\n';
    const r = ask(root + policy('aa-local', '{action: DENY, rules: [{}]}'));
    expect(r.steps[4]?.policies[0]?.ruleRef).toBe('ns[istio-system]-policy[zz-root]-rule[0]');
  });

  it('within one filter the lexicographically first policy id is the one Envoy logs (std::map order)', () => {
    const r = ask(
      policy('b', '{action: DENY, rules: [{}]}') +
        policy('a', '{action: DENY, rules: [{to: [{operation: {ports: ["1"]}}]}, {}]}'),
    );
    expect(r.steps[4]?.policies[0]?.ruleRef).toBe('ns[foo]-policy[a]-rule[1]');
  });
});

describe('HTTP port without HTTP fields', () => {
  it('says that HTTP-only rule fields see absent values', () => {
    const r = ask(policy('get', '{rules: [{to: [{operation: {methods: ["GET"]}}]}]}'), {
      http: null,
      appProtocol: 'http',
    });
    expect(r.steps[5]?.verdict).toBe('denied');
    expect(r.notes.join(' ')).toMatch(/gives no method or path/);
  });
});

describe('per-flow rule findings', () => {
  it('identity rules without mTLS, and HTTP-only fields on a TCP port', () => {
    const r = ask(
      policy('who', '{rules: [{from: [{source: {namespaces: ["foo"]}}], to: [{operation: {methods: ["GET"]}}]}]}'),
      { mtlsOverride: false, appProtocol: 'tcp' },
    );
    expect(r.findings.map((f) => f.code)).toEqual(['identity-without-mtls', 'http-field-on-tcp-port']);
    expect(r.findings[1]?.message).toMatch(/never match/);
  });
});

describe('more shapes from istio/istio builder.go / generators', () => {
  it('a null rule is skipped ("skipped nil rule") but keeps its index', () => {
    const r = ask(
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: n, namespace: foo}\nspec:\n  action: DENY\n  rules:\n  -\n  - to: [{operation: {paths: ["/headers"]}}]\n',
    );
    expect(r.steps[4]?.policies[0]?.ruleRef).toBe('ns[foo]-policy[n]-rule[1]');
    expect(
      ask(
        'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: n, namespace: foo}\nspec:\n  action: DENY\n  rules:\n  -\n',
        { path: '/x' },
      ).steps[4]?.verdict,
    ).toBe('allowed');
  });

  /**
   * istio/istio pilot/pkg/model/policyattachment.go ShouldAttachPolicy (@86c9f01): a GatewayClass ref
   * attaches only from the root namespace, only to waypoints, and only for the class istio-waypoint;
   * a waypoint never takes a selector or namespace-wide policy. (This test asserted the opposite for
   * an ingress gateway of class `istio`, which was our reading of the reference doc, not Istio's code.)
   */
  it('a GatewayClass targetRef attaches to waypoints of istio-waypoint only, never to an ingress gateway', () => {
    const gw = pod('foo', 'web-istio', {
      labels: {
        'gateway.networking.k8s.io/gateway-name': 'web',
        'gateway.networking.k8s.io/gateway-class-name': 'istio',
      },
    });
    const waypoint = pod('foo', 'waypoint-abc', {
      labels: {
        'gateway.networking.k8s.io/gateway-name': 'waypoint',
        'gateway.networking.k8s.io/gateway-class-name': 'istio-waypoint',
      },
    });
    const refTo = (name: string, cls: string): string =>
      `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: istio-system}\nspec: {targetRefs: [{group: gateway.networking.k8s.io, kind: GatewayClass, name: ${cls}}], action: DENY, rules: [{}]}\n---\n`;
    const selectorInFoo =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ns-wide, namespace: foo}\nspec: {action: DENY, rules: [{}]}\n';
    const snapshot = snapshotOf({
      pods: [client, gw, waypoint],
      istio: refTo('cls-istio', 'istio') + refTo('cls-waypoint', 'istio-waypoint') + selectorInFoo,
    });
    const names = (p: ReturnType<typeof pod>): string[] => authzPoliciesFor(snapshot, p).map((x) => x.name);
    expect(names(gw)).toEqual(['ns-wide']);
    expect(names(waypoint)).toEqual(['cls-waypoint']);
    const r = evaluateIstioLayers(
      snapshotOf({ pods: [client, gw], istio: refTo('cls-istio', 'istio') }),
      flow(client, gw, { method: 'GET', path: '/' }),
      reachAll,
    );
    expect(r.steps[4]?.verdict).toBe('allowed');
  });

  it('an ext_authz denial on a TCP port closes the connection', () => {
    const grpc =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    extensionProviders: [{name: g, envoyExtAuthzGrpc: {service: s, port: 1}}]\n---\n';
    const r = ask(grpc + policy('c', '{action: CUSTOM, provider: {name: g}, rules: [{}]}'), {
      appProtocol: 'tcp',
      http: null,
      extAuthz: 'deny',
    });
    expect(r.expectedResponse).toEqual({
      status: 'connection-reset',
      body: null,
      flags: 'UAEX',
      details: 'ext_authz_denied',
    });
  });

  it('a header condition "*" is Envoy present_match: an empty header value is present', () => {
    const p = policy('hdr', '{rules: [{when: [{key: "request.headers[x-token]", values: ["*"]}]}]}');
    expect(ask(p, { headers: { 'X-Token': '' } }).steps[5]?.verdict).toBe('allowed');
    expect(ask(p, { headers: {} }).steps[5]?.verdict).toBe('denied');
  });

  it('paths are matched after normalization: /api/../admin hits a DENY on /admin', () => {
    const r = ask(policy('admin', '{action: DENY, rules: [{to: [{operation: {paths: ["/admin"]}}]}]}'), {
      path: '/api/../admin',
    });
    expect(r.steps[4]?.verdict).toBe('denied');
  });
});
