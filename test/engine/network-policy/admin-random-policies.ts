/** Seeded random AdminNetworkPolicies, an optional NetworkPolicy and BANP over a small cluster, shared by the differential tests. */
import yaml from 'js-yaml';

export type Labels = Record<string, string>;
export type Action = 'Allow' | 'Deny' | 'Pass';
export interface AdminPeer {
  namespaces?: { matchLabels?: Labels };
  pods?: { namespaceSelector: { matchLabels?: Labels }; podSelector: { matchLabels?: Labels } };
}
export interface AdminPort {
  portNumber?: { protocol: string; port: number };
  namedPort?: string;
  portRange?: { protocol: string; start: number; end: number };
}
export interface AdminRule {
  name: string;
  action: Action;
  from?: AdminPeer[];
  to?: AdminPeer[];
  ports?: AdminPort[];
}
export interface Admin {
  name: string;
  priority?: number;
  subject: { namespaces: { matchLabels?: Labels } };
  ingress?: AdminRule[];
  egress?: AdminRule[];
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
    labels: { app: 'web' },
    ip: '10.0.1.1',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  },
  {
    namespace: 'n2',
    name: 'api',
    labels: { app: 'api' },
    ip: '10.0.2.1',
    ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
  },
  { namespace: 'n3', name: 'job', labels: { app: 'job' }, ip: '10.0.3.1', ports: [] },
];
export const PROBES = [
  { port: 8080, protocol: 'TCP' },
  { port: 80, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
];

function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generate(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const nsSel = (): { matchLabels?: Labels } =>
    pick<{ matchLabels?: Labels }>([
      {},
      { matchLabels: { env: 'prod' } },
      { matchLabels: { env: 'dev' } },
      { matchLabels: { 'kubernetes.io/metadata.name': 'n3' } },
    ]);
  const peer = (): AdminPeer =>
    r() < 0.5
      ? { namespaces: nsSel() }
      : {
          pods: {
            namespaceSelector: nsSel(),
            podSelector: pick([{}, { matchLabels: { app: pick(['web', 'api', 'job']) } }]),
          },
        };
  const port = (): AdminPort =>
    pick<AdminPort>([
      { portNumber: { protocol: 'TCP', port: pick([8080, 80]) } },
      { namedPort: 'http' },
      { portRange: { protocol: pick(['TCP', 'UDP']), start: 50, end: pick([60, 100, 9000]) } },
    ]);
  const rules = (dir: 'from' | 'to', actions: readonly Action[]): AdminRule[] =>
    Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => ({
      name: `r${i}`,
      action: pick(actions),
      [dir]: Array.from({ length: 1 + Math.floor(r() * 2) }, peer),
      ...(r() < 0.4 ? { ports: [port()] } : {}),
    }));
  const admin = (name: string, priority: number | undefined, actions: readonly Action[]): Admin => ({
    name,
    ...(priority === undefined ? {} : { priority }),
    subject: { namespaces: nsSel() },
    ...(r() < 0.7 ? { ingress: rules('from', actions) } : {}),
    ...(r() < 0.5 ? { egress: rules('to', actions) } : {}),
  });
  const priorities = [3, 10, 40].sort(() => r() - 0.5);
  const anps = Array.from({ length: Math.floor(r() * 3) }, (_, i) =>
    admin(`a${i}`, priorities[i], ['Allow', 'Deny', 'Pass']),
  );
  const banp = r() < 0.5 ? admin('default', undefined, ['Allow', 'Deny']) : null;
  const np =
    r() < 0.5
      ? { namespace: pick(['n1', 'n2', 'n3']), dir: pick(['Ingress', 'Egress']), allowNs: pick([null, 'n1', 'n2']) }
      : null;
  return { anps, banp, np };
}

export function worldYaml(g: ReturnType<typeof generate>): string {
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
    ...g.anps.map(({ name, ...spec }) => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name },
      spec,
    })),
    ...(g.banp
      ? [
          {
            apiVersion: 'policy.networking.k8s.io/v1alpha1',
            kind: 'BaselineAdminNetworkPolicy',
            metadata: { name: 'default' },
            spec: { subject: g.banp.subject, ingress: g.banp.ingress, egress: g.banp.egress },
          },
        ]
      : []),
  ];
  if (g.np) {
    const rules = g.np.allowNs
      ? [
          {
            [g.np.dir === 'Ingress' ? 'from' : 'to']: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': g.np.allowNs } } },
            ],
          },
        ]
      : [];
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np', namespace: g.np.namespace },
      spec: { podSelector: {}, policyTypes: [g.np.dir], [g.np.dir.toLowerCase()]: rules },
    });
  }
  return docs.map((d) => yaml.dump(JSON.parse(JSON.stringify(d)))).join('---\n');
}
