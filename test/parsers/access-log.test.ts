import { describe, expect, it } from 'vitest';
import { ofKind, parseFixture, parseLines } from './parse-fixture.js';
import { classifyUpstreamFailure } from '../../src/parsers/upstream-failure.js';

describe('access logs (verbatim samples of section 2.1)', () => {
  const { events, issues } = parseFixture('access-logs.log');
  const entries = ofKind(events, 'AccessLogEntry');

  it('parses every line without issues', () => {
    expect(issues).toEqual([]);
    expect(entries).toHaveLength(6);
  });

  it('Istio >= 1.9 server side: all columns', () => {
    expect(entries[0]).toMatchObject({
      format: 'text',
      time: '2020-11-25T21:26:18.409Z',
      method: 'GET',
      path: '/status/418',
      protocol: 'HTTP/1.1',
      status: 418,
      flags: [],
      responseCodeDetails: 'via_upstream',
      terminationDetails: null,
      transportFailureReason: null,
      bytesReceived: 0,
      bytesSent: 135,
      durationMs: 3,
      userAgent: 'curl/7.73.0-DEV',
      requestId: '84961386-6d84-929d-98bd-c5aee93b5c88',
      authority: 'httpbin:8000',
      upstreamHost: '127.0.0.1:80',
      upstreamCluster: 'inbound|8000||',
      upstreamLocalAddress: '127.0.0.1:41854',
      downstreamLocalAddress: '10.44.1.27:80',
      downstreamRemoteAddress: '10.44.1.23:37652',
      requestedServerName: 'outbound_.8000_._.httpbin.foo.svc.cluster.local',
      routeName: 'default',
      direction: 'inbound',
      rbac: null,
      jwt: null,
      extAuthz: null,
      upstreamFailure: null,
    });
  });

  it('RBAC denial at an egress gateway: policy id and rule ref from the details', () => {
    expect(entries[1]).toMatchObject({
      method: 'HEAD',
      status: 403,
      forwardedFor: '10.100.0.6',
      direction: 'outbound',
      upstreamHost: null,
      rbac: {
        policyId: 'ns[istio-system]-policy[external-deny-developer-yahoo-com]-rule[0]',
        ruleRef: { namespace: 'istio-system', name: 'external-deny-developer-yahoo-com', rule: 0 },
      },
    });
  });

  it('line without the time column and a user agent with spaces: UC is a connection termination', () => {
    expect(entries[2]).toMatchObject({
      time: null,
      status: 503,
      flags: ['UC'],
      userAgent: 'Apache-HttpClient/4.5.1 (Java/1.8.0_372)',
      authority: 'health.abc.com',
      upstreamHost: '10.80.47.192:8181',
      upstreamCluster: 'outbound|80||health-api.production.svc.cluster.local',
      upstreamFailure: {
        reason: 'connection-termination',
        detail: 'upstream_reset_before_response_started{connection_termination}',
      },
    });
  });

  it('Istio 1.8 format (no details columns): addresses still read from the end, 95-byte body fingerprint', () => {
    expect(entries[3]).toMatchObject({
      status: 503,
      flags: ['URX'],
      responseCodeDetails: null,
      bytesSent: 95,
      durationMs: 57,
      forwardedFor: '95.0.145.40,10.6.0.21',
      authority: 'foo-bar.example.com',
      upstreamHost: '10.6.25.34:3000',
      downstreamRemoteAddress: '10.6.0.21:14387',
      upstreamFailure: { reason: 'connection-termination' },
    });
  });

  it('TCP RBAC denial: termination details carry the policy, method is null, status 0', () => {
    expect(entries[4]).toMatchObject({
      method: null,
      path: null,
      status: 0,
      terminationDetails: 'rbac_access_denied_matched_policy[none]',
      rbac: { policyId: null, ruleRef: null },
      direction: 'inbound',
    });
  });

  it('JSON encoding: connect timeout behind a NetworkPolicy drop', () => {
    expect(entries[5]).toMatchObject({
      format: 'json',
      status: 503,
      flags: ['URX', 'UF'],
      bytesSent: 114,
      durationMs: 30066,
      upstreamHost: '10.244.1.12:8080',
      upstreamFailure: { reason: 'connection-timeout' },
      direction: 'outbound',
    });
  });
});

describe('access-log outcomes', () => {
  const line = (code: string, flags: string, details: string, xport = '-') =>
    `[2025-01-01T10:00:00.000Z] "GET /a HTTP/1.1" ${code} ${flags} ${details} - "${xport}" 0 0 1 - "-" "curl" "id" "svc:80" "10.0.0.9:80" outbound|80||svc.ns.svc.cluster.local 10.0.0.5:1 10.0.0.9:80 10.0.0.5:2 - default`;

  it.each([
    ['401', '-', 'jwt_authn_access_denied{Jwt_is_expired}', { jwt: { message: 'Jwt is expired' } }],
    [
      '403',
      '-',
      'jwt_authn_access_denied{Audiences_in_Jwt_are_not_allowed}',
      { jwt: { message: 'Audiences in Jwt are not allowed' } },
    ],
    ['403', 'UAEX', 'ext_authz_denied', { extAuthz: 'denied' }],
    ['403', 'UAEX', 'ext_authz_error', { extAuthz: 'error' }],
    ['503', 'UH', 'no_healthy_upstream', { upstreamFailure: { reason: 'no-healthy-upstream' } }],
    ['504', 'UT', 'response_timeout', { upstreamFailure: { reason: 'response-timeout' } }],
    [
      '503',
      'URX,UF',
      'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}',
      { upstreamFailure: { reason: 'connection-refused' } },
    ],
    [
      '503',
      'UF',
      'upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268435581:SSL_routines}',
      { upstreamFailure: { reason: 'tls' } },
    ],
    [
      '503',
      'UF',
      'upstream_reset_before_response_started{connection_failure}',
      { upstreamFailure: { reason: 'connection-failure' } },
    ],
  ])('%s %s %s', (code, flags, details, expected) => {
    const [e] = ofKind(parseLines([line(code, flags, details)]).events, 'AccessLogEntry');
    expect(e).toMatchObject(expected);
  });

  it('classifies a refused connect from the transport failure reason of older Envoy', () => {
    expect(
      classifyUpstreamFailure(
        'upstream_reset_before_response_started{connection failure,delayed connect error: 111}',
        null,
        ['UF'],
      )?.reason,
    ).toBe('connection-refused');
  });

  it('reports a bracketed line whose columns do not fit instead of guessing', () => {
    const { events, issues } = parseLines(['[2025-01-01T10:00:00.000Z] "GET / HTTP/1.1" abc']);
    expect(events).toEqual([]);
    expect(issues).toEqual([expect.objectContaining({ lineNo: 1, code: 'malformed-access-log' })]);
  });
});
