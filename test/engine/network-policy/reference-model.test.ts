/**
 * Differential check: random NetworkPolicies over a small cluster, judged by the engine and by a
 * reference written here straight from formats.md section 6 (generic CNI, no hostNetwork pods).
 * Seeded, so a failure names a reproducible case.
 */
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';

type Labels = Record<string, string>;
type Cni = 'generic' | 'calico' | 'kube-router' | 'cilium';
interface Selector { matchLabels?: Labels; matchExpressions?: { key: string; operator: string; values?: string[] }[] }
interface Port { protocol?: string; port?: number | string; endPort?: number }
interface Peer { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } }
interface Rule { from?: Peer[]; to?: Peer[]; ports?: Port[] }
interface Policy { namespace: string; name: string; spec: { podSelector?: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] } }
interface TestPod { namespace: string; name: string; labels: Labels; ip: string; ports: { name: string; containerPort: number; protocol: string }[] }

const NAMESPACES: Record<string, Labels> = { n1: { env: 'prod' }, n2: { env: 'dev' }, n3: {} };
const PODS: TestPod[] = [
  { namespace: 'n1', name: 'web', labels: { app: 'web', tier: 'front' }, ip: '10.0.1.1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
  { namespace: 'n1', name: 'db', labels: { app: 'db' }, ip: '10.0.1.2', ports: [{ name: 'sql', containerPort: 5432, protocol: 'TCP' }, { name: 'http', containerPort: 9090, protocol: 'TCP' }] },
  { namespace: 'n2', name: 'web', labels: { app: 'web' }, ip: '10.0.2.1', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] },
  { namespace: 'n3', name: 'job', labels: { app: 'job', tier: 'back' }, ip: '10.0.3.1', ports: [] },
];
const PROBES: { port: number; protocol: string }[] = [
  { port: 8080, protocol: 'TCP' }, { port: 5432, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }, { port: 9090, protocol: 'TCP' },
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const maybe = (p: number): boolean => r() < p;
  const selector = (): Selector => {
    const kind = Math.floor(r() * 5);
    if (kind === 0) return {};
    if (kind === 1) return { matchLabels: { app: pick(['web', 'db', 'job', 'none']) } };
    if (kind === 2) return { matchLabels: { tier: pick(['front', 'back']) } };
    if (kind === 3) return { matchExpressions: [{ key: pick(['app', 'tier', 'env']), operator: pick(['Exists', 'DoesNotExist']) }] };
    return { matchExpressions: [{ key: pick(['app', 'env']), operator: pick(['In', 'NotIn']), values: [pick(['web', 'db', 'prod', 'dev'])] }] };
  };
  const nsSelector = (): Selector => pick<Selector>([{}, { matchLabels: { env: 'prod' } }, { matchLabels: { env: 'dev' } }, { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, { matchLabels: { 'kubernetes.io/metadata.name': pick(['n1', 'n2', 'n3']) } }]);
  const peer = (): Peer => {
    const kind = Math.floor(r() * 4);
    if (kind === 0) return { podSelector: selector() };
    if (kind === 1) return { namespaceSelector: nsSelector() };
    if (kind === 2) return { namespaceSelector: nsSelector(), podSelector: selector() };
    return maybe(0.5) ? { ipBlock: { cidr: pick(['10.0.0.0/16', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.1/32']) } } : { ipBlock: { cidr: '10.0.0.0/16', except: [pick(['10.0.1.0/24', '10.0.2.0/25', '10.0.3.0/24'])] } };
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
    if (maybe(0.7)) spec.ingress = maybe(0.15) ? [] : Array.from({ length: 1 + Math.floor(r() * 2) }, () => rule('from'));
    if (maybe(0.5)) spec.egress = maybe(0.15) ? [] : Array.from({ length: 1 + Math.floor(r() * 2) }, () => rule('to'));
    return { namespace: pick(Object.keys(NAMESPACES)), name: `p${i}`, spec };
  };
  return { policies: (): Policy[] => Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => policy(i)) };
}

// ---- the reference, from the spec ----
function selects(sel: Selector | undefined, labels: Labels): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key] as string))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key] as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const nsLabels = (ns: string): Labels => ({ ...NAMESPACES[ns], 'kubernetes.io/metadata.name': ns });
const ipToInt = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (2 ** 32 - 2 ** (32 - Number(bits)));
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(base as string) & mask) >>> 0;
}
function peerMatches(p: Peer, policyNs: string, remote: TestPod, cni: Cni): boolean {
  if (p.ipBlock) return cni !== 'cilium' && inCidr(remote.ip, p.ipBlock.cidr) && !(p.ipBlock.except ?? []).some((e) => inCidr(remote.ip, e));
  const nsOk = p.namespaceSelector ? selects(p.namespaceSelector, nsLabels(remote.namespace)) : remote.namespace === policyNs;
  return nsOk && (p.podSelector ? selects(p.podSelector, remote.labels) : true);
}
function portMatches(p: Port, dst: TestPod, port: number, protocol: string): boolean {
  const proto = p.protocol ?? 'TCP';
  if (proto !== protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'string') return dst.ports.some((c) => c.name === p.port && c.protocol === protocol && c.containerPort === port);
  return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
}
function types(p: Policy): string[] {
  if (p.spec.policyTypes && p.spec.policyTypes.length > 0) return p.spec.policyTypes;
  return (p.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}
function direction(policies: Policy[], dir: 'Ingress' | 'Egress', subject: TestPod, remote: TestPod, dst: TestPod, port: number, protocol: string, cni: Cni): 'allowed' | 'denied' {
  const applying = policies.filter((p) => p.namespace === subject.namespace && selects(p.spec.podSelector, subject.labels) && types(p).includes(dir));
  if (applying.length === 0) return 'allowed';
  const ok = applying.some((p) =>
    ((dir === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule) => {
      const peers = dir === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((x) => peerMatches(x, p.namespace, remote, cni));
      const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((x) => portMatches(x, dst, port, protocol));
      return peerOk && portOk;
    }),
  );
  return ok ? 'allowed' : 'denied';
}

function worldYaml(policies: Policy[]): string {
  const docs: unknown[] = [
    ...Object.entries(NAMESPACES).map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
    ...PODS.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.namespace, labels: p.labels }, spec: { containers: [{ name: 'app', ports: p.ports }] }, status: { podIP: p.ip } })),
    ...policies.map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec: p.spec })),
  ];
  return docs.map((d) => yaml.dump(d)).join('---\n');
}

