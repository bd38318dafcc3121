/**
 * The Kubernetes e2e NetworkPolicy truth tables (kubernetes/kubernetes
 * test/e2e/network/netpol/network_policy.go; provenance inside
 * test/fixtures/kube/e2e-netpol-cases.json, built by e2e-netpol-cases.build.mjs): for every step of
 * every case and every --cni, every ordered pair of distinct pods is probed as the e2e probes it
 * (source pod to the destination's Service ClusterIP, probe.go) and to the destination pod itself,
 * and the NetworkPolicy layers' decision must be the expected reachability, or, for a probe listed
 * in the fixture's documentedDifferences, the answer README "Semantics" documents for that CNI.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, networkVerdict, snapshotFromYaml } from '../../helpers/snapshot.js';

type Protocol = 'TCP' | 'UDP' | 'SCTP';
type Cni = 'generic' | 'calico' | 'kube-router' | 'cilium';
interface Difference {
  readonly cni: Cni;
  readonly case: string;
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly e2e: boolean;
  readonly meshdbg: boolean;
  readonly reason: string;
}
interface Row {
  readonly from: string;
  readonly to: string;
  readonly allowed: boolean;
}
interface Probe {
  readonly port: number;
  readonly protocol: Protocol;
  readonly expected: readonly Row[];
}
interface Step {
  readonly title?: string;
  readonly objects: readonly KubeObject[];
  readonly probes: readonly Probe[];
}
interface Case {
  readonly id: string;
  readonly describe: string;
  readonly it: string;
  readonly steps: readonly Step[];
}
interface Fixture {
  readonly provenance: { readonly repo: string; readonly files: Record<string, string> };
  readonly cnis: readonly Cni[];
  readonly documentedDifferences: readonly Difference[];
  readonly caseCount: number;
  readonly probeCount: number;
  readonly cases: readonly Case[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/kube/e2e-netpol-cases.json', import.meta.url), 'utf8'),
) as Fixture;

interface KubeObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: { readonly clusterIP?: string };
}

/** The ClusterIP of Service s-NS-POD, which probe.go connects to. */
function serviceIP(objects: readonly KubeObject[], pod: string): string {
  const [ns, name] = pod.split('/');
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === `s-${ns}-${name}`);
  const ip = svc?.spec?.clusterIP;
  if (ip === undefined) throw new Error(`no Service for ${pod}`);
  return ip;
}

/** true/false when both NetworkPolicy steps decide; the step verdicts otherwise. */
function decision(verdicts: { egress: string; ingress: string }): boolean | string {
  if (verdicts.egress === 'denied' || verdicts.ingress === 'denied') return false;
  if (verdicts.egress === 'allowed' && verdicts.ingress === 'allowed') return true;
  return `egress ${verdicts.egress}, ingress ${verdicts.ingress}`;
}

/** The answer meshdbg documents for this probe under `cni`, when it differs from the e2e one. */
function documented(c: Case, step: number, cni: Cni, probe: Probe, row: Row): Difference | undefined {
  return fixture.documentedDifferences.find(
    (d) =>
      d.cni === cni &&
      d.case === c.id &&
      d.step === step &&
      d.from === row.from &&
      d.to === row.to &&
      d.port === probe.port &&
      d.protocol === probe.protocol,
  );
}

function mismatches(c: Case, stepIndex: number, cni: Cni): string[] {
  const step = c.steps[stepIndex] as Step;
  const objects = step.objects;
  const snapshot = snapshotFromYaml(step.objects.map((o) => JSON.stringify(o)).join('\n---\n'), {
    file: `${c.id}.yaml`,
  });
  const errors = snapshot.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) return errors.map((f) => `manifest error ${f.code}: ${f.message}`);
  const out: string[] = [];
  for (const probe of step.probes) {
    for (const row of probe.expected) {
      const [ns, name] = row.from.split('/');
      const [toNs, toName] = row.to.split('/');
      const difference = documented(c, stepIndex, cni, probe, row);
      const want = difference ? difference.meshdbg : row.allowed;
      for (const dst of [serviceIP(objects, row.to), `${toNs}/po/${toName}`]) {
        const e = explainOk(snapshot, {
          src: `${ns}/po/${name}`,
          dst,
          port: probe.port,
          protocol: probe.protocol,
          cni,
        });
        const got = decision(networkVerdict(e));
        if (got !== want)
          out.push(
            `${c.id} step ${stepIndex}${step.title ? ` (${step.title})` : ''} --cni ${cni}: ${row.from} -> ${row.to} (${dst}) ${probe.protocol}/${probe.port}: expected ${want ? 'allowed' : 'denied'}${difference ? ' (documented difference)' : ''}, engine ${typeof got === 'boolean' ? (got ? 'allowed' : 'denied') : got}`,
          );
      }
    }
  }
  return out;
}

describe(`Kubernetes e2e NetworkPolicy truth tables (${fixture.provenance.repo}:${fixture.provenance.files.tests})`, () => {
  const rows = fixture.cnis.flatMap((cni) =>
    fixture.cases.flatMap((c) =>
      c.steps.map(
        (_s, i) =>
          [
            `--cni ${cni} ${c.id} ${c.describe}: ${c.it}${c.steps.length > 1 ? ` [step ${i}]` : ''}`,
            c,
            i,
            cni,
          ] as const,
      ),
    ),
  );
  it.each(rows)('%s', (_name, c, i, cni) => {
    expect(mismatches(c, i, cni)).toEqual([]);
  });

  it('documents each difference on a probe the e2e table holds, with the e2e answer', () => {
    for (const d of fixture.documentedDifferences) {
      const probe = fixture.cases
        .find((c) => c.id === d.case)
        ?.steps[d.step]?.probes.find((p) => p.port === d.port && p.protocol === d.protocol);
      const row = probe?.expected.find((r) => r.from === d.from && r.to === d.to);
      expect(row?.allowed, `${d.case} ${d.from} -> ${d.to}`).toBe(d.e2e);
      expect(d.meshdbg).not.toBe(d.e2e);
      expect(d.reason).toMatch(/README "Semantics" \d+/);
    }
  });

  it('holds every case and probe it says it holds', () => {
    expect(fixture.cases).toHaveLength(fixture.caseCount);
    const probes = fixture.cases.flatMap((c) => c.steps.flatMap((s) => s.probes.flatMap((p) => p.expected)));
    expect(probes).toHaveLength(fixture.probeCount);
    expect(fixture.caseCount).toBeGreaterThanOrEqual(40);
  });
});
