/**
 * Seeded random sidecar meshes for the map property test: pods with istio-proxy sidecars whose
 * capture annotations (traffic.sidecar.istio.io/excludeInboundPorts, includeInboundPorts,
 * excludeOutboundPorts, excludeOutboundIPRanges, includeOutboundIPRanges; documented at
 * https://istio.io/latest/docs/reference/config/annotations/) take ports and address ranges out of
 * the mesh, under random PeerAuthentications, AuthorizationPolicies and NetworkPolicies that make
 * a bypassed port answer differently from a captured one.
 */
import yaml from 'js-yaml';
import { seededRandom } from '../../../src/util/random.js';

const A = 'traffic.sidecar.istio.io/';
export const CAPTURE_PORTS = [3306, 7070, 8080, 9090];
/** what the annotations name: no policy names these, so only the annotations tell twins apart */
const RANGES = ['10.0.2.0/24', '10.0.1.3/32', '10.0.1.0/25'];
const IP_BLOCKS = ['192.168.0.0/16', '10.0.0.0/8'];
const APPS = ['web', 'api', 'db'];
const NAMESPACES = ['a', 'b'];

export interface CaptureWorld {
  readonly yaml: string;
  /** workload ids, `NS/Pod/NAME` */
  readonly pods: readonly string[];
  /** the ports the annotations and policies name, and their neighbours */
  readonly ports: readonly number[];
}

function subset<T>(next: () => number, items: readonly T[]): T[] {
  return items.filter(() => next() < 0.4);
}

function annotations(next: () => number): Record<string, string> {
  const out: Record<string, string> = {};
  const ports = (): string => subset(next, CAPTURE_PORTS).join(',');
  if (next() < 0.5) out[`${A}excludeInboundPorts`] = ports();
  if (next() < 0.3) out[`${A}includeInboundPorts`] = next() < 0.2 ? '*' : ports();
  if (next() < 0.4) out[`${A}excludeOutboundPorts`] = ports();
  if (next() < 0.3) out[`${A}excludeOutboundIPRanges`] = subset(next, RANGES).join(',');
  if (next() < 0.2) out[`${A}includeOutboundIPRanges`] = subset(next, RANGES).join(',');
  return out;
}

function pod(next: () => number, i: number): Record<string, unknown> {
  const app = APPS[i % APPS.length] as string;
  const sidecar = next() < 0.85;
  // auto-mTLS sends mutual TLS only to pods labelled as the injector labels sidecar pods
  const tlsMode = sidecar ? { 'security.istio.io/tlsMode': 'istio' } : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-${i}`,
      namespace: NAMESPACES[i % 2],
      labels: { app, ...tlsMode },
      annotations: annotations(next),
    },
    spec: {
      serviceAccountName: `${app}-sa`,
      containers: [
        { name: 'app', ports: subset(next, CAPTURE_PORTS).map((p) => ({ containerPort: p })) },
        ...(sidecar ? [{ name: 'istio-proxy' }] : []),
      ],
    },
    status: { podIP: `10.0.${1 + (i % 2)}.${1 + i}`, phase: 'Running' },
  };
}

function twin(original: Record<string, unknown>, i: number): Record<string, unknown> {
  const metadata = original['metadata'] as Record<string, unknown>;
  return {
    ...original,
    metadata: { ...metadata, name: `${String(metadata['name'])}-twin` },
    status: { podIP: `10.0.${2 - (i % 2)}.${20 + i}`, phase: 'Running' },
  };
}

function policies(next: () => number): Record<string, unknown>[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const out: Record<string, unknown>[] = [];
  const ns = pick(['istio-system', ...NAMESPACES]);
  const mode = pick(['STRICT', 'STRICT', 'PERMISSIVE', 'DISABLE']);
  out.push({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'pa', namespace: ns },
    spec: { mtls: { mode } },
  });
  for (let i = 0; i < 3; i++) {
    const from =
      next() < 0.5
        ? [{ source: { principals: [`cluster.local/ns/${pick(NAMESPACES)}/sa/${pick(APPS)}-sa`] } }]
        : [{ source: { ipBlocks: [pick(IP_BLOCKS)] } }];
    out.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: `ap-${i}`, namespace: pick(NAMESPACES) },
      spec: {
        selector: { matchLabels: { app: pick(APPS) } },
        action: next() < 0.3 ? 'DENY' : 'ALLOW',
        rules: [{ from, to: [{ operation: { ports: subset(next, CAPTURE_PORTS).map(String) } }] }],
      },
    });
  }
  if (next() < 0.5)
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np', namespace: pick(NAMESPACES) },
      spec: {
        podSelector: { matchLabels: { app: pick(APPS) } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: pick(CAPTURE_PORTS) }] }],
      },
    });
  return out;
}

export function captureWorld(seed: number): CaptureWorld {
  const { next } = seededRandom(seed);
  const namespaces = ['istio-system', ...NAMESPACES].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
  const distinct = Array.from({ length: 4 }, (_, i) => pod(next, i));
  // twins: the same pod at an address on the other side of the ranges the annotations name
  const pods = [...distinct, ...distinct.map((p, i) => twin(p, i))];
  const docs = [...namespaces, ...pods, ...policies(next)];
  const ports = [...new Set(CAPTURE_PORTS.flatMap((p) => [p - 1, p, p + 1]))];
  const ids = pods.map((p) => {
    const m = p['metadata'] as { name: string; namespace: string };
    return `${m.namespace}/Pod/${m.name}`;
  });
  return { yaml: docs.map((d) => yaml.dump(d)).join('---\n'), pods: ids, ports };
}
