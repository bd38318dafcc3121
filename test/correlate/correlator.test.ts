import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSnapshotFrom } from '../../src/commands/load-snapshot.js';
import { correlate, createCorrelator } from '../../src/correlate/correlator.js';
import { STALE_POLICY } from '../../src/correlate/istio-policy.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { createLogParser } from '../../src/parsers/log-parser.js';
import type { LogEvent, LogOrigin } from '../../src/parsers/log-event.js';

const example = (p: string): string => fileURLToPath(new URL(`../../examples/${p}`, import.meta.url));

function events(lines: readonly string[], origin?: LogOrigin): LogEvent[] {
  const parser = createLogParser();
  const out = lines.flatMap((l, i) => parser.push(l, i + 1, origin));
  return [...out, ...parser.end()];
}

async function npTest(): Promise<Snapshot> {
  return (await loadSnapshotFrom([example('np-test/manifests')], null)).snapshot;
}

const SEED_004 = readFileSync(example('np-test-authz-only/logs/np-test-nginx-2.istio-proxy.log'), 'utf8')
  .split('\n')
  .filter(Boolean);
const POLICY_ID = 'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]';

describe('RBAC denials', () => {
  it('seed 004: decision + local reply make one Denial naming rule 0 of the policy, destination from the policy scope', async () => {
    const denials = correlate(events(SEED_004), await npTest());
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({
      kind: 'Denial',
      cause: 'rbac',
      layer: 'authz-deny',
      enforcement: 'enforced',
      count: 1,
      ruleRef: POLICY_ID,
      policyInSnapshot: true,
      policy: {
        kind: 'AuthorizationPolicy',
        namespace: 'np-test-2',
        name: 'deny-all-ingress-using-authorizationpolicy',
        rule: 0,
      },
      source: 'unknown',
      destination: { namespace: 'np-test-2', name: 'np-test-nginx-2', kind: 'Deployment', resolvedBy: 'policy-scope' },
      request: { status: 403 },
    });
    expect(denials[0]?.evidence).toHaveLength(2);
    expect(denials[0]?.reason).toBe('DENY rule matched: denied before any ALLOW rule is checked');
  });

  it('without a Snapshot: what the logs alone say', () => {
    const [d] = correlate(events(SEED_004), null);
    expect(d).toMatchObject({
      source: 'unknown',
      destination: 'unknown',
      ruleRef: POLICY_ID,
      policyInSnapshot: null,
      layer: 'authz-deny',
    });
  });

  it('a policy id the Snapshot lacks: the proxy enforces stale config', async () => {
    const stale = SEED_004.map((l) => l.replaceAll('deny-all-ingress-using-authorizationpolicy', 'old-policy'));
    const [d] = correlate(events(stale), await npTest());
    expect(d).toMatchObject({ policyInSnapshot: false, policyId: 'ns[np-test-2]-policy[old-policy]-rule[0]' });
    expect(d?.reason).toContain(STALE_POLICY);
  });

  it('repeats are counted; RBAC lines, local reply and access log of one request are one Denial', async () => {
    const T = (us: number) => `2025-07-06T19:33:00.${String(us).padStart(6, '0')}Z`;
    const one = (us: number, thread: number) => [
      `${T(us)}\tdebug\tenvoy rbac rbac_filter.cc:114\tchecking request: requestedServerName: outbound_.80_._.svc-np-test-nginx-2.np-test-2.svc.cluster.local, sourceIP: 10.244.0.7:40000, directRemoteIP: 10.244.0.7:40000, remoteIP: 10.244.0.7:40000,localAddress: 10.244.1.9:80, ssl: uriSanPeerCertificate: spiffe://cluster.local/ns/np-test-1/sa/default, dnsSanPeerCertificate: , subjectPeerCertificate: , headers: ':authority', 'svc-np-test-nginx-2.np-test-2.svc.cluster.local'`,
      "':path', '/'",
      "':method', 'GET'",
      `, dynamicMetadata: \tthread=${thread}`,
      `${T(us + 1)}\tdebug\tenvoy rbac rbac_filter.cc:224\tenforced denied, matched policy ${POLICY_ID}\tthread=${thread}`,
      `${T(us + 2)}\tdebug\tenvoy http filter_manager.cc:1040\t[Tags: "ConnectionId":"21","StreamId":"69"] Preparing local reply with details rbac_access_denied_matched_policy[${POLICY_ID}]\tthread=${thread}`,
      `[2025-07-06T19:33:00.000Z] "GET / HTTP/1.1" 403 - rbac_access_denied_matched_policy[${POLICY_ID}] - "-" 0 19 0 - "-" "curl/8.5.0" "id" "svc-np-test-nginx-2.np-test-2.svc.cluster.local" "-" inbound|80|| - 10.244.1.9:80 10.244.0.7:40000 outbound_.80_._.svc-np-test-nginx-2.np-test-2.svc.cluster.local default`,
    ];
    const denials = correlate(events([...one(100, 21), ...one(200, 22), ...one(300, 21)]), await npTest());
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({
      count: 3,
      time: T(101),
      lastTime: T(301),
      source: {
        kind: 'Deployment',
        namespace: 'np-test-1',
        name: 'np-test-nginx-1',
        resolvedBy: 'principal',
        principal: 'cluster.local/ns/np-test-1/sa/default',
      },
      destination: { namespace: 'np-test-2', name: 'np-test-nginx-2' },
      request: { protocol: 'HTTP', method: 'GET', path: '/', port: 80, status: 403 },
    });
    expect(denials[0]?.evidence).toHaveLength(7);
  });

  it('shadow (dry-run) denials are reported as shadow; CUSTOM matches are not denials', () => {
    const lines = [
      '2021-04-23T20:59:11.838529Z debug envoy rbac shadow denied, matched policy ns[foo]-policy[deny-path-headers]-rule[0]',
      '2025-05-11T05:57:22.375660Z\tdebug\tenvoy rbac rbac_filter.cc:130\tshadow denied, matched policy istio-ext-authz-ns[istioinaction]-policy[ext-authz]-rule[0]\tthread=30',
    ];
    const denials = correlate(events(lines), null);
    expect(denials.map((d) => [d.enforcement, d.policyId])).toEqual([
      ['shadow', 'ns[foo]-policy[deny-path-headers]-rule[0]'],
    ]);
    expect(denials[0]?.reason.startsWith('dry-run (shadow)')).toBe(true);
  });

  it('streams: push says which Denial it created or updated; get() returns it', () => {
    const c = createCorrelator(null);
    const [decision, reply] = events(SEED_004);
    const first = c.push(decision as LogEvent);
    expect(first?.isNew).toBe(true);
    expect(c.get(first?.key ?? '')?.evidence).toHaveLength(1);
    const second = c.push(reply as LogEvent);
    expect(second).toEqual({ key: first?.key, isNew: false });
    expect(c.get(first?.key ?? '')).toMatchObject({ count: 1, evidence: [expect.any(String), expect.any(String)] });
    expect(c.push(decision as LogEvent)).toEqual({ key: first?.key, isNew: false });
    expect(c.get(first?.key ?? '')?.count).toBe(2);
    expect(c.denials()).toHaveLength(1);
  });
});

