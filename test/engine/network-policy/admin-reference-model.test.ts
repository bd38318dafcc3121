/**
 * Differential check of the three tiers: random AdminNetworkPolicies (distinct priorities),
 * an optional NetworkPolicy and an optional BaselineAdminNetworkPolicy, judged by the engine and
 * by a reference written here from formats.md section 6 (ANP priority order, written rule order,
 * Allow/Deny/Pass; NetworkPolicy; BANP only when no NetworkPolicy isolates).
 */
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';

type Labels = Record<string, string>;
type Action = 'Allow' | 'Deny' | 'Pass';
interface AdminPeer { namespaces?: { matchLabels?: Labels }; pods?: { namespaceSelector: { matchLabels?: Labels }; podSelector: { matchLabels?: Labels } } }
interface AdminPort { portNumber?: { protocol: string; port: number }; namedPort?: string; portRange?: { protocol: string; start: number; end: number } }
interface AdminRule { name: string; action: Action; from?: AdminPeer[]; to?: AdminPeer[]; ports?: AdminPort[] }
interface Admin { name: string; priority?: number; subject: { namespaces: { matchLabels?: Labels } }; ingress?: AdminRule[]; egress?: AdminRule[] }
interface TestPod { namespace: string; name: string; labels: Labels; ip: string; ports: { name: string; containerPort: number; protocol: string }[] }

const NAMESPACES: Record<string, Labels> = { n1: { env: 'prod' }, n2: { env: 'dev' }, n3: {} };
const PODS: TestPod[] = [
  { namespace: 'n1', name: 'web', labels: { app: 'web' }, ip: '10.0.1.1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
  { namespace: 'n2', name: 'api', labels: { app: 'api' }, ip: '10.0.2.1', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] },
  { namespace: 'n3', name: 'job', labels: { app: 'job' }, ip: '10.0.3.1', ports: [] },
];
const PROBES = [{ port: 8080, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }];

function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const nsSel = (): { matchLabels?: Labels } => pick<{ matchLabels?: Labels }>([{}, { matchLabels: { env: 'prod' } }, { matchLabels: { env: 'dev' } }, { matchLabels: { 'kubernetes.io/metadata.name': 'n3' } }]);
  const peer = (): AdminPeer => (r() < 0.5 ? { namespaces: nsSel() } : { pods: { namespaceSelector: nsSel(), podSelector: pick([{}, { matchLabels: { app: pick(['web', 'api', 'job']) } }]) } });
  const port = (): AdminPort =>
    pick<AdminPort>([{ portNumber: { protocol: 'TCP', port: pick([8080, 80]) } }, { namedPort: 'http' }, { portRange: { protocol: pick(['TCP', 'UDP']), start: 50, end: pick([60, 100, 9000]) } }]);
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
  const anps = Array.from({ length: Math.floor(r() * 3) }, (_, i) => admin(`a${i}`, priorities[i], ['Allow', 'Deny', 'Pass']));
  const banp = r() < 0.5 ? admin('default', undefined, ['Allow', 'Deny']) : null;
  const np = r() < 0.5 ? { namespace: pick(['n1', 'n2', 'n3']), dir: pick(['Ingress', 'Egress']), allowNs: pick([null, 'n1', 'n2']) } : null;
  return { anps, banp, np };
}

const nsLabels = (ns: string): Labels => ({ ...NAMESPACES[ns], 'kubernetes.io/metadata.name': ns });
const matches = (sel: { matchLabels?: Labels }, labels: Labels): boolean => Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
const peerMatches = (p: AdminPeer, remote: TestPod): boolean =>
  p.namespaces ? matches(p.namespaces, nsLabels(remote.namespace)) : !!p.pods && matches(p.pods.namespaceSelector, nsLabels(remote.namespace)) && matches(p.pods.podSelector, remote.labels);
