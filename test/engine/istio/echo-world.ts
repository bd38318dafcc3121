/**
 * The echo deployment of istio/istio's security integration tests, as meshdbg manifests:
 * namespaces ns1 and ns2 (sidecar-injected), workload `a` in both, `b` in both behind a
 * Service with the echo ports of istio/istio:pkg/test/framework/components/echo/common/ports/ports.go
 * (http 80->18080, grpc 7070->17070, http2 85->18085, tcp 9090->19090). Echo workloads run
 * with a ServiceAccount named after the service, so `ns1/a` is cluster.local/ns/ns1/sa/a.
 */
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Explanation, JwtSpec } from '../../../src/engine/explanation.js';

export const ISTIO_COMMIT = '86c9f01fd735fb01d8192f5bcaf0d424afb7f14c';

export const ECHO_PORTS = {
  http: { port: 80, target: 18080 },
  grpc: { port: 7070, target: 17070 },
  http2: { port: 85, target: 18085 },
  tcp: { port: 9090, target: 19090 },
} as const;
export type EchoPort = keyof typeof ECHO_PORTS;

function namespace(name: string): string {
  return `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {istio-injection: enabled}}
`;
}

function echo(ns: string, name: string, withService: boolean, labels = ''): string {
  const ports = Object.entries(ECHO_PORTS);
  const deployment = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}${labels ? `, ${labels}` : ''}}}
    spec:
      serviceAccountName: ${name}
      containers: [{name: app, ports: [${ports.map(([, p]) => `{containerPort: ${p.target}}`).join(', ')}]}]
`;
  const service = `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  clusterIP: 10.96.${ns === 'ns1' ? 1 : 2}.${name.charCodeAt(0)}
  selector: {app: ${name}}
  ports: [${ports.map(([n, p]) => `{name: ${n}, port: ${p.port}, targetPort: ${p.target}}`).join(', ')}]
`;
  return deployment + (withService ? service : '');
}

/** ns1/a, ns2/a (clients), ns1/b and ns2/b (servers behind Service b); `bLabels` adds pod labels to b. */
export function echoWorld(bLabels = ''): string {
  return (
    namespace('ns1') +
    namespace('ns2') +
    echo('ns1', 'a', true) +
    echo('ns2', 'a', true) +
    echo('ns1', 'b', true, bLabels) +
    echo('ns2', 'b', true, bLabels)
  );
}

/** A template of tests/integration/security/testdata/authz with its parameters filled in. */
export function policy(ns: string, kind: string, name: string, spec: string, extra = ''): string {
  const group = kind === 'DestinationRule' ? 'networking.istio.io/v1' : 'security.istio.io/v1';
  return `---
apiVersion: ${group}
kind: ${kind}
metadata: {name: ${name}, namespace: ${ns}${extra}}
spec: ${spec}
`;
}

export interface EchoCall {
  readonly from: string;
  readonly to: string;
  readonly port: EchoPort;
  readonly method?: string;
  readonly path?: string;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly jwt?: JwtSpec;
  /** the ext-authz server's answer (`--ext-authz`) */
  readonly extAuthz?: 'allow' | 'deny';
}

/**
 * An echo call: HTTP ports send GET (the echo client's default) with the path; grpc sends the
 * echo RPC (POST /proto.EchoTestService/Echo); tcp sends no HTTP.
 */
export function call(yaml: string, c: EchoCall): Explanation {
  const http =
    c.port === 'tcp'
      ? null
      : c.port === 'grpc'
        ? { method: 'POST', path: '/proto.EchoTestService/Echo', host: null, headers: c.headers ?? {} }
        : { method: c.method ?? 'GET', path: c.path ?? '/', host: c.host ?? null, headers: c.headers ?? {} };
  return explainOk(snapshotFromYaml(yaml), {
    src: c.from,
    dst: c.to,
    port: ECHO_PORTS[c.port].port,
    http,
    jwt: c.jwt ?? null,
    extAuthz: c.extAuthz ?? null,
  });
}
