/** Seeded random NetworkPolicies over a small fixed cluster, shared by the differential tests. */
import yaml from 'js-yaml';

export type Labels = Record<string, string>;
export type Cni = 'generic' | 'calico' | 'kube-router' | 'cilium';
export interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
export interface Port {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
export interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
export interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}
export interface Policy {
  namespace: string;
  name: string;
  spec: { podSelector?: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}
export interface TestPod {
  namespace: string;
  name: string;
  labels: Labels;
  ip: string;
  ports: { name: string; containerPort: number; protocol: string }[];
}

export const NAMESPACES: Record<string, Labels> = { n1: { env: 'prod' }, n2: { env: 'dev' }, n3: {} };
export const PODS: TestPod[] = [
  {
    namespace: 'n1',
    name: 'web',
    labels: { app: 'web', tier: 'front' },
    ip: '10.0.1.1',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  },
  {
    namespace: 'n1',
    name: 'db',
    labels: { app: 'db' },
    ip: '10.0.1.2',
    ports: [
      { name: 'sql', containerPort: 5432, protocol: 'TCP' },
      { name: 'http', containerPort: 9090, protocol: 'TCP' },
    ],
  },
  {
    namespace: 'n2',
    name: 'web',
    labels: { app: 'web' },
    ip: '10.0.2.1',
    ports: [
      { name: 'http', containerPort: 80, protocol: 'TCP' },
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
    ],
  },
  { namespace: 'n3', name: 'job', labels: { app: 'job', tier: 'back' }, ip: '10.0.3.1', ports: [] },
];
export const PROBES: { port: number; protocol: string }[] = [
  { port: 8080, protocol: 'TCP' },
  { port: 5432, protocol: 'TCP' },
  { port: 80, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
  { port: 9090, protocol: 'TCP' },
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The policies of one seed (deterministic). */
export function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const maybe = (p: number): boolean => r() < p;
  const selector = (): Selector => {
    const kind = Math.floor(r() * 5);
    if (kind === 0) return {};
    if (kind === 1) return { matchLabels: { app: pick(['web', 'db', 'job', 'none']) } };
    if (kind === 2) return { matchLabels: { tier: pick(['front', 'back']) } };
    if (kind === 3)
      return { matchExpressions: [{ key: pick(['app', 'tier', 'env']), operator: pick(['Exists', 'DoesNotExist']) }] };
    return {
      matchExpressions: [
        { key: pick(['app', 'env']), operator: pick(['In', 'NotIn']), values: [pick(['web', 'db', 'prod', 'dev'])] },
      ],
    };
  };
  const nsSelector = (): Selector =>
    pick<Selector>([
      {},
      { matchLabels: { env: 'prod' } },
      { matchLabels: { env: 'dev' } },
      { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] },
      { matchLabels: { 'kubernetes.io/metadata.name': pick(['n1', 'n2', 'n3']) } },
    ]);
  const peer = (): Peer => {
    const kind = Math.floor(r() * 4);
    if (kind === 0) return { podSelector: selector() };
    if (kind === 1) return { namespaceSelector: nsSelector() };
    if (kind === 2) return { namespaceSelector: nsSelector(), podSelector: selector() };
    return maybe(0.5)
      ? { ipBlock: { cidr: pick(['10.0.0.0/16', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.1/32']) } }
      : { ipBlock: { cidr: '10.0.0.0/16', except: [pick(['10.0.1.0/24', '10.0.2.0/25', '10.0.3.0/24'])] } };
  };
  const port = (withNames: boolean): Port => {
    const kind = Math.floor(r() * (withNames ? 5 : 4));
    if (kind === 0) return { port: pick([8080, 5432, 80, 9090]) };
    if (kind === 1) return { protocol: 'UDP', port: 53 };
    if (kind === 2) {
      const start = pick([50, 80, 5000]);
      return { port: start, endPort: start + pick([0, 10, 1000, 4100]) };
    }
    if (kind === 3) return { protocol: pick(['TCP', 'UDP']) };
    return { port: pick(['http', 'sql', 'dns']), ...(maybe(0.3) ? { protocol: 'UDP' } : {}) };
  };
  const rule = (dir: 'from' | 'to'): Rule => {
    const out: Rule = {};
    const peers = maybe(0.8) ? Array.from({ length: 1 + Math.floor(r() * 2) }, peer) : maybe(0.5) ? [] : undefined;
    if (peers) out[dir] = peers;
    const hasIpBlock = (peers ?? []).some((p) => p.ipBlock);
    if (maybe(0.6)) out.ports = Array.from({ length: 1 + Math.floor(r() * 2) }, () => port(!hasIpBlock));
    return out;
  };
  const policy = (i: number): Policy => {
    const spec: Policy['spec'] = {};
    if (maybe(0.9)) spec.podSelector = selector();
    if (maybe(0.6)) spec.policyTypes = pick([['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    if (maybe(0.7))
      spec.ingress = maybe(0.15) ? [] : Array.from({ length: 1 + Math.floor(r() * 2) }, () => rule('from'));
    if (maybe(0.5)) spec.egress = maybe(0.15) ? [] : Array.from({ length: 1 + Math.floor(r() * 2) }, () => rule('to'));
    return { namespace: pick(Object.keys(NAMESPACES)), name: `p${i}`, spec };
  };
  return { policies: (): Policy[] => Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => policy(i)) };
}

export function worldYaml(policies: Policy[]): string {
  const docs: unknown[] = [
    ...Object.entries(NAMESPACES).map(([name, labels]) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels },
    })),
    ...PODS.map((p) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: { containers: [{ name: 'app', ports: p.ports }] },
      status: { podIP: p.ip },
    })),
    ...policies.map((p) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: p.name, namespace: p.namespace },
      spec: p.spec,
    })),
  ];
  return docs.map((d) => yaml.dump(d)).join('---\n');
}
