import { describe, expect, it } from 'vitest';
import { convertIstio, isIstioKind } from '../../../src/model/convert/istio.js';
import { rawObjects } from '../../engine/istio/helpers.js';

const convert = (text: string, o: { rootNamespace?: string; trustDomain?: string } = {}) =>
  convertIstio(rawObjects(text), { defaultNamespace: 'dflt', ...o });

describe('isIstioKind', () => {
  it.each([
    ['security.istio.io/v1', 'AuthorizationPolicy', true],
    ['security.istio.io/v1beta1', 'PeerAuthentication', true],
    ['security.istio.io/v1beta1', 'ServiceRole', true],
    ['rbac.istio.io/v1alpha1', 'ClusterRbacConfig', true],
    ['networking.istio.io/v1', 'DestinationRule', true],
    ['networking.istio.io/v1beta1', 'Sidecar', true],
    ['networking.istio.io/v1beta1', 'VirtualService', false],
    ['v1', 'ConfigMap', false],
    ['networking.k8s.io/v1', 'NetworkPolicy', false],
  ])('%s %s -> %s', (apiVersion, kind, want) => {
    expect(isIstioKind(apiVersion, kind)).toBe(want);
  });
});

describe('convertIstio', () => {
  it('reads an AuthorizationPolicy of v1 and v1beta1 alike, defaulting action ALLOW and the namespace', () => {
    const r = convert(`apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: p, annotations: {istio.io/dry-run: "true"}}
spec:
  selector: {matchLabels: {app: b}}
  rules:
  - from: [{source: {principals: [a], notNamespaces: [x]}}]
    to: [{operation: {ports: ["8080"], methods: [GET]}}]
    when: [{key: "request.headers[x]", values: ["1"]}]
  - {}
`);
    const p = r.istio.authorizationPolicies[0];
    expect(p).toMatchObject({
      namespace: 'dflt',
      name: 'p',
      action: 'ALLOW',
      dryRun: true,
      selector: { matchLabels: { app: 'b' } },
    });
    expect(p?.rules[0]).toEqual({
      from: [{ principals: ['a'], notNamespaces: ['x'] }],
      to: [{ ports: ['8080'], methods: ['GET'] }],
      when: [{ key: 'request.headers[x]', values: ['1'], notValues: null }],
    });
    expect(p?.rules[1]).toEqual({ from: null, to: null, when: null });
    expect(r.findings).toEqual([]);
  });

  it('an unquoted port is refused as the API server refuses it (CRD schema: items of type string)', () => {
    const r = convert(
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p}\nspec: {rules: [{to: [{operation: {ports: [8080]}}]}]}\n',
    );
    expect(r.findings.map((f) => [f.severity, f.field])).toEqual([['error', 'spec.rules[0].to[0].operation.ports[0]']]);
    expect(r.findings[0]?.message).toMatch(/quote it \("8080"\) \(API server: CRD schema/);
  });

  it('spec: {} has no rules (allow-nothing)', () => {
    expect(
      convert(
        'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: n, namespace: a}\nspec: {}\n',
      ).istio.authorizationPolicies[0]?.rules,
    ).toEqual([]);
  });

  it('rejects an unknown action with a one-line finding', () => {
    const r = convert(
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: n, namespace: a}\nspec: {action: REJECT}\n',
    );
    expect(r.findings[0]).toMatchObject({ severity: 'error', code: 'invalid-field', field: 'spec.action' });
  });

  it('reads PeerAuthentication modes, portLevelMtls and the creation time', () => {
    const r = convert(
      'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: w, namespace: a, creationTimestamp: "2024-01-01T00:00:00Z"}\nspec: {selector: {matchLabels: {app: x}}, mtls: {mode: STRICT}, portLevelMtls: {"8080": {mode: DISABLE}}}\n',
    );
    const p = r.istio.peerAuthentications[0];
    expect(p?.mode).toBe('STRICT');
    expect([...(p?.portLevelMtls ?? [])]).toEqual([[8080, 'DISABLE']]);
    expect(p?.creationTimestamp).toBe('2024-01-01T00:00:00Z');
  });

  it('reads RequestAuthentication jwtRules and DestinationRule TLS modes', () => {
    const r = convert(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: ra, namespace: a}
spec: {jwtRules: [{issuer: iss, audiences: [x], jwksUri: "https://h/jwks", spaceDelimitedClaims: [roles]}, {issuer: i2, jwks: "{}"}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: a}
spec: {host: svc, trafficPolicy: {tls: {mode: DISABLE}, portLevelSettings: [{port: {number: 80}, tls: {mode: ISTIO_MUTUAL}}]}}
`);
    expect(r.istio.requestAuthentications[0]?.jwtRules).toEqual([
      {
        issuer: 'iss',
        audiences: ['x'],
        jwksUri: 'https://h/jwks',
        hasInlineJwks: false,
        spaceDelimitedClaims: ['roles'],
      },
      { issuer: 'i2', audiences: [], jwksUri: null, hasInlineJwks: true, spaceDelimitedClaims: [] },
    ]);
    const dr = r.istio.destinationRules[0];
    expect(dr?.tlsMode).toBe('DISABLE');
    expect(dr?.portTlsModes.get(80)).toBe('ISTIO_MUTUAL');
  });

  it('reads the mesh ConfigMap: root namespace, trust domain and aliases, auto-mTLS, providers', () => {
    const r = convert(`apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    rootNamespace: mesh-root
    trustDomain: corp.example
    trustDomainAliases: [old.example]
    enableAutoMtls: false
    outboundTrafficPolicy: {mode: REGISTRY_ONLY}
    extensionProviders:
    - name: opa
      envoyExtAuthzGrpc: {service: opa.opa.svc.cluster.local, port: 9191}
    defaultConfig:
      gatewayTopology: {numTrustedProxies: 2}
`);
    expect(r.istio.mesh).toMatchObject({
      istioNamespace: 'istio-system',
      rootNamespace: 'mesh-root',
      trustDomain: 'corp.example',
      trustDomainAliases: ['old.example'],
      enableAutoMtls: false,
      outboundTrafficPolicy: 'REGISTRY_ONLY',
      extensionProviders: [{ name: 'opa', type: 'envoyExtAuthzGrpc' }],
      numTrustedProxies: 2,
      origin: 'ConfigMap istio-system/istio',
      revisions: ['default'],
    });
  });

  it('reads data.mesh as istiod does (sigs.k8s.io/yaml, go-yaml v2): enableAutoMtls: off is false', () => {
    const r = convert(`apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    enableAutoMtls: off
`);
    expect(r.istio.mesh.enableAutoMtls).toBe(false);
  });

  it('flags overrides win, and a revisioned ConfigMap is used when it is the only one', () => {
    const r = convert(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio-canary, namespace: istio-system}\ndata: {mesh: "trustDomain: a.example"}\n',
      { trustDomain: 'b.example', rootNamespace: 'r' },
    );
    expect(r.istio.mesh).toMatchObject({ trustDomain: 'b.example', rootNamespace: 'r', revisions: ['canary'] });
  });

  it('an unparsable data.mesh is a finding and mesh defaults are used', () => {
    const r = convert(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata: {mesh: "a: [b"}\n',
    );
    expect(r.findings[0]).toMatchObject({ code: 'mesh-config-invalid', severity: 'refused' });
    expect(r.istio.mesh.trustDomain).toBe('cluster.local');
  });

  it('tells the legacy RBAC kinds apart (seed 001 erratum)', () => {
    const r = convert(`apiVersion: security.istio.io/v1beta1
kind: ServiceRole
metadata: {name: frontend-service}
---
apiVersion: rbac.istio.io/v1alpha1
kind: ServiceRoleBinding
metadata: {name: frontend-access, namespace: x}
`);
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([
      ['nonexistent-istio-kind', 'error'],
      ['legacy-servicerole', 'warning'],
    ]);
    expect(r.findings[0]?.message).toMatch(/never had a ServiceRole kind/);
    expect(r.findings[1]?.message).toMatch(/removed in Istio 1.6/);
  });

  it('keeps Sidecar and ServiceEntry as detected and unmodelled', () => {
    const r = convert(
      'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s, namespace: a}\nspec: {workloadSelector: {labels: {app: x}}, egress: [{hosts: ["./*"]}]}\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: e, namespace: a}\nspec: {hosts: [example.com]}\n',
    );
    expect(r.istio.detected?.map((d) => [d.kind, d.name, d.hosts])).toEqual([
      ['Sidecar', 's', []],
      ['ServiceEntry', 'e', ['example.com']],
    ]);
    expect(r.istio.detected?.[0]?.selector?.matchLabels).toEqual({ app: 'x' });
    expect(r.unmodelled.map((u) => u.kind)).toEqual(['Sidecar', 'ServiceEntry']);
  });

  it('warns about a CUSTOM provider missing from the mesh config', () => {
    const r = convert(
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: c, namespace: a}\nspec: {action: CUSTOM, provider: {name: nope}, rules: [{}]}\n',
    );
    expect(r.findings[0]).toMatchObject({
      code: 'custom-provider-unknown',
      severity: 'warning',
      field: 'spec.provider.name',
    });
  });

  it('reports a duplicate object and keeps the first', () => {
    const doc =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: d, namespace: a}\nspec: {action: DENY, rules: [{}]}\n';
    const r = convert(`${doc}---\n${doc.replace('DENY', 'ALLOW')}`);
    expect(r.istio.authorizationPolicies.map((p) => p.action)).toEqual(['DENY']);
    expect(r.findings[0]?.code).toBe('duplicate-object');
  });
});

describe('finding messages', () => {
  it('start with file:line so one line tells where to fix', () => {
    const raw = rawObjects(
      'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata: {name: r, namespace: a}\n',
    ).map((o) => ({ ...o, loc: { file: 'rbac.yaml', line: 7, doc: 0 } }));
    expect(convertIstio(raw, { defaultNamespace: 'a' }).findings[0]?.message).toMatch(/^rbac\.yaml:7: ServiceRole r /);
  });
});
