import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSnapshotFrom, snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import { correlate } from '../../src/correlate/correlator.js';
import { createLogParser } from '../../src/parsers/log-parser.js';
import type { LogEvent } from '../../src/parsers/log-event.js';
import type { RawObject } from '../../src/model/raw.js';

const example = (p: string): string => fileURLToPath(new URL(`../../examples/${p}`, import.meta.url));
const snapshotOf = async (name: string) => (await loadSnapshotFrom([example(`${name}/manifests`)], null)).snapshot;

function events(lines: readonly string[]): LogEvent[] {
  const parser = createLogParser();
  return [...lines.flatMap((l) => parser.push(l)), ...parser.end()];
}

const T = '2025-07-06T19:33:00.000100Z';

describe('matched policy none: the request is rebuilt and the nearest miss attached', () => {
  it('poc-mesh: frontend POST /api/orders -> backend misses backend-allow-frontend-read rule 0 on the method', async () => {
    const lines = [
      `[pod/backend-6d4f9c-x2x7q/istio-proxy] ${T}\tdebug\tenvoy rbac rbac_filter.cc:114\tchecking request: requestedServerName: outbound_.80_._.backend.poc-mesh.svc.cluster.local, sourceIP: 10.1.0.5:40000, directRemoteIP: 10.1.0.5:40000, remoteIP: 10.1.0.5:40000,localAddress: 10.1.0.9:8080, ssl: uriSanPeerCertificate: spiffe://cluster.local/ns/poc-mesh/sa/frontend-sa, dnsSanPeerCertificate: , subjectPeerCertificate: , headers: ':authority', 'backend'`,
      "[pod/backend-6d4f9c-x2x7q/istio-proxy] ':path', '/api/orders'",
      "[pod/backend-6d4f9c-x2x7q/istio-proxy] ':method', 'POST'",
      '[pod/backend-6d4f9c-x2x7q/istio-proxy] , dynamicMetadata: \tthread=3',
      `[pod/backend-6d4f9c-x2x7q/istio-proxy] ${T}\tdebug\tenvoy rbac rbac_filter.cc:224\tenforced denied, matched policy none\tthread=3`,
    ];
    const [d] = correlate(events(lines), await snapshotOf('poc-mesh'));
    expect(d).toMatchObject({
      layer: 'authz-allow',
      policy: null,
      ruleRef: null,
      source: { name: 'frontend', resolvedBy: 'principal' },
      destination: { name: 'backend-6d4f9c-x2x7q', workload: 'Deployment/backend', resolvedBy: 'log-origin' },
      request: { method: 'POST', path: '/api/orders', port: 8080 },
    });
    const miss = d?.nearestMiss.find((m) => m.policy.name === 'backend-allow-frontend-read');
    expect(miss?.policy.rule).toBe(0);
    expect(miss?.clauses).toContainEqual(
      expect.objectContaining({ field: 'to[0].operation.methods', ok: false, actual: 'POST' }),
    );
  });
});

