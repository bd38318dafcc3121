/** Hand-built Snapshots for the Istio layer tests (no dependency on the Snapshot builder). */
import yaml from 'js-yaml';
import type { Namespace, Pod, Protocol, Service, ServicePort } from '../../../src/model/k8s.js';
import type { RawObject } from '../../../src/model/raw.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import type { FlowContext, Endpoint } from '../../../src/engine/flow.js';
import type { HttpRequestSpec, JwtSpec, PolicyMention } from '../../../src/engine/explanation.js';
import type { ReachabilityCheck } from '../../../src/engine/istio/types.js';
import { convertIstio } from '../../../src/model/convert/istio.js';

export function rawObjects(text: string): RawObject[] {
  return yaml
    .loadAll(text)
    .filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null)
    .map((object) => ({ object, loc: { file: 'test.yaml', line: null, doc: 0 }, lines: null }));
}

export interface PodOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ip?: string | null;
  sa?: string;
  sidecar?: boolean;
  ports?: number[];
  fromTemplate?: boolean;
  hostNetwork?: boolean;
}

export function pod(namespace: string, name: string, o: PodOptions = {}): Pod {
  const sidecar = o.sidecar ?? true;
  return {
    namespace,
    name,
    labels: { app: name, ...(sidecar ? { 'security.istio.io/tlsMode': 'istio' } : {}), ...o.labels },
    annotations: o.annotations ?? {},
    ip: o.ip === undefined ? null : o.ip,
    hostNetwork: o.hostNetwork ?? false,
    serviceAccount: o.sa ?? name,
    containers: [
      {
        name: 'app',
        ports: (o.ports ?? [8080]).map((p) => ({ name: null, containerPort: p, protocol: 'TCP' as Protocol })),
        restartPolicy: null,
      },
      ...(sidecar ? [{ name: 'istio-proxy', ports: [], restartPolicy: null }] : []),
    ],
    initContainers: [],
    owners: [{ kind: 'Deployment', name }],
    fromTemplate: o.fromTemplate ?? true,
    nodeName: null,
    phase: null,
    ready: null,
    restarts: 0,
    loc: null,
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): Namespace {
  return { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, synthesized: false, loc: null };
}

export function service(
  ns: string,
  name: string,
  ports: Partial<ServicePort>[],
  selector: Record<string, string> = { app: name },
  clusterIP = '10.96.0.10',
): Service {
  return {
    namespace: ns,
    name,
    selector,
    clusterIP,
    type: 'ClusterIP',
    loc: null,
    ports: ports.map((p) => ({
      name: p.name ?? null,
      port: p.port ?? 80,
      targetPort: p.targetPort ?? p.port ?? 80,
      protocol: p.protocol ?? 'TCP',
      appProtocol: p.appProtocol ?? null,
    })),
  };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
}

export function snapshotOf(input: {
  pods?: Pod[];
  namespaces?: Namespace[];
  services?: Service[];
  istio?: string;
  other?: Partial<Snapshot>;
}): Snapshot {
  const pods = input.pods ?? [];
  const services = input.services ?? [];
  const converted = convertIstio(rawObjects(input.istio ?? ''), { defaultNamespace: 'default' });
  const nsNames = new Set([...pods.map((p) => p.namespace), ...services.map((s) => s.namespace), 'istio-system']);
  const namespaces = new Map<string, Namespace>((input.namespaces ?? []).map((n) => [n.name, n]));
  for (const n of nsNames) if (!namespaces.has(n)) namespaces.set(n, namespace(n));
  return {
    source: { type: 'manifests', description: 'test' },
    namespaces,
    pods,
    groups: [],
    services,
    networkPolicies: [],
    adminNetworkPolicies: [],
    baselineAdminNetworkPolicy: null,
    unmodelled: converted.unmodelled,
    istio: converted.istio,
    detectedCni: 'generic',
    assumptions: [],
    findings: [],
    ignoredKinds: new Map(),
    index: {
      podsByNamespace: groupBy(pods, (p) => p.namespace),
      groupsByNamespace: new Map(),
      groupOfPod: new Map(),
      servicesByNamespace: groupBy(services, (s) => s.namespace),
      networkPoliciesByNamespace: new Map(),
      podByIp: new Map(pods.filter((p) => p.ip).map((p) => [p.ip as string, p])),
      serviceByIp: new Map(),
    },
    ...input.other,
  };
}

export const reachAll: ReachabilityCheck = () => ({
  allowed: true,
  policies: [],
  summary: 'allowed (no NetworkPolicy)',
});

/** Denies connections for which `blocked` is true, naming a policy. */
export function reachUnless(
  blocked: (from: Endpoint, to: Endpoint, protocol: Protocol, port: number) => PolicyMention | null,
): ReachabilityCheck {
  return (from, to, protocol, port) => {
    const p = blocked(from, to, protocol, port);
    return p
      ? { allowed: false, policies: [p], summary: `denied by ${p.ruleRef}` }
      : { allowed: true, policies: [], summary: 'allowed' };
  };
}

export function npMention(ns: string, name: string, direction: 'ingress' | 'egress'): PolicyMention {
  return {
    kind: 'NetworkPolicy',
    namespace: ns,
    name,
    rule: null,
    ruleRef: `NetworkPolicy:${ns}/${name}:${direction}`,
  };
}

export function flow(
  src: Pod | string,
  dst: Pod | string,
  o: Partial<Omit<FlowContext, 'source' | 'destination'>> & {
    method?: string;
    path?: string;
    host?: string;
    headers?: Record<string, string>;
    jwt?: JwtSpec | null;
  } = {},
): FlowContext {
  const ep = (p: Pod | string): Endpoint => (typeof p === 'string' ? { type: 'ip', ip: p } : { type: 'pod', pod: p });
  const http: HttpRequestSpec | null =
    o.http !== undefined
      ? o.http
      : o.method || o.path || o.host || o.headers
        ? { method: o.method ?? null, path: o.path ?? null, host: o.host ?? null, headers: o.headers ?? {} }
        : null;
  return {
    source: ep(src),
    destination: ep(dst),
    protocol: o.protocol ?? 'TCP',
    port: o.port ?? 8080,
    servicePort: o.servicePort ?? null,
    service: o.service ?? null,
    appProtocol: o.appProtocol ?? null,
    http,
    mtlsOverride: o.mtlsOverride ?? null,
    jwt: o.jwt ?? null,
    extAuthz: o.extAuthz ?? null,
    now: o.now ?? null,
    resolve: o.resolve ?? {},
    cni: o.cni ?? 'generic',
  };
}