function disagreementsFor(seed: number, cni: Cni): { text: string; errors: unknown[]; disagreements: string[] } {
  const policies = generator(seed).policies();
  const text = worldYaml(policies);
  const snapshot = snapshotFromYaml(text);
  const disagreements: string[] = [];
  for (const src of PODS) {
    for (const dst of PODS) {
      if (src === dst) continue;
      for (const { port, protocol } of PROBES) {
        const e = explainOk(snapshot, { src: `${src.namespace}/po/${src.name}`, dst: `${dst.namespace}/po/${dst.name}`, port, protocol: protocol as 'TCP' | 'UDP', cni });
        const want = {
          egress: direction(policies, 'Egress', src, dst, dst, port, protocol, cni),
          ingress: direction(policies, 'Ingress', dst, src, dst, port, protocol, cni),
        };
        const got = { egress: e.steps[0]?.verdict, ingress: e.steps[1]?.verdict };
        if (got.egress !== want.egress || got.ingress !== want.ingress) {
          disagreements.push(`${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name} ${protocol}/${port}: engine ${JSON.stringify(got)}, reference ${JSON.stringify(want)}`);
        }
      }
    }
  }
  return { text, errors: snapshot.findings.filter((f) => f.severity === 'error'), disagreements };
}

describe('engine vs a reference model of formats.md section 6 (random policies)', () => {
  it.each(Array.from({ length: 400 }, (_, i) => i + 1))('generic CNI, seed %i: every pair, port and direction agrees', (seed) => {
    const r = disagreementsFor(seed, 'generic');
    expect(r.errors).toEqual([]);
    expect(r.disagreements, `policies:\n${r.text}`).toEqual([]);
  });

  it.each(Array.from({ length: 100 }, (_, i) => i + 1))('cilium (ipBlock never matches pod IPs), seed %i: agrees', (seed) => {
    const r = disagreementsFor(seed, 'cilium');
    expect(r.disagreements, `policies:\n${r.text}`).toEqual([]);
  });
});
