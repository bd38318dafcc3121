/**
 * Runtime and shipper envelopes around proxy lines. Formats: kubernetes/kubernetes
 * pkg/kubelet/kuberuntime/logs/logs.go (parseCRILog: `TIME STREAM TAG CONTENT`, tag P partial /
 * F full, more tags after `:`; parseDockerJSONLog: a `log` without its newline is continued), kubelet's
 * log paths (/var/log/pods/NS_POD_UID/CONTAINER/N.log, /var/log/containers/POD_NS_CONTAINER-ID.log),
 * Fluent Bit's kubernetes filter, Google Cloud Logging's k8s_container labels, Elastic ECS fields.
 */
import { describe, expect, it } from 'vitest';
import { originOfLogPath, unwrapContainerLine } from '../../src/parsers/container-log.js';
import { createLogParser } from '../../src/parsers/log-parser.js';
import type { LogEvent } from '../../src/parsers/log-event.js';

// istio/istio#40584, the destination sidecar's access log line (test/fixtures/logs/real)
const DENIED =
  '[2022-08-22T10:34:12.821Z] "- - -" 0 - - rbac_access_denied_matched_policy[ns[dev]-policy[ts-776dd07e]-rule[0]] "-" 2879 943 1 - "-" "-" "-" "-" "10.24.86.181:12417" inbound|12417|| 127.0.0.6:56622 10.24.86.181:12417 10.24.87.246:33482 outbound_.12417_._.ts.dev.svc.cluster.local -';

function events(lines: readonly string[], options = {}): { events: LogEvent[]; issues: string[] } {
  const p = createLogParser(options);
  const out = lines.flatMap((l, i) => p.push(l, i + 1));
  out.push(...p.end());
  return { events: out, issues: p.issues().map((i) => `${i.lineNo} ${i.code}`) };
}

const denials = (evs: readonly LogEvent[]): LogEvent[] =>
  evs.filter(
    (e) =>
      e.kind === 'AccessLogEntry' &&
      (e.terminationDetails ?? e.responseCodeDetails ?? '').startsWith('rbac_access_denied_matched_policy[ns[dev]'),
  );