describe('503 at the client: reason first, then "consistent with" the NetworkPolicy step', () => {
  const line = (details: string, flags: string) =>
    `[pod/np-test-nginx-1-7d9c-abcde/istio-proxy] [2025-07-06T19:33:00.000Z] "GET / HTTP/1.1" 503 ${flags} ${details} - "-" 0 114 30066 - "-" "curl/8.5.0" "id" "svc-np-test-nginx-2.np-test-2.svc.cluster.local" "10.244.1.9:80" outbound|80||svc-np-test-nginx-2.np-test-2.svc.cluster.local - 10.96.0.20:80 10.244.0.7:40100 - default`;

  it('connection timeout with np-test: consistent with deny-all-ingress-using-networkpolicy', async () => {
    const [d] = correlate(
      events([line('upstream_reset_before_response_started{connection_timeout}', 'URX,UF')]),
      await snapshotOf('np-test'),
    );
    expect(d).toMatchObject({
      cause: 'upstream-failure',
      layer: 'networkpolicy-ingress',
      policy: { kind: 'NetworkPolicy', namespace: 'np-test-2', name: 'deny-all-ingress-using-networkpolicy' },
      source: { workload: 'Deployment/np-test-nginx-1', resolvedBy: 'log-origin' },
      destination: { name: 'np-test-nginx-2', resolvedBy: 'authority' },
      request: { status: 503, port: 80 },
    });
    expect(d?.reason).toMatch(
      /^503 URX,UF: connection timeout: consistent with a DROP-style NetworkPolicy .*; consistent with NetworkPolicy np-test-2\/deny-all-ingress-using-networkpolicy \(ingress of the destination\)$/,
    );
  });

  it('when the NetworkPolicies allow the pair, says so instead of naming one', async () => {
    const [d] = correlate(
      events([line('upstream_reset_before_response_started{connection_timeout}', 'URX,UF')]),
      await snapshotOf('np-test-authz-only'),
    );
    expect(d).toMatchObject({ layer: null, policy: null });
    expect(d?.reason).toContain('the NetworkPolicies in the input allow this pair');
  });

  it('a TLS failure is never blamed on a NetworkPolicy', async () => {
    const [d] = correlate(
      events([
        line(
          'upstream_reset_before_response_started{remote_connection_failure|TLS_error:|CERTIFICATE_VERIFY_FAILED}',
          'UF',
        ),
      ]),
      await snapshotOf('np-test'),
    );
    expect(d?.layer).not.toBe('networkpolicy-ingress');
    expect(d?.reason).toContain('TLS failure: consistent with an mTLS mismatch');
  });

  it('a successful request is not a denial', async () => {
    expect(correlate(events([line('via_upstream', '-').replace('503', '200')]), await snapshotOf('np-test'))).toEqual(
      [],
    );
  });
});

describe('resolution by IP', () => {
  const pod = (name: string, ns: string, ip: string, sa: string): RawObject => ({
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { app: name } },
      spec: {
        serviceAccountName: sa,
        containers: [
          { name: 'app', image: 'x' },
          { name: 'istio-proxy', image: 'proxy' },
        ],
      },
      status: { podIP: ip },
    },
    loc: null,
    lines: null,
  });
  const snapshot = snapshotFromObjects(
    [pod('client', 'a', '10.0.0.5', 'client-sa'), pod('server', 'b', '10.0.0.9', 'server-sa')],
    null,
    'test',
  );
  const check = (san: string) => [
    `${T}\tdebug\tenvoy rbac r.cc:1\tchecking connection: requestedServerName: , sourceIP: 10.0.0.5:1234, directRemoteIP: 10.0.0.5:1234,remoteIP: 10.0.0.5:1234, localAddress: 10.0.0.9:9000, ssl: uriSanPeerCertificate: ${san}, dnsSanPeerCertificate: , subjectPeerCertificate: , dynamicMetadata: \tthread=1`,
    `${T}\tdebug\tenvoy rbac r.cc:2\tenforced denied, matched policy ns[b]-policy[p]-rule[0]\tthread=1`,
  ];

  it('an IP alone resolves to the pod and says the IP may have changed owner', () => {
    const [d] = correlate(events(check('')), snapshot);
    expect(d?.source).toMatchObject({
      kind: 'Pod',
      namespace: 'a',
      name: 'client',
      resolvedBy: 'ip',
      ipMayHaveChanged: true,
      ip: '10.0.0.5',
    });
    expect(d?.destination).toMatchObject({ kind: 'Pod', namespace: 'b', name: 'server', resolvedBy: 'ip' });
    expect(d?.request).toMatchObject({ protocol: 'TCP', port: 9000, status: null });
  });

  it('a principal that agrees with the pod confirms it', () => {
    const [d] = correlate(events(check('spiffe://cluster.local/ns/a/sa/client-sa')), snapshot);
    expect(d?.source).toMatchObject({
      name: 'client',
      ipMayHaveChanged: false,
      principal: 'cluster.local/ns/a/sa/client-sa',
    });
  });

  it('a principal that disagrees wins over the IP', () => {
    const [d] = correlate(events(check('spiffe://cluster.local/ns/z/sa/other')), snapshot);
    expect(d?.source).toMatchObject({ kind: 'ServiceAccount', namespace: 'z', name: 'other' });
  });
});

