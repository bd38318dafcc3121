/**
 * istio/istio's own table for what a destination sidecar accepts under a PeerAuthentication, as
 * data with provenance: test/fixtures/istio-authz/server-mtls-cases.json
 * (pilot/pkg/networking/core/peer_authentication_simulation_test.go TestPeerAuthenticationPassthrough
 * at the commit its `provenance` names). Each call becomes one explain query with the call's TLS
 * forced by the mtls override; accepted/refused is compared with the mtls step's verdict. The
 * fixture's `about` says how the table maps, `skipped` what is left out and why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';

interface Vector {
  readonly case: string;
  readonly call: string;
  readonly config: string;
  readonly serviceDeclaresPort8000: boolean;
  readonly port: number;
  readonly clientTls: 'mtls' | 'plaintext';
  readonly envoy: string;
  readonly expect: 'accepted' | 'refused';
}
interface Fixture {
  readonly provenance: { repo: string; path: string; commit: string; test: string };
  readonly configs: Record<string, Record<string, unknown>>;
  readonly vectors: readonly Vector[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/istio-authz/server-mtls-cases.json', import.meta.url), 'utf8'),
) as Fixture;

const doc = (o: Record<string, unknown>): string => `---\n${JSON.stringify(o)}\n`;

function manifests(v: Vector): string {
  const spec = fixture.configs[v.config];
  if (!spec) throw new Error(`fixture names an unknown config ${v.config}`);
  const deployment = (name: string, ports: number[]) =>
    doc({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'app', ports: ports.map((containerPort) => ({ containerPort })) }] },
        },
      },
    });
  return (
    doc({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } },
    }) +
    deployment('foo', [8000, 9000]) +
    deployment('sleep', []) +
    doc({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'default' },
      spec,
    }) +
    (v.serviceDeclaresPort8000
      ? doc({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'se', namespace: 'default' },
          spec: { selector: { app: 'foo' }, ports: [{ name: 'http', port: 8000, targetPort: 8000 }] },
        })
      : '')
  );
}

const { repo, path, commit, test } = fixture.provenance;

describe(`${test} (${repo}:${path}@${commit.slice(0, 12)})`, () => {
  it.each(fixture.vectors.map((v) => [`${v.case}: ${v.call}`, v] as const))('%s', (_name, v) => {
    const snapshot = snapshotFromYaml(manifests(v));
    const errors = snapshot.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`);
    expect(errors, 'the manifests are valid').toEqual([]);
    const e = explainOk(snapshot, {
      src: 'default/deployment/sleep',
      dst: 'default/deployment/foo',
      port: v.port,
      mtls: v.clientTls === 'mtls',
      http: { method: 'GET', path: '/', host: null, headers: {} },
    });
    const mtls = e.steps.find((s) => s.layer === 'mtls');
    expect(mtls?.clientTls, 'the call sends what the table sends').toBe(
      v.clientTls === 'mtls' ? 'istio-mutual' : 'plaintext',
    );
    expect(mtls?.verdict, `${v.expect} (Envoy: ${v.envoy})`).toBe(v.expect === 'accepted' ? 'allowed' : 'denied');
  });
});
