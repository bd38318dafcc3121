import { describe, expect, it } from 'vitest';
import { ofKind, parseFixture, parseLines } from './parse-fixture.js';

describe('RBAC decisions, every era (verbatim samples)', () => {
  it('seed 004: enforced denied with a policy id, then the Preparing local reply on the same thread', () => {
    const { events, issues } = parseFixture('seed-004-rbac.log');
    expect(issues).toEqual([]);
    const [decision] = ofKind(events, 'RbacDecision');
    expect(decision).toMatchObject({
      enforcement: 'enforced',
      result: 'denied',
      lineNo: 1,
      time: '2025-07-06T19:33:00.654348Z',
      policyId: 'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
      ruleRef: {
        type: 'istio',
        namespace: 'np-test-2',
        name: 'deny-all-ingress-using-authorizationpolicy',
        rule: 0,
        extAuthz: null,
      },
      request: null,
      heuristicJoin: false,
      envoy: {
        level: 'debug',
        logger: 'rbac',
        thread: '26',
        sourceLocation: 'external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:224',
      },
    });
    const [reply] = ofKind(events, 'LocalReply');
    expect(reply).toMatchObject({
      form: 'preparing',
      rbacDenied: true,
      lineNo: 2,
      rbacPolicyId: 'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
      envoy: {
        logger: 'http',
        thread: '26',
        connectionId: '21',
        streamId: '6947102628293500817',
        sourceLocation: 'external/envoy/source/common/http/filter_manager.cc:1040',
      },
    });
  });

  it('Istio 1.10 docs: multi-line checking request joined (heuristically: no thread ids) to shadow denied and no engine', () => {
    const { events, issues } = parseFixture('istio-1.10-dry-run.log');
    expect(issues).toEqual([]);
    const decisions = ofKind(events, 'RbacDecision');
    expect(decisions.map((d) => [d.enforcement, d.result, d.policyId])).toEqual([
      ['shadow', 'denied', 'ns[foo]-policy[deny-path-headers]-rule[0]'],
      ['none', 'allowed', null],
      ['enforced', 'denied', 'ns[foo]-policy[deny-path-headers]-rule[0]'],
    ]);
    expect(decisions[0]?.heuristicJoin).toBe(true);
    expect(decisions[0]?.request).toMatchObject({
      filter: 'http',
      requestedServerName: 'outbound_.8000_._.httpbin.foo.svc.cluster.local',
      sourceAddress: '10.44.3.13:49826',
      directRemoteAddress: '10.44.3.13:49826',
      remoteAddress: '10.44.3.13:49826',
      localAddress: '10.44.1.18:80',
      peerUriSan: 'spiffe://cluster.local/ns/foo/sa/sleep',
      method: 'GET',
      path: '/headers',
      authority: 'httpbin:8000',
      lineNo: 1,
    });
    // the shadow decision keeps the request for the `no engine` line of the same filter; the enforced one has none left
    expect(decisions[1]?.request?.lineNo).toBe(1);
    expect(decisions[2]?.request).toBeNull();
    expect(decisions[0]?.evidence.length).toBe(13);
  });

  it('Istio >= 1.17 tab format: CUSTOM shadow decision parses the istio-ext-authz id', () => {
    const { events } = parseFixture('istio-1.17-custom.log');
    const [custom, noEngine] = ofKind(events, 'RbacDecision');
    expect(custom).toMatchObject({
      enforcement: 'shadow',
      result: 'denied',
      ruleRef: {
        type: 'istio',
        extAuthz: { provider: null, badAction: false },
        namespace: 'istioinaction',
        name: 'ext-authz',
        rule: 0,
      },
      envoy: { thread: '30' },
    });
    expect(noEngine).toMatchObject({ enforcement: 'none', result: 'allowed', policyReported: false });
  });

  it('Istio >= 1.19 constructed request: thread join is exact, tags read, access log parsed', () => {
    const { events } = parseFixture('istio-1.19-denied-request.log');
    expect(events.map((e) => e.kind)).toEqual(['RbacDecision', 'LocalReply', 'AccessLogEntry']);
    const [d] = ofKind(events, 'RbacDecision');
    expect(d?.heuristicJoin).toBe(false);
    expect(d?.request).toMatchObject({
      sourceAddress: '10.0.0.5:40000',
      localAddress: '10.0.0.9:8080',
      peerUriSan: 'spiffe://cluster.local/ns/bar/sa/sleep',
      path: '/headers',
      method: 'GET',
    });
    expect(ofKind(events, 'LocalReply')[0]?.envoy).toMatchObject({ connectionId: '12', streamId: '345', thread: '21' });
  });

  it('network filter: checking connection (no space before remoteIP) joined to enforced denied none', () => {
    const { events } = parseFixture('network-filter-2024.log');
    const [d] = ofKind(events, 'RbacDecision');
    expect(d).toMatchObject({
      enforcement: 'enforced',
      result: 'denied',
      policyId: null,
      policyReported: true,
      heuristicJoin: false,
    });
    expect(d?.request).toMatchObject({
      filter: 'network',
      requestedServerName: 'httpbin.aegle.info',
      sourceAddress: '10.244.0.1:17569',
      remoteAddress: '10.244.0.1:17569',
      localAddress: '10.244.0.10:8443',
      peerUriSan: null,
    });
  });

  it('plain Envoy format and Istio 1.0 bare results (no matched policy)', () => {
    const { events } = parseFixture('plain-envoy.log');
    const ds = ofKind(events, 'RbacDecision');
    expect(ds[0]).toMatchObject({
      time: '2024-09-26 11:41:28.955',
      enforcement: 'enforced',
      result: 'denied',
      policyReported: true,
      policyId: null,
      envoy: { thread: '3492043', sourceLocation: 'source/extensions/filters/http/rbac/rbac_filter.cc:194' },
    });
    expect(ds[1]).toMatchObject({
      enforcement: 'shadow',
      result: 'denied',
      policyReported: false,
      heuristicJoin: false,
      envoy: { thread: '152' },
    });
    expect(ds[1]?.request).toMatchObject({
      sourceAddress: '10.60.0.139:51158',
      localAddress: '10.60.0.93:9080',
      peerUriSan: 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
      authority: 'productpage:9080',
    });
    expect(ds[2]).toMatchObject({ enforcement: 'enforced', result: 'allowed' });
  });

  it('local replies: legacy [C][S] tags, rbac none, and a TLS upstream reset', () => {
    const { events } = parseFixture('local-reply.log');
    const replies = ofKind(events, 'LocalReply');
    expect(replies[0]).toMatchObject({
      form: 'sending',
      rbacDenied: true,
      rbacPolicyId: null,
      envoy: { connectionId: '73987', streamId: '13078781800499437460' },
    });
    expect(replies[1]).toMatchObject({ rbacDenied: false, envoy: { thread: '29', connectionId: '446' } });
    expect(replies[1]?.details).toContain('CERTIFICATE_VERIFY_FAILED');
  });

  it('JSON proxy logs (Istio >= 1.22) with an escaped multi-line checking request', () => {
    const msg =
      "checking request: requestedServerName: , sourceIP: 10.1.0.4:5000, directRemoteIP: 10.1.0.4:5000, remoteIP: 10.1.0.4:5000,localAddress: 10.1.0.9:80, ssl: none, headers: ':authority', 'web'\n':path', '/x'\n':method', 'POST'\n, dynamicMetadata: ";
    const lines = [
      JSON.stringify({
        time: '2025-01-01T00:00:00.000001Z',
        level: 'debug',
        scope: 'envoy rbac',
        msg,
        caller: 'rbac_filter.cc:114',
        thread: '7',
      }),
      JSON.stringify({
        time: '2025-01-01T00:00:00.000002Z',
        level: 'debug',
        scope: 'envoy rbac',
        msg: 'enforced denied, matched policy none',
        caller: 'rbac_filter.cc:224',
        thread: '7',
      }),
    ];
    const { events } = parseLines(lines);
    const [d] = ofKind(events, 'RbacDecision');
    expect(d).toMatchObject({
      result: 'denied',
      policyId: null,
      envoy: { thread: '7', sourceLocation: 'rbac_filter.cc:224' },
    });
    expect(d?.request).toMatchObject({
      sourceAddress: '10.1.0.4:5000',
      peerUriSan: null,
      method: 'POST',
      path: '/x',
      authority: 'web',
    });
  });
});

