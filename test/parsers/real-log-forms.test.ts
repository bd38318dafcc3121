/**
 * Small pure functions behind forms the real corpus (test/fixtures/logs/real) added: each case
 * is a verbatim line or a one-thing change of one, the source cited beside it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { accessLogFieldsFromJson, parseTextAccessLog, restoreCutRequestHead } from '../../src/parsers/access-log.js';
import { isExtAuthzRejection, parseExtAuthzRejection } from '../../src/parsers/rbac.js';
import { stripQuoteIndent, stripToolPrefix } from '../../src/parsers/line-prefix.js';
import { parseKeyValues } from '../../src/parsers/ztunnel.js';
import { ofKind, parseLines } from './parse-fixture.js';
import { runCorpusLines } from '../correlate/corpus.js';

// kubeflow/community-distribution#2796: the paste starts inside the request column
const CUT =
  'GET /kfam/v1/role/clusteradmin?user=... HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "-" "e7e45281-1c67-9a4e-b556-16324a1f9c49" "profiles-kfam.kubeflow:8081" "-" inbound|8081|| - ... ... - -';

describe('an access-log line cut inside its request column', () => {
  it('gets its opening quote back', () => {
    expect(restoreCutRequestHead(CUT)).toBe(`"${CUT}`);
  });

  it('only when a method, a path, a protocol and a status follow each other', () => {
    expect(restoreCutRequestHead('GET /x HTTP/1.1 200 OK')).toBeNull();
    expect(restoreCutRequestHead('Error: GET /x HTTP/1.1" 403 failed')).toBeNull();
    expect(restoreCutRequestHead('get /x HTTP/1.1" 403 - -')).toBeNull();
    expect(restoreCutRequestHead('[2022-11-03T08:38:50.667Z] "GET / HTTP/1.1" 403')).toBeNull();
  });

  it('parses as an RBAC denial with no time; the elided `...` address columns are no addresses', () => {
    const f = parseTextAccessLog(restoreCutRequestHead(CUT) ?? '');
    expect(f).toMatchObject({
      time: null,
      method: 'GET',
      status: 403,
      responseCodeDetails: 'rbac_access_denied_matched_policy[none]',
      upstreamCluster: 'inbound|8081||',
      downstreamLocalAddress: null,
      downstreamRemoteAddress: null,
    });
    const [e] = ofKind(parseLines([CUT]).events, 'AccessLogEntry');
    expect(e?.rbac).toEqual({ policyId: null, ruleRef: null });
    expect(e?.evidence).toEqual([CUT]);
  });
});

describe('docker compose prefix', () => {
  // open-policy-agent/opa-envoy-plugin#700
  const LINE =
    'envoy  | [2025-04-22 04:13:58.047][20][debug][http] [source/common/http/filter_manager.cc:1065] [Tags: "ConnectionId":"0","StreamId":"1934679758762206735"] Sending local reply with details ext_authz_error';

  it('`SERVICE  | ` is stripped and names the container', () => {
    const p = stripToolPrefix(LINE);
    expect(p?.rest.startsWith('[2025-04-22 04:13:58.047][20]')).toBe(true);
    expect(p?.origin.container).toBe('envoy');
  });

  it('compose v1 and v2 container names too', () => {
    for (const name of ['envoy-1', 'demo_envoy_1'])
      expect(stripToolPrefix(LINE.replace('envoy  ', `${name} `))?.origin.container).toBe(name);
  });

  it('is not taken from ordinary text with a bar', () => {
    expect(stripToolPrefix('a | b')).toBeNull();
    expect(stripToolPrefix('see below | [2025-04-22 04:13:58.047][20][debug][http] x')).toBeNull();
  });
});

describe('markdown indentation and block quotes around a pasted line', () => {
  // istio/istio.io security-issues docs: the block sits four spaces deep under a list item
  const SHADOW =
    '[2018-07-26 20:39:18.060][152][debug][rbac] external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:88] shadow denied';
  // istio/istio#53696 (ztunnel, one space between fields)
  const ZTUNNEL =
    '2024-10-30T11:49:40.421833Z error access connection complete src.addr=192.168.240.64:55909 dst.addr=192.168.14.30:5050 direction="inbound" error="connection closed due to policy rejection: allow policies exist, but none allowed"';

  it('spaces, tabs and `>` markers come off a line that starts like a log line', () => {
    for (const lead of ['    ', '\t', '> ', '>   ', '> > ', '# '])
      for (const line of [SHADOW, ZTUNNEL]) expect(stripQuoteIndent(`${lead}${line}`)).toBe(line);
  });

  it('a ztunnel line quoted without its time starts with a level word', () => {
    expect(stripQuoteIndent('  error   access  connection complete')).toBe('error   access  connection complete');
  });

  it("a record's own indented continuation stays as it is", () => {
    for (const line of [
      "    ':path', '/productpage'",
      '        fields {',
      '      key: "istio_authn"',
      '    ...',
      '    }',
    ])
      expect(stripQuoteIndent(line)).toBeNull();
    expect(stripQuoteIndent(SHADOW)).toBeNull();
  });

  it('the indented request joins its indented decision', () => {
    const { events } = parseLines([
      "    [2018-07-26 20:39:18.060][152][debug][rbac] external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:79] checking request: remoteAddress: 10.60.0.139:51158, localAddress: 10.60.0.93:9080, ssl: none, headers: ':authority', '35.238.0.62'",
      "    ':path', '/productpage'",
      "    ':method', 'GET'",
      `    ${SHADOW}`,
    ]);
    const [d] = ofKind(events, 'RbacDecision');
    expect(d).toMatchObject({ enforcement: 'shadow', result: 'denied' });
    expect(d?.request).toMatchObject({ method: 'GET', path: '/productpage' });
  });
});

describe('the ext_authz rejection line of every Envoy era', () => {
  it('1.7-1.8 `Ext_authz`, 1.9-1.10 `ext_authz`: rejected, denied or failed unsaid, no status (envoyproxy/envoy#4124)', () => {
    for (const m of ['Ext_authz rejected the request', 'ext_authz rejected the request'])
      expect(parseExtAuthzRejection(m)).toEqual({ outcome: 'rejected', status: null });
  });

  it('later `ext_authz filter rejected the request` says which, with the status', () => {
    expect(parseExtAuthzRejection("ext_authz filter rejected the request. Response status code: '401")).toEqual({
      outcome: 'denied',
      status: 401,
    });
    expect(
      parseExtAuthzRejection('ext_authz filter rejected the request with an error. Response status code: 500'),
    ).toEqual({ outcome: 'error', status: 500 });
  });

  it('other ext_authz lines are no rejection', () => {
    for (const m of ['Ext_authz received status code 200', 'ext_authz downstream header(s):', 'xt_authz rejected'])
      expect(isExtAuthzRejection(m)).toBe(false);
  });

  it('the 2018 line, logged under `filter`, becomes an ExtAuthzDecision', () => {
    const { events } = parseLines([
      '[2018-08-13 13:54:17.638][26531][debug][filter] source/extensions/filters/http/ext_authz/ext_authz.cc:104] [C0][S4185710137229910656] Ext_authz rejected the request',
    ]);
    expect(ofKind(events, 'ExtAuthzDecision')).toMatchObject([{ outcome: 'rejected', status: null }]);
  });
});

describe("Envoy Gateway's default JSON access log", () => {
  // envoyproxy/gateway#7811: the request columns are named after their headers
  const LINE = readFileSync(
    fileURLToPath(new URL('../fixtures/logs/real/envoy-gateway-json-default-format.log', import.meta.url)),
    'utf8',
  ).trim();

  it('path, authority, user agent, forwarded-for and request id come from the header-named keys', () => {
    const [e] = ofKind(parseLines([LINE]).events, 'AccessLogEntry');
    expect(e).toMatchObject({
      format: 'json',
      method: 'GET',
      path: '/get',
      authority: 'www.example.com',
      userAgent: 'curl/7.87.0',
      forwardedFor: '10.244.0.8',
      requestId: '2ab6ffcd-7221-4630-9d6a-4c38d94ed3c6',
      status: 200,
      rbac: null,
      extAuthz: null,
    });
  });

  it("Istio's own keys win when a record has both", () => {
    const obj = { path: '/istio', 'x-envoy-origin-path': '/gateway', response_code: 403 };
    expect(accessLogFieldsFromJson(obj).path).toBe('/istio');
  });
});

describe('log viewer time prefix with a space (Docker Desktop, envoyproxy/envoy#28265)', () => {
  const [head, header] = readFileSync(
    fileURLToPath(new URL('../fixtures/logs/real/envoy-docker-desktop-prefix-ext-authz-routing.log', import.meta.url)),
    'utf8',
  ).split('\n') as [string, string];

  it('comes off an Envoy line and off its header continuation', () => {
    expect(stripToolPrefix(head)?.rest.startsWith('[2023-07-07 06:57:23.881][18][debug][http]')).toBe(true);
    expect(stripToolPrefix(header)?.rest).toBe("':authority', 'localhost:10000'");
  });

  it('stays on a calico-node line, whose own time is followed by a level in brackets', () => {
    expect(stripToolPrefix('2017-12-04 00:29:48.161 [DEBUG][157] syncer.go 524: Parsing etcd key')).toBeNull();
  });
});

describe('an Envoy line whose opening bracket a paste cut off (openservicemesh/osm#5042)', () => {
  const CUT =
    '2022-08-29 05:42:56.024][24][debug][filter] [source/extensions/filters/listener/tls_inspector/tls_inspector.cc:88] tls inspector: new connection accepted';

  it('gets the bracket back', () => {
    expect(stripToolPrefix(CUT)?.rest).toBe(`[${CUT}`);
  });

  it('an RBAC decision cut the same way still counts (envoyproxy/envoy#36346 line, its `[` cut)', () => {
    const { events } = parseLines([
      '2024-09-26 11:41:28.955][3492043][debug][rbac] [source/extensions/filters/http/rbac/rbac_filter.cc:194] enforced denied, matched policy none',
    ]);
    expect(ofKind(events, 'RbacDecision')).toMatchObject([
      { enforcement: 'enforced', result: 'denied', policyId: null },
    ]);
  });

  it('a calico-node or Grafana time is no cut Envoy head', () => {
    expect(stripToolPrefix('2017-12-04 00:29:48.161 [DEBUG][157] syncer.go 524: x')).toBeNull();
  });
});

describe('an access-log line cut short after its details', () => {
  // kubeflow/kubeflow#6710 line 2, cut where the stored copy of the thread cuts it
  const CUT_403 =
    '[2022-11-03T08:38:50.667Z] "GET /kfam/v1/role/clusteradmin?user=user%40example.com HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "-" "c58ac7c1-9ff';

  it('still says who refused what when its details name RBAC', () => {
    expect(parseTextAccessLog(CUT_403)).toMatchObject({
      method: 'GET',
      status: 403,
      responseCodeDetails: 'rbac_access_denied_matched_policy[none]',
      downstreamRemoteAddress: null,
      upstreamCluster: null,
    });
    const [e] = ofKind(parseLines([CUT_403]).events, 'AccessLogEntry');
    expect(e?.rbac).toEqual({ policyId: null, ruleRef: null });
  });

  it('an ext_authz refusal (UAEX) is kept too', () => {
    const cut = CUT_403.replace('403 - rbac_access_denied_matched_policy[none]', '403 UAEX ext_authz_denied');
    expect(parseTextAccessLog(cut)).toMatchObject({ flags: ['UAEX'], responseCodeDetails: 'ext_authz_denied' });
  });

  it('any other cut line is reported, not guessed', () => {
    const ok = CUT_403.replace('403 - rbac_access_denied_matched_policy[none]', '200 - via_upstream');
    expect(parseTextAccessLog(ok)).toBeNull();
    expect(parseLines([ok]).issues).toEqual([expect.objectContaining({ code: 'malformed-access-log' })]);
  });
});

describe('calico-drop (Felix dropActionOverride LogAndDrop)', () => {
  // the example line of the Calico docs, FelixConfiguration `dropActionOverride`
  const DROP =
    'May 18 18:42:44 ubuntu kernel: [ 1156.246182] calico-drop: IN=tunl0 OUT=cali76be879f658 MAC= SRC=192.168.128.30 DST=192.168.157.26 LEN=60 TOS=0x00 PREC=0x00 TTL=62 ID=56743 DF PROTO=TCP SPT=56248 DPT=80 WINDOW=29200 RES=0x00 SYN URGP=0 MARK=0xa000000';

  it('is a packet Calico policy denied, not a Log rule hit', () => {
    const { denials } = runCorpusLines([DROP]);
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({ cause: 'calico-log', confidence: 'certain', request: { port: 80 } });
    expect(denials[0]?.reason).toMatch(/^Calico policy denied this packet/);
  });

  it('a calico-packet Log rule line stays likely', () => {
    const { denials } = runCorpusLines([DROP.replace('calico-drop:', 'calico-packet:')]);
    expect(denials[0]).toMatchObject({ confidence: 'likely' });
  });
});

describe('a ztunnel line cut inside its quoted error', () => {
  // istio/istio#53696, cut where a paste might stop
  const LINE =
    '2024-10-30T11:49:40.421833Z error access connection complete src.addr=192.168.240.64:55909 dst.addr=192.168.14.30:5050 dst.workload="operator-68cc96bd7b-vfkgk" dst.namespace="api" direction="inbound" bytes_sent=0 bytes_recv=0 duration="0ms" error="connection closed due to policy rejection: allow policies exist, but none allowed"';

  it('keeps the quoted value as far as it goes and says it was cut', () => {
    const cut: string[] = [];
    expect(parseKeyValues('a="x y" error="connection closed due to pol', cut)).toEqual({
      a: 'x y',
      error: 'connection closed due to pol',
    });
    expect(cut).toEqual(['error']);
  });

  it('is still a rejection when the cut falls after the reason', () => {
    const [r] = ofKind(parseLines([LINE.slice(0, -4)]).events, 'ZtunnelRecord');
    expect(r).toMatchObject({ verdict: 'allow-miss', policy: null });
  });

  it('an explicit deny keeps its verdict but not a policy name the cut may have shortened', () => {
    const deny = LINE.replace('allow policies exist, but none allowed"', 'explicitly denied by: api/deny-al');
    const [r] = ofKind(parseLines([deny]).events, 'ZtunnelRecord');
    expect(r).toMatchObject({ verdict: 'explicit-deny', policy: null });
    const whole = `${deny}l"`;
    expect(ofKind(parseLines([whole]).events, 'ZtunnelRecord')[0]).toMatchObject({
      verdict: 'explicit-deny',
      policy: { namespace: 'api', name: 'deny-all' },
    });
  });
});