describe('unwrapContainerLine', () => {
  it('takes the CRI head off, with Z or an offset, and reads the tag before any `:`', () => {
    expect(unwrapContainerLine(`2016-10-06T00:17:09.669794202Z stdout F ${DENIED}`)).toEqual({
      text: DENIED,
      partial: false,
      stream: 'stdout',
      origin: null,
    });
    expect(unwrapContainerLine('2021-09-15T14:30:04.242933438+00:00 stderr P abc')).toMatchObject({
      text: 'abc',
      partial: true,
      stream: 'stderr',
    });
    expect(unwrapContainerLine('2016-10-06T00:17:09Z stdout P:more x')?.partial).toBe(true);
    expect(unwrapContainerLine('2016-10-06T00:17:09Z stdout F ')?.text).toBe('');
  });

  it('leaves lines that only look alike: no stream, an Envoy ISO line, kubectl --timestamps, Calico', () => {
    for (const line of [
      '2016-10-06T00:17:09.669794202Z stdin F x',
      '2016-10-06T00:17:09Z stdout F', // parseCRILog: "log tag is not found" without the space
      '2020-09-30T22:50:58.290668Z\tdebug\tenvoy rbac\tenforced denied',
      `2021-03-01T10:00:00.123456789Z ${DENIED}`,
      '2024-01-01 10:00:00.000 [INFO][77] felix/int_dataplane.go 1 : x',
      '{"level":"info","time":"2024-01-01T00:00:00Z","scope":"access","message":"connection complete"}',
      '{"start_time":"2024-01-01T00:00:00Z","response_code":403,"response_code_details":"rbac_access_denied_matched_policy[none]"}',
      '{"log": 5}',
      '{"log": "x"', // not JSON
    ])
      expect(unwrapContainerLine(line), line).toBeNull();
  });

  it('reads Docker json-file records: a log without its newline is partial', () => {
    expect(unwrapContainerLine(JSON.stringify({ log: `${DENIED}\n`, stream: 'stdout', time: 't' }))).toEqual({
      text: DENIED,
      partial: false,
      stream: 'stdout',
      origin: null,
    });
    expect(unwrapContainerLine(JSON.stringify({ log: 'abc', stream: 'stdout', time: 't' }))?.partial).toBe(true);
  });

  it("names the pod from Fluent Bit's, ECS's, LogScale's and Cloud Logging's fields", () => {
    const want = { namespace: 'dev', pod: 'ts-1', container: 'istio-proxy', label: null };
    const lines = [
      { log: DENIED, kubernetes: { namespace_name: 'dev', pod_name: 'ts-1', container_name: 'istio-proxy' } },
      { message: DENIED, kubernetes: { namespace: 'dev', pod: { name: 'ts-1' }, container: { name: 'istio-proxy' } } },
      {
        '@rawstring': DENIED,
        'kubernetes.namespace_name': 'dev',
        'kubernetes.pod_name': 'ts-1',
        'kubernetes.container_name': 'istio-proxy',
      },
      {
        textPayload: DENIED,
        resource: {
          type: 'k8s_container',
          labels: { namespace_name: 'dev', pod_name: 'ts-1', container_name: 'istio-proxy' },
        },
      },
    ];
    for (const o of lines) {
      const u = unwrapContainerLine(JSON.stringify(o));
      expect(u?.text).toBe(DENIED);
      expect(u?.origin).toEqual(want);
      expect(u?.partial).toBe(false);
    }
  });

  it('unwraps a CRI line a shipper kept whole, and a Fluent Bit CRI record marked logtag P', () => {
    const u = unwrapContainerLine(
      JSON.stringify({ log: `2022-08-22T10:34:18Z stdout P ${DENIED}`, kubernetes: { pod_name: 'ts-1' } }),
    );
    expect(u).toMatchObject({ text: DENIED, partial: true, origin: { pod: 'ts-1', namespace: null } });
    expect(unwrapContainerLine(JSON.stringify({ log: 'abc', logtag: 'P', kubernetes: {} }))?.partial).toBe(true);
  });

  it("re-serializes Cloud Logging's jsonPayload as the proxy's JSON line", () => {
    const payload = { response_code: 403, response_code_details: 'rbac_access_denied_matched_policy[none]' };
    expect(unwrapContainerLine(JSON.stringify({ jsonPayload: payload }))?.text).toBe(JSON.stringify(payload));
  });
});

describe("Loki's logcli output (grafana/loki pkg/logcli/output default.go, jsonl.go)", () => {
  it('default: RFC3339 time, the label set as Prometheus prints it, padding, the line', () => {
    const u = unwrapContainerLine(
      `2022-08-22T12:34:12+02:00 {container="istio-proxy", namespace="dev", pod="ts-1", x="a \\"q\\" }"}   ${DENIED}`,
    );
    expect(u).toEqual({
      text: DENIED,
      partial: false,
      stream: '',
      origin: { namespace: 'dev', pod: 'ts-1', container: 'istio-proxy', label: null },
    });
  });

  it('--no-labels: a time with its zone offset before a line meshdbg reads', () => {
    expect(unwrapContainerLine(`2022-08-22T12:34:12+02:00 ${DENIED}`)?.text).toBe(DENIED);
    // a Z time is kubectl --timestamps, taken off by the parser later; other text is left alone
    expect(unwrapContainerLine(`2022-08-22T10:34:12Z ${DENIED}`)).toBeNull();
    expect(unwrapContainerLine('2022-08-22T12:34:12+02:00 some application text')).toBeNull();
  });

  it('-o jsonl: {"labels", "line", "timestamp"}, OpenTelemetry label names too', () => {
    const u = unwrapContainerLine(
      JSON.stringify({ labels: { k8s_namespace_name: 'dev', k8s_pod_name: 'ts-1' }, line: DENIED, timestamp: 't' }),
    );
    expect(u).toMatchObject({ text: DENIED, origin: { namespace: 'dev', pod: 'ts-1', container: null } });
  });

  it('the parser finds the denial and its pod', () => {
    const r = events([`2022-08-22T12:34:12+02:00 {namespace="dev", pod="ts-1"} ${DENIED}`]);
    const d = denials(r.events);
    expect(d).toHaveLength(1);
    expect(d[0]?.origin).toMatchObject({ namespace: 'dev', pod: 'ts-1' });
  });
});