describe('evidence', () => {
  it('is redacted: Authorization, Cookie and JWT-shaped values never reach a Denial', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
    const lines = [
      `2025-01-01T00:00:00.000000Z\tdebug\tenvoy rbac r.cc:1\tchecking request: sourceIP: 10.0.0.5:1, localAddress: 10.0.0.9:80, ssl: none, headers: ':path', '/a'`,
      `'authorization', 'Bearer ${jwt}'`,
      "'cookie', 'session=s3cr3t'",
      "'x-api-key', 'k3y'",
      ', dynamicMetadata: \tthread=4',
      '2025-01-01T00:00:00.000001Z\tdebug\tenvoy rbac r.cc:2\tenforced denied, matched policy none\tthread=4',
    ];
    const [d] = correlate(events(lines), null);
    const text = JSON.stringify(d);
    for (const secret of [jwt, 's3cr3t', 'k3y']) expect(text).not.toContain(secret);
    expect(d?.evidence).toContain("'authorization', '<redacted>'");
  });
});

describe('bounds', () => {
  it('keeps at most maxDenials distinct denials, dropping the oldest and counting them', () => {
    const c = createCorrelator(null, { maxDenials: 2 });
    const line = (path: string) =>
      `[2025-01-01T10:00:00.000Z] "GET ${path} HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl" "id" "web" "-" inbound|80|| - 10.0.0.9:80 10.0.0.5:4000 - default`;
    for (const e of events(['/a', '/b', '/c'].map(line))) c.push(e);
    expect(c.denials().map((d) => d.request.path)).toEqual(['/b', '/c']);
    expect(c.dropped()).toBe(1);
  });
});
