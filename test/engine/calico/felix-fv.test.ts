/**
 * Calico's own functional verification (projectcalico/calico felix/fv, provenance in the fixture) as
 * decisions: every case is one state of an FV spec (its workloads as pods, its policies, tiers,
 * network sets and Services as objects), and every probe is one `cc.ExpectSome` / `cc.ExpectNone`
 * of that state, asked through explain with `--cni calico`. ExpectSome must be `allowed`,
 * ExpectNone `denied`.
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
interface FvCase {
  file: string;
  it: string;
  world: { pods: FvPod[]; objects: Record<string, unknown>[] };
  probes: FvProbe[];
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
  }
});
