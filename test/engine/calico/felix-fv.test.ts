/**
 * Calico's own functional verification (projectcalico/calico felix/fv, provenance in the fixture) as
 * decisions: every case is one state of an FV spec (its workloads as pods, its policies, tiers,
 * network sets and Services as objects), and every probe is one `cc.ExpectSome` / `cc.ExpectNone`
 * of that state, asked through explain with `--cni calico`. ExpectSome must be `allowed`,
 * ExpectNone `denied`. Where the spec checks flow logs, each flow's enforced policy trace (felix's
 * `index|tier|kind:name|action|rule`) must be the policies explain names for that direction.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { PeerSpec } from '../../../src/engine/explanation.js';
import type { Protocol } from '../../../src/model/k8s.js';

interface FvPod {
  name: string;
  namespace: string;
  ip: string;
  labels: Record<string, string>;
  ports?: { name: string; containerPort: number; protocol: Protocol }[];
}
interface FvProbe {
  from: PeerSpec;
  to: PeerSpec;
  port: number;
  protocol: Protocol;
  expect: 'allowed' | 'denied';
  fv: string;
}
interface FvFlowLog {
  from: PeerSpec;
  to: PeerSpec;
  port: number;
  protocol: Protocol;
  reporter: 'src' | 'dst';
  enforced: string[];
}
interface FvCase {
  file: string;
  it: string;
  world: { pods: FvPod[]; objects: Record<string, unknown>[] };
  probes: FvProbe[];
  flowLogs?: FvFlowLog[];
}
interface Fixture {
  provenance: string;
  translation: string[];
  skipped: { file: string; it: string; why: string }[];
  cases: FvCase[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/felix-fv-cases.json', import.meta.url), 'utf8'),
) as Fixture;

const podYaml = (p: FvPod): string => `---
apiVersion: v1
kind: Pod
metadata: ${JSON.stringify({ name: p.name, namespace: p.namespace, labels: p.labels })}
spec: ${JSON.stringify({ containers: [{ name: 'c', image: 'x', ...(p.ports ? { ports: p.ports } : {}) }] })}
status: ${JSON.stringify({ podIP: p.ip })}
`;

const worldYaml = (c: FvCase): string =>
  c.world.pods.map(podYaml).join('') + c.world.objects.map((o) => `---\n${JSON.stringify(o)}\n`).join('');

const peer = (p: PeerSpec): string => JSON.stringify(p);

/** Flow-log policy kinds (felix/calc/rule_id.go prefixes) as explain's ruleRef kinds. */
const FLOW_KINDS: Record<string, string> = {
  np: 'CalicoNetworkPolicy',
  gnp: 'GlobalNetworkPolicy',
  knp: 'NetworkPolicy',
  pro: 'Profile',
};
const FLOW_EFFECTS: Record<string, string> = { allow: 'allowed', deny: 'denied', pass: 'passed' };

/** One entry of a flow's policy trace as `ruleRef effect`, in explain's terms. */
function fromFlowTrace(entry: string, direction: 'ingress' | 'egress'): string {
  const [, , policy = '', action = '', rule = ''] = entry.split('|');
  const colon = policy.indexOf(':');
  const kind = FLOW_KINDS[policy.slice(0, colon)] ?? `unknown kind ${policy.slice(0, colon)}`;
  const effect = action === 'deny' && rule === '-1' ? 'end-of-tier' : (FLOW_EFFECTS[action] ?? action);
  return `${kind}:${policy.slice(colon + 1)}:${direction}[${rule}] ${effect}`;
}

describe('felix/fv connectivity expectations, as decisions (--cni calico)', () => {
  it('has the transcribed FV files', () => {
    expect(fixture.provenance).toContain('projectcalico/calico');
    const probes: Record<string, number> = {};
    for (const c of fixture.cases) probes[c.file] = (probes[c.file] ?? 0) + c.probes.length;
    expect(probes).toEqual({
      'felix/fv/ingress_egress_test.go': 28,
      'felix/fv/tiered_policy_test.go': 16,
      'felix/fv/flow_logs_goldmane_staged_test.go': 10,
      'felix/fv/netsets_test.go': 768,
      'felix/fv/named_ports_test.go': 1019,
      'felix/fv/service_policy_test.go': 64,
    });
    expect(fixture.cases.flatMap((c) => c.flowLogs ?? []).length).toBe(32);
    for (const c of fixture.cases) expect(c.probes.length).toBeGreaterThan(0);
  });

  for (const c of fixture.cases) {
    it(`${c.file}: ${c.it}`, () => {
      const snapshot = snapshotFromYaml(worldYaml(c));
      expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const disagreements: string[] = [];
      for (const p of c.probes) {
        const e = explainOk(snapshot, { src: p.from, dst: p.to, port: p.port, protocol: p.protocol, cni: 'calico' });
        if (e.verdict !== p.expect)
          disagreements.push(
            `${peer(p.from)} -> ${peer(p.to)} ${p.protocol}/${p.port} (${p.fv}): expected ${p.expect}, got ${e.verdict}`,
          );
      }
      expect(disagreements).toEqual([]);
    });
    const flowLogs = c.flowLogs;
    if (flowLogs)
      it(`${c.file}: ${c.it}: flow log enforced policy traces`, () => {
        const snapshot = snapshotFromYaml(worldYaml(c));
        const disagreements: string[] = [];
        for (const f of flowLogs) {
          const direction = f.reporter === 'src' ? 'egress' : 'ingress';
          const e = explainOk(snapshot, { src: f.from, dst: f.to, port: f.port, protocol: f.protocol, cni: 'calico' });
          const step = e.steps.find((s) => s.layer === `networkpolicy-${direction}`);
          const got = (step?.policies ?? [])
            .filter((m) => m.effect !== 'logged' && !(m.effect ?? '').startsWith('shadow-'))
            .map((m) => `${m.ruleRef} ${m.effect}`)
            .sort();
          const want = f.enforced.map((t) => fromFlowTrace(t, direction)).sort();
          if (JSON.stringify(got) !== JSON.stringify(want))
            disagreements.push(
              `${peer(f.from)} -> ${peer(f.to)} reporter ${f.reporter}: felix ${JSON.stringify(want)}, explain ${JSON.stringify(got)}`,
            );
        }
        expect(disagreements).toEqual([]);
      });
  }
});