describe('the parser with envelopes', () => {
  it('joins CRI pieces of one stream across another stream, reporting the first piece', () => {
    const cut = 100;
    const r = events([
      `2022-08-22T10:34:12.1Z stdout P ${DENIED.slice(0, cut)}`,
      '2022-08-22T10:34:12.2Z stderr F 2021-03-03T20:15:33.934837Z\tinfo\txdsproxy\tEnvoy ADS stream established',
      `2022-08-22T10:34:12.3Z stdout F ${DENIED.slice(cut)}`,
    ]);
    const d = denials(r.events);
    expect(d).toHaveLength(1);
    expect(d[0]?.lineNo).toBe(1);
    expect(r.issues).toEqual([]);
  });

  it('joins Docker json-file pieces', () => {
    const cut = 50;
    const r = events([
      JSON.stringify({ log: DENIED.slice(0, cut), stream: 'stdout', time: 't1' }),
      JSON.stringify({ log: `${DENIED.slice(cut)}\n`, stream: 'stdout', time: 't2' }),
    ]);
    expect(denials(r.events)).toHaveLength(1);
  });

  it('keeps a joined line to maxLineBytes and says so once, then goes on', () => {
    const r = events(
      [
        '2022-08-22T10:34:12Z stdout P aaaaaaaaaa',
        '2022-08-22T10:34:12Z stdout P bbbbbbbbbb',
        '2022-08-22T10:34:12Z stdout F cccccccccc',
        `2022-08-22T10:34:13Z stdout F ${DENIED}`,
      ],
      { maxLineBytes: 1000 },
    );
    expect(denials(r.events)).toHaveLength(1);
    // each record fits (the raw line is capped first); their join does not
    const piece = (tag: string, c: string): string => `2022-08-22T10:34:12Z stdout ${tag} ${c.repeat(30)}`;
    const small = events([piece('P', 'a'), piece('P', 'b'), piece('F', 'c')], { maxLineBytes: 70 });
    expect(small.issues).toEqual(['1 line-too-long']);
  });

  it('parses the pieces of a stream that ended inside a cut line', () => {
    const r = events([`2022-08-22T10:34:12Z stdout P ${DENIED}`]);
    expect(denials(r.events)).toHaveLength(1);
  });

  it("gives a shipper's pod to the event, keeping the file's label", () => {
    const p = createLogParser();
    const line = JSON.stringify({ log: DENIED, kubernetes: { namespace_name: 'dev', pod_name: 'ts-1' } });
    const [e] = p.push(line, 1, { namespace: null, pod: null, container: null, label: 'export.json' });
    expect(e?.origin).toEqual({ namespace: 'dev', pod: 'ts-1', container: null, label: 'export.json' });
  });
});

describe('originOfLogPath', () => {
  it("reads kubelet's pod and container log paths", () => {
    // paths as listed on a node in a public walkthrough (lucj, "Kubernetes logs", 2025)
    expect(originOfLogPath('/var/log/pods/default_ghost_c502bf3e-7671-4488-af0c-5a2f0908db41/ghost/0.log')).toEqual({
      namespace: 'default',
      pod: 'ghost',
      container: 'ghost',
    });
    expect(
      originOfLogPath(
        '/var/log/containers/cilium-envoy-c5vhw_kube-system_cilium-envoy-e73d79abd769cfa05f392807ca4ebacf7103b0049c19b2787e0e5128afe42f4d.log',
      ),
    ).toEqual({ namespace: 'kube-system', pod: 'cilium-envoy-c5vhw', container: 'cilium-envoy' });
    expect(originOfLogPath('pods/dev_ts-1_uid/istio-proxy/3.log.20240101-120000.gz')).toEqual({
      namespace: 'dev',
      pod: 'ts-1',
      container: 'istio-proxy',
    });
  });

  it('says nothing of other paths', () => {
    for (const p of ['proxy.log', '/tmp/a_b_c/d.log', '/var/log/containers/a_b_c-xyz.log', 'pods/a_b/c/0.log'])
      expect(originOfLogPath(p), p).toBeNull();
  });
});
