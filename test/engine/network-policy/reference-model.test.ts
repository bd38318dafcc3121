/**
 * Differential check: random NetworkPolicies over a small cluster, judged by the engine and by a
 * reference written here straight from the Kubernetes NetworkPolicy and AdminNetworkPolicy docs (https://kubernetes.io/docs/concepts/services-networking/network-policies/, https://network-policy-api.sigs.k8s.io/api-overview/) (generic CNI, no hostNetwork pods).
 * Seeded, so a failure names a reproducible case.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import {
  NAMESPACES,
  PODS,
  PROBES,
  generator,
  worldYaml,
  type Cni,
  type Labels,
  type Peer,
  type Policy,
  type Port,
  type Selector,
  type TestPod,
} from './random-policies.js';

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
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(base as string) & mask) >>> 0;
}
function peerMatches(p: Peer, policyNs: string, remote: TestPod, cni: Cni): boolean {
  if (p.ipBlock)
    return (
      cni !== 'cilium' &&
      inCidr(remote.ip, p.ipBlock.cidr) &&
      !(p.ipBlock.except ?? []).some((e) => inCidr(remote.ip, e))
    );
  const nsOk = p.namespaceSelector
    ? selects(p.namespaceSelector, nsLabels(remote.namespace))
    : remote.namespace === policyNs;
  return nsOk && (p.podSelector ? selects(p.podSelector, remote.labels) : true);
}
function portMatches(p: Port, dst: TestPod, port: number, protocol: string): boolean {
  const proto = p.protocol ?? 'TCP';
  if (proto !== protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'string')
    return dst.ports.some((c) => c.name === p.port && c.protocol === protocol && c.containerPort === port);
  return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
}
function types(p: Policy): string[] {
  if (p.spec.policyTypes && p.spec.policyTypes.length > 0) return p.spec.policyTypes;
  return (p.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}
function direction(
  policies: Policy[],
  dir: 'Ingress' | 'Egress',
  subject: TestPod,
  remote: TestPod,
  dst: TestPod,
  port: number,
  protocol: string,
  cni: Cni,
): 'allowed' | 'denied' {
  const applying = policies.filter(
    (p) => p.namespace === subject.namespace && selects(p.spec.podSelector, subject.labels) && types(p).includes(dir),
  );
  if (applying.length === 0) return 'allowed';
  const ok = applying.some((p) =>
    ((dir === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule) => {
      const peers = dir === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((x) => peerMatches(x, p.namespace, remote, cni));
      const portOk =
        !rule.ports || rule.ports.length === 0 || rule.ports.some((x) => portMatches(x, dst, port, protocol));
      return peerOk && portOk;
    }),
  );
  return ok ? 'allowed' : 'denied';
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
        const e = explainOk(snapshot, {
          src: `${src.namespace}/po/${src.name}`,
          dst: `${dst.namespace}/po/${dst.name}`,
          port,
          protocol: protocol as 'TCP' | 'UDP',
          cni,
        });
        const want = {
          egress: direction(policies, 'Egress', src, dst, dst, port, protocol, cni),
          ingress: direction(policies, 'Ingress', dst, src, dst, port, protocol, cni),
        };
        const got = { egress: e.steps[0]?.verdict, ingress: e.steps[1]?.verdict };
        if (got.egress !== want.egress || got.ingress !== want.ingress) {
          disagreements.push(
            `${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name} ${protocol}/${port}: engine ${JSON.stringify(got)}, reference ${JSON.stringify(want)}`,
          );
        }
      }
    }
  }
  return { text, errors: snapshot.findings.filter((f) => f.severity === 'error'), disagreements };
}

describe('engine vs a reference model of the Kubernetes NetworkPolicy and AdminNetworkPolicy docs (https://kubernetes.io/docs/concepts/services-networking/network-policies/, https://network-policy-api.sigs.k8s.io/api-overview/) (random policies)', () => {
  it.each(Array.from({ length: 400 }, (_, i) => i + 1))(
    'generic CNI, seed %i: every pair, port and direction agrees',
    (seed) => {
      const r = disagreementsFor(seed, 'generic');
      expect(r.errors).toEqual([]);
      expect(r.disagreements, `policies:\n${r.text}`).toEqual([]);
    },
  );

  it.each(Array.from({ length: 100 }, (_, i) => i + 1))(
    'cilium (ipBlock never matches pod IPs), seed %i: agrees',
    (seed) => {
      const r = disagreementsFor(seed, 'cilium');
      expect(r.disagreements, `policies:\n${r.text}`).toEqual([]);
    },
  );
});