describe('Calico flows', () => {
  it('an end-of-tier Deny maps to the NetworkPolicy that isolates the destination', async () => {
    const flow = JSON.stringify({
      start_time: '2025-06-01T10:00:00Z',
      end_time: '2025-06-01T10:00:15Z',
      action: 'Deny',
      source_name: 'np-test-nginx-1-7d9c*',
      source_namespace: 'np-test-1',
      dest_name: 'np-test-nginx-2-5f6b*',
      dest_namespace: 'np-test-2',
      protocol: 'tcp',
      dest_port: 80,
      reporter: 'Dst',
      policies: {
        enforced: [
          {
            kind: 'EndOfTier',
            name: '',
            namespace: '',
            tier: 'default',
            action: 'Deny',
            policy_index: 0,
            rule_index: -1,
            trigger: {
              kind: 'NetworkPolicy',
              name: 'deny-all-ingress-using-networkpolicy',
              namespace: 'np-test-2',
              tier: 'default',
              action: 'Deny',
              policy_index: 0,
              rule_index: -1,
              trigger: null,
            },
          },
        ],
        pending: [],
      },
    });
    const [d] = correlate(events([flow]), await snapshotOf('np-test'));
    expect(d).toMatchObject({
      cause: 'calico-flow',
      layer: 'networkpolicy-ingress',
      policyInSnapshot: true,
      policy: {
        kind: 'NetworkPolicy',
        namespace: 'np-test-2',
        name: 'deny-all-ingress-using-networkpolicy',
        rule: null,
        ruleRef: 'NetworkPolicy:np-test-2/deny-all-ingress-using-networkpolicy:ingress',
      },
      source: { kind: 'Deployment', name: 'np-test-nginx-1' },
      destination: { kind: 'Deployment', name: 'np-test-nginx-2' },
      request: { port: 80 },
    });
  });

  it('an explicit Calico deny rule keeps its index (egress, reported at the source)', () => {
    const flow = JSON.stringify({
      action: 'Deny',
      reporter: 'Src',
      source_name: 'a-*',
      source_namespace: 'a',
      dest_name: 'pub',
      dest_namespace: '-',
      dest_port: 443,
      policies: { enforced: ['0|security|np:a/security.block-egress|deny|2'], pending: [] },
    });
    const [d] = correlate(events([flow]), null);
    expect(d).toMatchObject({
      layer: 'networkpolicy-egress',
      policy: {
        kind: 'CalicoNetworkPolicy',
        rule: 2,
        ruleRef: 'CalicoNetworkPolicy:a/security.block-egress:egress[2]',
      },
      destination: { kind: 'Network', name: 'pub' },
    });
  });

  // the same ruleRef explain gives (examples/calico-tiers expect.yaml): a log line and an explain
  // answer name one rule
  it.each([
    // v3.30 label form (goldmane/proto/methods.go ToString): GlobalNetworkPolicy namePart tier.name
    [
      '0|security|security.block-legacy|deny|0',
      'legacy',
      'legacy-client-5d*',
      'GlobalNetworkPolicy:security.block-legacy:ingress[0]',
    ],
    ['0|default|default.default-deny|deny|-1', 'shop', 'frontend-7d*', 'GlobalNetworkPolicy:default-deny:ingress[-1]'],
  ])(
    'a Calico flow hit %s resolves to the policy in the snapshot, as explain names it',
    async (hit, ns, src, ruleRef) => {
      const flow = JSON.stringify({
        action: 'Deny',
        reporter: 'Dst',
        source_name: src,
        source_namespace: ns,
        dest_name: 'backend-6c*',
        dest_namespace: 'shop',
        protocol: 'tcp',
        dest_port: 8080,
        policies: { enforced: [hit], pending: [] },
      });
      const [d] = correlate(events([flow]), await snapshotOf('calico-tiers'));
      expect(d).toMatchObject({ layer: 'networkpolicy-ingress', policyInSnapshot: true, policy: { ruleRef } });
    },
  );
});
