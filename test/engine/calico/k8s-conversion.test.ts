/**
 * Calico's NetworkPolicy conversion tables (libcalico-go conversion_test.go, provenance in the
 * fixture) as decisions: for every case, the Kubernetes NetworkPolicy the Go test builds and the
 * Calico NetworkPolicy it must convert to (tier default, order 1000) are each put into the same
 * cluster, and every probe must get the same verdict from
 *   (k8s)    the Kubernetes NetworkPolicy alone (the Kubernetes tiers),
 *   (mixed)  the Kubernetes NetworkPolicy beside a Calico policy that selects nothing (Calico's
 *            tiers, the NetworkPolicy as a default-tier member),
 *   (calico) the converted Calico NetworkPolicy alone.
 * The pods, namespaces and probes are scaffolding chosen to tell the selectors, ports and nets of
 * the cases apart; the expected answer of each probe is what Calico's converted policy decides.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { PeerSpec } from '../../../src/engine/explanation.js';
import type { Protocol } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/model/snapshot.js';

interface ConversionCase {
  suite: string;
  it: string;
  name: string;
  k8s: Record<string, unknown> & { policyTypes?: string[] };
  calico: { order: number; selector: string; types: string[]; ingress: unknown[]; egress: unknown[] };
  note?: string;
  apiServerRejects?: string;
}
interface Fixture {
  provenance: string;
  skipped: { it: string; why: string }[];
  cases: ConversionCase[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/k8s-networkpolicy-conversion-cases.json', import.meta.url), 'utf8'),
) as Fixture;

// ---- scaffolding: namespaces, pods and probes ----
const NAMESPACES: Record<string, Record<string, string>> = {
  default: {},
  dev: { namespaceRole: 'dev', namespaceFoo: 'bar' },
  half: { namespaceRole: 'dev' },
};
const LABEL_SETS: Record<string, string>[] = [
  { label: 'value', label2: 'value2' },
  { label: 'value' },
  { k: 'v', k2: 'v2' },
  { k: 'v' },
  { k2: 'v2', toast: 'yes-toast' },
  { k: 'v1' },
  { k: 'v2', podA: 'B', podC: 'D' },
  { podA: 'B' },
  {},
];
const SUBNETS = ['192.168.1', '192.168.3', '10.10.1', '192.168.5', '172.16.0'];
const EXTERNAL = ['192.168.1.200', '192.168.3.200', '192.168.5.200', '10.10.1.200', '8.8.8.8'];
const PORTS: [Protocol, number][] = [
  ['TCP', 80],
  ['TCP', 90],
  ['TCP', 9090],
  ['TCP', 32000],
  ['TCP', 32768],
  ['TCP', 32769],
  ['UDP', 53],
  ['UDP', 80],
  ['UDP', 90],
  ['SCTP', 80],
];

interface PodDef {
  namespace: string;
  name: string;
  yaml: string;
}
const PODS: PodDef[] = Object.keys(NAMESPACES).flatMap((namespace, n) =>
  LABEL_SETS.map((labels, i) => {
    const name = `p${i}`;
    // named port foo: 9090 on odd pods, 32769 on p4, none elsewhere
    const foo = i % 2 === 1 ? 9090 : i === 4 ? 32769 : null;
    const ports = foo === null ? '' : `, ports: [{name: foo, containerPort: ${foo}}]`;
    const ip = `${SUBNETS[(i + n) % SUBNETS.length]}.${10 + n * 10 + i}`;
    return {
      namespace,
      name,
      yaml: `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: ${JSON.stringify(labels)}}
spec: {containers: [{name: c, image: x${ports}}]}
status: {podIP: ${ip}}
`,
    };
  }),
);
const UNIVERSE =
  Object.entries(NAMESPACES)
    .map(
      ([name, labels]) => `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${JSON.stringify({ ...labels, 'kubernetes.io/metadata.name': name })}}
`,
    )
    .join('') + PODS.map((p) => p.yaml).join('');

const INERT = `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: inert}
spec: {selector: "inert == 'selects-nothing'", types: [Ingress, Egress]}
`;

const k8sYaml = (c: ConversionCase) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${c.name}, namespace: default}
spec: ${JSON.stringify(c.k8s)}
`;

const calicoYaml = (c: ConversionCase) => `---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: knp.default.${c.name}, namespace: default}
spec: ${JSON.stringify({ tier: 'default', ...c.calico })}
`;

type Direction = 'Ingress' | 'Egress';
interface Probe {
  src: PeerSpec;
  dst: PeerSpec;
  protocol: Protocol;
  port: number;
  label: string;
}

function probes(direction: Direction): Probe[] {
  const local = PODS.filter((p) => p.namespace === 'default').map((p) => `${p.namespace}/${p.name}`);
  const peers: PeerSpec[] = [...PODS.map((p) => `${p.namespace}/${p.name}`), ...EXTERNAL.map((ip) => ({ ip }))];
  const out: Probe[] = [];
  for (const mine of local)
    for (const peer of peers) {
      if (peer === mine) continue;
      const [src, dst] = direction === 'Ingress' ? [peer, mine] : [mine, peer];
      for (const [protocol, port] of PORTS)
        out.push({
          src,
          dst,
          protocol,
          port,
          label: `${JSON.stringify(src)} -> ${JSON.stringify(dst)} ${protocol}/${port}`,
        });
    }
  return out;
}

function stepVerdict(snapshot: Snapshot, p: Probe, direction: Direction): string {
  const e = explainOk(snapshot, { src: p.src, dst: p.dst, port: p.port, protocol: p.protocol, cni: 'calico' });
  const layer = direction === 'Ingress' ? 'networkpolicy-ingress' : 'networkpolicy-egress';
  return e.steps.find((s) => s.layer === layer)?.verdict ?? 'missing';
}

describe('libcalico-go conversion_test.go: K8sNetworkPolicyToCalico, as decisions', () => {
  it('has the published cases', () => {
    expect(fixture.provenance).toContain('libcalico-go/lib/backend/k8s/conversion/conversion_test.go');
    expect(fixture.cases.length).toBe(30);
    for (const c of fixture.cases) expect(c.calico.order).toBe(1000);
  });

  for (const c of fixture.cases) {
    const title = `${c.suite}: ${c.it.trim()}`;
    if (c.apiServerRejects !== undefined) {
      it(`${title} (refused: the API server rejects the NetworkPolicy)`, () => {
        const snapshot = snapshotFromYaml(UNIVERSE + k8sYaml(c));
        expect(snapshot.findings.some((f) => f.severity === 'error')).toBe(true);
      });
      continue;
    }
    it(title, () => {
      const k8s = snapshotFromYaml(UNIVERSE + k8sYaml(c));
      const mixed = snapshotFromYaml(UNIVERSE + k8sYaml(c) + INERT);
      const calico = snapshotFromYaml(UNIVERSE + calicoYaml(c));
      for (const snapshot of [k8s, mixed, calico])
        expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const disagreements: string[] = [];
      const seen = new Set<string>();
      for (const direction of c.calico.types as Direction[]) {
        for (const p of probes(direction)) {
          const want = stepVerdict(calico, p, direction);
          seen.add(want);
          const gotK8s = stepVerdict(k8s, p, direction);
          const gotMixed = stepVerdict(mixed, p, direction);
          if (gotK8s !== want || gotMixed !== want)
            disagreements.push(`${direction} ${p.label}: calico ${want}, k8s ${gotK8s}, mixed ${gotMixed}`);
        }
      }
      expect(disagreements.slice(0, 20)).toEqual([]);
      // the probes see the policy isolate: something is denied in every case
      expect(seen.has('denied')).toBe(true);
    });
  }
});
