/**
 * Differential check of the three tiers: random AdminNetworkPolicies (distinct priorities),
 * an optional NetworkPolicy and an optional BaselineAdminNetworkPolicy, judged by the engine and
 * by a reference written here from the Kubernetes NetworkPolicy and AdminNetworkPolicy docs (https://kubernetes.io/docs/concepts/services-networking/network-policies/, https://network-policy-api.sigs.k8s.io/api-overview/) (ANP priority order, written rule order,
 * Allow/Deny/Pass; NetworkPolicy; BANP only when no NetworkPolicy isolates).
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import {
  NAMESPACES,
  PODS,
  PROBES,
  generate,
  worldYaml,
  type Action,
  type Admin,
  type AdminPeer,
  type AdminPort,
  type Labels,
  type TestPod,
} from './admin-random-policies.js';

const nsLabels = (ns: string): Labels => ({ ...NAMESPACES[ns], 'kubernetes.io/metadata.name': ns });
const matches = (sel: { matchLabels?: Labels }, labels: Labels): boolean =>
  Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
const peerMatches = (p: AdminPeer, remote: TestPod): boolean =>
  p.namespaces
    ? matches(p.namespaces, nsLabels(remote.namespace))
    : !!p.pods &&
      matches(p.pods.namespaceSelector, nsLabels(remote.namespace)) &&
      matches(p.pods.podSelector, remote.labels);
function portMatches(p: AdminPort, dst: TestPod, port: number, protocol: string): boolean {
  if (p.portNumber) return p.portNumber.protocol === protocol && p.portNumber.port === port;
  if (p.namedPort)
    return dst.ports.some((c) => c.name === p.namedPort && c.protocol === protocol && c.containerPort === port);
  return !!p.portRange && p.portRange.protocol === protocol && port >= p.portRange.start && port <= p.portRange.end;
}
function firstMatch(
  a: Admin,
  dir: 'ingress' | 'egress',
  subject: TestPod,
  remote: TestPod,
  dst: TestPod,
  port: number,
  protocol: string,
): Action | null {
  if (!matches(a.subject.namespaces, nsLabels(subject.namespace))) return null;
  for (const rule of a[dir] ?? []) {
    const peers = (dir === 'ingress' ? rule.from : rule.to) ?? [];
    if (
      peers.some((p) => peerMatches(p, remote)) &&
      (!rule.ports || rule.ports.some((p) => portMatches(p, dst, port, protocol)))
    )
      return rule.action;
  }
  return null;
}
function reference(
  g: ReturnType<typeof generate>,
  dir: 'ingress' | 'egress',
  subject: TestPod,
  remote: TestPod,
  dst: TestPod,
  port: number,
  protocol: string,
): string {
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
          const e = explainOk(snapshot, {
            src: `${src.namespace}/po/${src.name}`,
            dst: `${dst.namespace}/po/${dst.name}`,
            port,
            protocol: protocol as 'TCP' | 'UDP',
          });
          const want = {
            egress: reference(g, 'egress', src, dst, dst, port, protocol),
            ingress: reference(g, 'ingress', dst, src, dst, port, protocol),
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
    expect(disagreements, `manifests:\n${text}`).toEqual([]);
  });
});