function portMatches(p: AdminPort, dst: TestPod, port: number, protocol: string): boolean {
  if (p.portNumber) return p.portNumber.protocol === protocol && p.portNumber.port === port;
  if (p.namedPort) return dst.ports.some((c) => c.name === p.namedPort && c.protocol === protocol && c.containerPort === port);
  return !!p.portRange && p.portRange.protocol === protocol && port >= p.portRange.start && port <= p.portRange.end;
}
function firstMatch(a: Admin, dir: 'ingress' | 'egress', subject: TestPod, remote: TestPod, dst: TestPod, port: number, protocol: string): Action | null {
  if (!matches(a.subject.namespaces, nsLabels(subject.namespace))) return null;
  for (const rule of a[dir] ?? []) {
    const peers = (dir === 'ingress' ? rule.from : rule.to) ?? [];
    if (peers.some((p) => peerMatches(p, remote)) && (!rule.ports || rule.ports.some((p) => portMatches(p, dst, port, protocol)))) return rule.action;
  }
  return null;
}
function reference(g: ReturnType<typeof generate>, dir: 'ingress' | 'egress', subject: TestPod, remote: TestPod, dst: TestPod, port: number, protocol: string): string {
  for (const a of [...g.anps].sort((x, y) => (x.priority ?? 0) - (y.priority ?? 0))) {
    const action = firstMatch(a, dir, subject, remote, dst, port, protocol);
    if (action === 'Allow') return 'allowed';
    if (action === 'Deny') return 'denied';
    if (action === 'Pass') break;
  }
  const isolating = g.np && g.np.namespace === subject.namespace && g.np.dir.toLowerCase() === dir;
  if (isolating) return g.np?.allowNs && remote.namespace === g.np.allowNs ? 'allowed' : 'denied';
  const b = g.banp ? firstMatch(g.banp, dir, subject, remote, dst, port, protocol) : null;
  return b === 'Deny' ? 'denied' : 'allowed';
}

function worldYaml(g: ReturnType<typeof generate>): string {
  const docs: unknown[] = [
    ...Object.entries(NAMESPACES).map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
    ...PODS.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.namespace, labels: p.labels }, spec: { containers: [{ name: 'app', ports: p.ports }] }, status: { podIP: p.ip } })),
    ...g.anps.map(({ name, ...spec }) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec })),
    ...(g.banp ? [{ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: g.banp.subject, ingress: g.banp.ingress, egress: g.banp.egress } }] : []),
  ];
  if (g.np) {
    const rules = g.np.allowNs ? [{ [g.np.dir === 'Ingress' ? 'from' : 'to']: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': g.np.allowNs } } }] }] : [];
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: g.np.namespace }, spec: { podSelector: {}, policyTypes: [g.np.dir], [g.np.dir.toLowerCase()]: rules } });
  }
  return docs.map((d) => yaml.dump(JSON.parse(JSON.stringify(d)))).join('---\n');
}

describe('engine vs a reference model of the ANP / NetworkPolicy / BANP tiers (random, seeded)', () => {
  it.each(Array.from({ length: 300 }, (_, i) => i + 1))('seed %i: every pair, port and direction agrees', (seed) => {
    const g = generate(seed);
    const text = worldYaml(g);
    const snapshot = snapshotFromYaml(text);
    expect(snapshot.findings.filter((f) => f.severity === 'error' || f.severity === 'refused')).toEqual([]);
    const disagreements: string[] = [];
    for (const src of PODS) {
      for (const dst of PODS) {
        if (src === dst) continue;
        for (const { port, protocol } of PROBES) {
          const e = explainOk(snapshot, { src: `${src.namespace}/po/${src.name}`, dst: `${dst.namespace}/po/${dst.name}`, port, protocol: protocol as 'TCP' | 'UDP' });
          const want = { egress: reference(g, 'egress', src, dst, dst, port, protocol), ingress: reference(g, 'ingress', dst, src, dst, port, protocol) };
          const got = { egress: e.steps[0]?.verdict, ingress: e.steps[1]?.verdict };
          if (got.egress !== want.egress || got.ingress !== want.ingress) {
            disagreements.push(`${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name} ${protocol}/${port}: engine ${JSON.stringify(got)}, reference ${JSON.stringify(want)}`);
          }
        }
      }
    }
    expect(disagreements, `manifests:\n${text}`).toEqual([]);
  });
});