describe('joins', () => {
  it('joins by thread when two worker threads interleave', () => {
    const T = '2025-01-01T00:00:00.000000Z\tdebug\tenvoy rbac rbac_filter.cc:1\t';
    const check = (ip: string) =>
      `checking request: requestedServerName: , sourceIP: ${ip}:1, directRemoteIP: ${ip}:1, remoteIP: ${ip}:1,localAddress: 10.0.0.1:80, ssl: none, headers: ':path', '/p'`;
    const { events } = parseLines([
      `${T}${check('10.0.0.21')}`,
      `, dynamicMetadata: \tthread=21`,
      `${T}${check('10.0.0.22')}`,
      `, dynamicMetadata: \tthread=22`,
      `${T}enforced denied, matched policy none\tthread=21`,
      `${T}enforced allowed, matched policy none\tthread=22`,
    ]);
    const ds = ofKind(events, 'RbacDecision');
    expect(ds.map((d) => [d.envoy.thread, d.request?.sourceAddress, d.heuristicJoin])).toEqual([
      ['21', '10.0.0.21:1', false],
      ['22', '10.0.0.22:1', false],
    ]);
  });

  it('keeps joins apart per pod (kubectl --prefix)', () => {
    const T = '2025-01-01T00:00:00.000000Z\tdebug\tenvoy rbac rbac_filter.cc:1\t';
    const { events } = parseLines([
      `[pod/a-1/istio-proxy] ${T}checking connection: sourceIP: 10.0.0.1:1, localAddress: 10.0.0.2:80, ssl: none, dynamicMetadata: \tthread=5`,
      `[pod/b-1/istio-proxy] ${T}enforced denied, matched policy none\tthread=5`,
      `[pod/a-1/istio-proxy] ${T}enforced denied, matched policy none\tthread=5`,
    ]);
    const ds = ofKind(events, 'RbacDecision');
    expect(ds.map((d) => [d.origin?.pod, d.origin?.container, d.request?.sourceAddress ?? null])).toEqual([
      ['b-1', 'istio-proxy', null],
      ['a-1', 'istio-proxy', '10.0.0.1:1'],
    ]);
  });

  it('strips a kubectl --timestamps prefix from heads and continuation lines', () => {
    const { events } = parseLines([
      "2025-07-06T19:33:00.654348999Z 2025-07-06T19:33:00.654348Z\tdebug\tenvoy rbac rbac_filter.cc:1\tchecking request: sourceIP: 10.9.9.9:1, localAddress: 10.0.0.2:80, ssl: none, headers: ':path', '/a'",
      "2025-07-06T19:33:00.654348999Z ':method', 'GET'",
      '2025-07-06T19:33:00.654348999Z , dynamicMetadata: \tthread=3',
      '2025-07-06T19:33:00.654349999Z 2025-07-06T19:33:00.654349Z\tdebug\tenvoy rbac rbac_filter.cc:2\tenforced denied, matched policy none\tthread=3',
    ]);
    expect(ofKind(events, 'RbacDecision')[0]?.request).toMatchObject({
      sourceAddress: '10.9.9.9:1',
      method: 'GET',
      path: '/a',
    });
  });

  it('redacts secret headers and JWT-shaped values in the request and evidence', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const { events } = parseLines([
      `2021-04-23T20:59:11.838468Z debug envoy rbac checking request: sourceIP: 10.0.0.1:1, localAddress: 10.0.0.2:80, ssl: none, headers: ':path', '/a'`,
      `'authorization', 'Bearer ${jwt}'`,
      `'cookie', 'session=abc'`,
      `'x-trace', 'v=${jwt}'`,
      ', dynamicMetadata: ',
      '2021-04-23T20:59:11.838529Z debug envoy rbac enforced denied, matched policy none',
    ]);
    const [d] = ofKind(events, 'RbacDecision');
    expect(d?.request?.headers).toMatchObject({
      authorization: '<redacted>',
      cookie: '<redacted>',
      'x-trace': 'v=<redacted-jwt>',
    });
    expect(d?.evidence.join('\n')).not.toContain(jwt);
    expect(d?.evidence.join('\n')).not.toContain('session=abc');
  });
});
