/**
 * Throughput of the log parser (and the correlator once wired) on 1M generated istio-proxy lines:
 * recent Istio format with tags and thread ids, two worker threads, RBAC debug requests, local
 * replies, access logs (text and JSON), unrelated http/router debug lines and a few health lines.
 * Run: npx tsx bench/parse-logs.ts [lines]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLogParser } from '../src/parsers/log-parser.js';
import { createCorrelator } from '../src/correlate/correlator.js';
import { loadSnapshotFrom } from '../src/commands/load-snapshot.js';

function* generate(total: number): Generator<string> {
  let n = 0;
  let s = 1;
  const rand = (k: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % k;
  };
  while (n < total) {
    const thread = 20 + rand(2);
    const t = `2025-07-06T19:33:${String(10 + rand(50)).padStart(2, '0')}.${String(rand(1e6)).padStart(6, '0')}Z`;
    const ip = `10.244.${rand(4)}.${2 + rand(200)}`;
    const tags = `[Tags: "ConnectionId":"${rand(9999)}","StreamId":"${rand(1e9)}"]`;
    const block = [
      `${t}\tdebug\tenvoy http external/envoy/source/common/http/conn_manager_impl.cc:1183\t${tags} request headers complete (end_stream=true):`,
      "':authority', 'svc-np-test-nginx-2.np-test-2.svc.cluster.local'",
      `':path', '/api/v${rand(3)}/items'\tthread=${thread}`,
      `${t}\tdebug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:114\tchecking request: requestedServerName: outbound_.80_._.svc-np-test-nginx-2.np-test-2.svc.cluster.local, sourceIP: ${ip}:4${rand(9999)}, directRemoteIP: ${ip}:40000, remoteIP: ${ip}:40000,localAddress: 10.244.1.9:80, ssl: uriSanPeerCertificate: spiffe://cluster.local/ns/np-test-1/sa/default, dnsSanPeerCertificate: , subjectPeerCertificate: , headers: ':authority', 'svc-np-test-nginx-2.np-test-2.svc.cluster.local'`,
      "':path', '/'",
      "':method', 'GET'",
      "'user-agent', 'curl/8.5.0'",
      `, dynamicMetadata: \tthread=${thread}`,
      `${t}\tdebug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:224\tenforced denied, matched policy ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]\tthread=${thread}`,
      `${t}\tdebug\tenvoy http external/envoy/source/common/http/filter_manager.cc:1040\t${tags} Preparing local reply with details rbac_access_denied_matched_policy[ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]]\tthread=${thread}`,
      `[${t.slice(0, 23)}Z] "GET / HTTP/1.1" 403 - rbac_access_denied_matched_policy[ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]] - "-" 0 19 0 - "-" "curl/8.5.0" "8f0e-${rand(1e6)}" "svc-np-test-nginx-2.np-test-2.svc.cluster.local" "-" inbound|80|| - 10.244.1.9:80 ${ip}:40000 outbound_.80_._.svc-np-test-nginx-2.np-test-2.svc.cluster.local default`,
      `${t}\tdebug\tenvoy router external/envoy/source/common/router/router.cc:520\t${tags} cluster 'outbound|80||svc' match for URL '/'\tthread=${thread}`,
      `${t}\tdebug\tenvoy connection external/envoy/source/common/network/connection_impl.cc:146\t[Tags: "ConnectionId":"${rand(999)}"] closing data_to_write=0 type=1\tthread=${thread}`,
      `[${t.slice(0, 23)}Z] "GET /ok HTTP/1.1" 200 - via_upstream - "-" 0 612 3 2 "-" "curl/8.5.0" "9a-${rand(1e6)}" "svc-np-test-nginx-1.np-test-1.svc.cluster.local" "10.244.0.7:80" outbound|80||svc-np-test-nginx-1.np-test-1.svc.cluster.local 10.244.1.9:51234 10.96.0.20:80 10.244.1.9:40100 - default`,
      `{"start_time":"${t}","method":"GET","path":"/x","protocol":"HTTP/1.1","response_code":"503","response_flags":"URX,UF","response_code_details":"upstream_reset_before_response_started{connection_timeout}","bytes_sent":"114","duration":"30066","upstream_host":"10.244.1.12:8080","upstream_cluster":"outbound|8080||server.b.svc.cluster.local"}`,
      `${t}\twarn\txdsproxy\tfailed to connect to upstream istiod.istio-system.svc:15012: context deadline exceeded`,
    ];
    for (const line of block) {
      if (n++ >= total) return;
      yield line;
    }
  }
}

const total = Number(process.argv[2] ?? 1_000_000);
const lines = [...generate(total)];
const { snapshot } = await loadSnapshotFrom(
  [fileURLToPath(new URL('../examples/np-test/manifests', import.meta.url))],
  null,
);

function run(withCorrelator: boolean): {
  seconds: number;
  cpuSeconds: number;
  events: number;
  denials: number;
  issues: number;
} {
  const parser = createLogParser();
  const correlator = createCorrelator(snapshot);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let events = 0;
  for (const line of lines) {
    for (const e of parser.push(line)) {
      events++;
      if (withCorrelator) correlator.push(e);
    }
  }
  for (const e of parser.end()) if (withCorrelator) correlator.push(e);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    events,
    denials: correlator.denials().length,
    issues: parser.issues().length,
  };
}

for (const [label, withCorrelator] of [
  ['parse', false],
  ['parse+correlate', true],
] as const) {
  const r = run(withCorrelator);
  const rate = Math.round(total / r.seconds);
  process.stdout.write(
    `parse-logs ${label}: ${total} lines, ${r.events} events, ${withCorrelator ? `${r.denials} distinct denials, ` : ''}${r.issues} issues in ${r.seconds.toFixed(2)} s = ${rate} lines/s (target > 300000; ${Math.round(total / r.cpuSeconds)} lines per CPU-second)\n`,
  );
}
