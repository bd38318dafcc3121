import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { explain } from '../../../src/engine/explain.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4Iiwic3ViIjoieSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, ports: [{containerPort: 8080}]}]}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: only-admin-token, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  rules:
  - when:
    - key: request.headers[authorization]
      values: ["Bearer admin"]
`;

describe('secrets in explain output', () => {
  it('redacts Authorization and JWT-shaped values in the echoed request and in the clauses that quote them', () => {
    const snapshot = snapshotFromObjects(parseManifestText('t.yaml', MANIFESTS).objects, null, 'test');
    const e = explain(snapshot, {
      id: null,
      src: 'shop/web',
      dst: 'shop/api',
      port: 8080,
      protocol: null,
      http: {
        method: 'GET',
        path: '/',
        host: null,
        headers: { authorization: `Bearer ${TOKEN}`, 'x-session': TOKEN, 'x-team': 'a' },
      },
      mtls: null,
      jwt: null,
      extAuthz: null,
      now: null,
      resolve: {},
      namespace: null,
      cni: null,
    });
    if (e.kind === 'Error') throw new Error(e.message);
    expect(e.verdict).toBe('denied');
    expect(e.request.http?.headers).toEqual({
      authorization: '<redacted>',
      'x-session': '<redacted-jwt>',
      'x-team': 'a',
    });
    expect(e.nearestMiss.length).toBeGreaterThan(0);
    const out = JSON.stringify(e);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('Bearer eyJ');
  });
});
