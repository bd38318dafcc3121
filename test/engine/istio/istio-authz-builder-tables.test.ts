/**
 * istio/istio's builder goldens for TCP (pilot/pkg/security/authz/builder/testdata/tcp/, commit
 * ISTIO_COMMIT) as explain vectors: what a sidecar's network RBAC filter does with HTTP-only
 * fields on a TCP port. Per the `-out.yaml` files:
 * - deny-both-http-tcp: each DENY rule keeps its TCP fields and turns the HTTP-only ones into
 *   `any: true` (rule[0], [1], [2], [8] become deny-all; rule[3] denies ns-1; rule[4] port 80; ...);
 * - allow-both-http-tcp: ALLOW rules with any HTTP field are dropped (only rule[3], ns-1 on port 80, stays);
 * - allow-only-http: every rule has an HTTP field, so nothing is allowed on TCP.
 * Each DENY rule is asked alone (one policy holding only that rule) from ns-1 and ns-2 on ports 80
 * and 8080 of httpbin in foo, both declared TCP. rule[10] (all fields; it requires destination port
 * 80 and 91 at once) is left out.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { ISTIO_COMMIT, policy } from './echo-world.js';

const SRC = `istio/istio@${ISTIO_COMMIT}:pilot/pkg/security/authz/builder/testdata/tcp`;

function ns(name: string): string {
  return `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {istio-injection: enabled}}
`;
}
function workload(namespace: string, name: string, ports: number[]): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {serviceAccountName: ${name}, containers: [{name: app, ports: [${ports.map((p) => `{containerPort: ${p}}`).join(', ')}]}]}
`;
}
const HTTPBIN_SERVICE = `---
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: foo}
spec:
  clusterIP: 10.96.7.7
  selector: {app: httpbin}
  ports: [{name: tcp-80, port: 80}, {name: tcp-8080, port: 8080}, {name: tcp-9090, port: 9090}]
`;
const WORLD =
  ns('foo') +
  ns('ns-1') +
  ns('ns-2') +
  workload('foo', 'httpbin', [80, 8080, 9090]) +
  HTTPBIN_SERVICE +
  workload('ns-1', 'client', [1]) +
  workload('ns-2', 'client', [1]);

const verdict = (policies: string, from: string, port: number) =>
  explainOk(snapshotFromYaml(WORLD + policies), { src: `${from}/client`, dst: 'foo/httpbin', port, http: null })
    .verdict;

const P1 = 'requestPrincipals: ["id-1"]';
/** deny-both-http-tcp-in.yaml rule[0..9] and who each denies on TCP per deny-both-http-tcp-out.yaml */
const DENY_RULES: readonly (readonly [number, string, (from: string, port: number) => boolean])[] = [
  [0, `{from: [{source: {${P1}}}], to: [{operation: {methods: ["GET"]}}]}`, () => true],
  [1, '{to: [{operation: {methods: ["GET"]}}]}', () => true],
  [2, `{from: [{source: {${P1}}}]}`, () => true],
  [3, '{from: [{source: {namespaces: ["ns-1"]}}], to: [{operation: {methods: ["GET"]}}]}', (f) => f === 'ns-1'],
  [4, `{from: [{source: {${P1}}}], to: [{operation: {ports: ["80"]}}]}`, (_f, p) => p === 80],
  [5, `{from: [{source: {${P1}}}], to: [{operation: {ports: ["8080"], methods: ["GET"]}}]}`, (_f, p) => p === 8080],
  [
    6,
    `{from: [{source: {namespaces: ["ns-2"], ${P1}}}], to: [{operation: {ports: ["8080"], methods: ["GET"]}}]}`,
    (f, p) => f === 'ns-2' && p === 8080,
  ],
  [
    7,
    '{from: [{source: {namespaces: ["ns-1"]}}], to: [{operation: {ports: ["80"]}}]}',
    (f, p) => f === 'ns-1' && p === 80,
  ],
  [8, '{when: [{key: "request.headers[:method]", values: ["GET"]}]}', () => true],
  [9, '{when: [{key: "destination.port", values: ["80"]}]}', (_f, p) => p === 80],
];

describe(`${SRC}/deny-both-http-tcp: each DENY rule alone on TCP`, () => {
  const rows = DENY_RULES.flatMap(([index, rule, denies]) =>
    ['ns-1', 'ns-2'].flatMap((from) =>
      [80, 8080].map((port) => ({ index, rule, from, port, denied: denies(from, port) })),
    ),
  );
  it.each(rows)('rule[$index] from $from to TCP $port => denied $denied', ({ rule, from, port, denied }) => {
    const p = policy('foo', 'AuthorizationPolicy', 'httpbin-deny', `{action: DENY, rules: [${rule}]}`);
    expect(verdict(p, from, port)).toBe(denied ? 'denied' : 'allowed');
  });
});

describe(`${SRC}/allow-both-http-tcp and allow-only-http`, () => {
  const both = policy(
    'foo',
    'AuthorizationPolicy',
    'httpbin-deny',
    `{action: ALLOW, rules: [
  {from: [{source: {${P1}}}], to: [{operation: {methods: ["GET"]}}]},
  {from: [{source: {namespaces: ["ns-1"]}}], to: [{operation: {ports: ["8080"], methods: ["GET"]}}]},
  {from: [{source: {namespaces: ["ns-2"], requestPrincipals: ["id-2"]}}], to: [{operation: {ports: ["9090"]}}]},
  {from: [{source: {namespaces: ["ns-1"]}}], to: [{operation: {ports: ["80"]}}]}]}`,
  );
  const onlyHttp = policy(
    'foo',
    'AuthorizationPolicy',
    'httpbin-deny',
    `{action: ALLOW, rules: [
  {from: [{source: {${P1}}}], to: [{operation: {methods: ["GET"]}}]},
  {from: [{source: {namespaces: ["ns-1"]}}], to: [{operation: {hosts: ["example.com"]}}]}]}`,
  );
  it.each([
    ['allow-both-http-tcp', both, 'ns-1', 80, 'allowed'],
    ['allow-both-http-tcp', both, 'ns-1', 8080, 'denied'],
    ['allow-both-http-tcp', both, 'ns-2', 9090, 'denied'],
    ['allow-both-http-tcp', both, 'ns-2', 80, 'denied'],
    ['allow-only-http', onlyHttp, 'ns-1', 80, 'denied'],
    ['allow-only-http', onlyHttp, 'ns-2', 8080, 'denied'],
  ] as const)('%s: from %s to TCP %s => %s', (_name, p, from, port, want) => {
    expect(verdict(p, from, port)).toBe(want);
  });
});
