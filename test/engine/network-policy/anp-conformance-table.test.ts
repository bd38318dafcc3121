/**
 * The AdminNetworkPolicy / BaselineAdminNetworkPolicy conformance tests of
 * kubernetes-sigs/network-policy-api (v1alpha1; provenance inside
 * test/fixtures/kube/anp-conformance-cases.json, built by anp-conformance-cases.build.mjs): every
 * subtest is a step with the policies in effect after its patches, and every PokeServer in it (client
 * pod to server pod IP) must get the NetworkPolicy layers' decision the suite expects, under every
 * --cni, or, for a probe listed in the fixture's documentedDifferences, the answer README "Semantics"
 * documents for that CNI.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainOk, networkVerdict, snapshotFromYaml } from '../../helpers/snapshot.js';

type Protocol = 'TCP' | 'UDP' | 'SCTP';
type Cni = 'generic' | 'calico' | 'kube-router' | 'cilium';
interface Probe {
  readonly from: string;
  readonly to: string;
  readonly toIP: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
}
interface Step {
  readonly subtest: string;
  readonly changes: readonly string[];
  readonly policies: readonly unknown[];
  readonly probes: readonly Probe[];
}
interface Case {
  readonly test: string;
  readonly steps: readonly Step[];
}
interface Difference {
  readonly cni: Cni;
  readonly test: string;
  readonly step: number;
  readonly probe: number;
  readonly e2e: boolean;
  /** `conditional`: one NetworkPolicy step is conditional and none denies */
  readonly meshdbg: boolean | 'conditional';
  readonly reason: string;
}
interface Fixture {
  readonly provenance: { readonly repo: string; readonly ref: string; readonly commit: string };
  readonly cnis: readonly Cni[];
  readonly documentedDifferences: readonly Difference[];
  readonly skipped: readonly unknown[];
  readonly testCount: number;
  readonly stepCount: number;
  readonly probeCount: number;
  readonly world: readonly unknown[];
  readonly cases: readonly Case[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/kube/anp-conformance-cases.json', import.meta.url), 'utf8'),
) as Fixture;

/**
 * true/false when both NetworkPolicy steps decide (a step that does not apply to the flow, such as
 * ingress to a host-network pod, does not decide it); `conditional` when one is and none denies;
 * the step verdicts otherwise.
 */
function decision(verdicts: { egress: string; ingress: string }): boolean | string {
  const both = [verdicts.egress, verdicts.ingress];
  if (both.includes('denied')) return false;
  if (both.every((v) => v === 'allowed' || v === 'not-applicable') && both.includes('allowed')) return true;
  if (both.includes('conditional') && both.every((v) => v !== 'missing')) return 'conditional';
  return `egress ${verdicts.egress}, ingress ${verdicts.ingress}`;
}
const said = (v: boolean | string): string => (typeof v === 'boolean' ? (v ? 'allowed' : 'denied') : v);

function mismatches(c: Case, stepIndex: number, cni: Cni): string[] {
  const step = c.steps[stepIndex] as Step;
  const objects = [...fixture.world, ...step.policies];
  const snapshot = snapshotFromYaml(objects.map((o) => JSON.stringify(o)).join('\n---\n'), { file: `${c.test}.yaml` });
  const errors = snapshot.findings.filter((f) => f.severity === 'error' || f.severity === 'refused');
  if (errors.length > 0) return errors.map((f) => `manifest ${f.severity} ${f.code}: ${f.message}`);
  const out: string[] = [];
  step.probes.forEach((probe, i) => {
    const difference = fixture.documentedDifferences.find(
      (d) => d.cni === cni && d.test === c.test && d.step === stepIndex && d.probe === i,
    );
    const want = difference ? difference.meshdbg : probe.allowed;
    const [ns, name] = probe.from.split('/');
    const e = explainOk(snapshot, {
      src: `${ns}/po/${name}`,
      dst: probe.toIP,
      port: probe.port,
      protocol: probe.protocol,
      cni,
    });
    const got = decision(networkVerdict(e));
    if (got !== want)
      out.push(
        `${c.test} step ${stepIndex} "${step.subtest}" probe ${i} --cni ${cni}: ${probe.from} -> ${probe.to} (${probe.toIP}) ${probe.protocol}/${probe.port}: expected ${said(want)}${difference ? ' (documented difference)' : ''}, engine ${said(got)}`,
      );
  });
  return out;
}

describe(`network-policy-api conformance (${fixture.provenance.repo}@${fixture.provenance.ref} ${fixture.provenance.commit})`, () => {
  const rows = fixture.cnis.flatMap((cni) =>
    fixture.cases.flatMap((c) =>
      c.steps.map((s, i) => [`--cni ${cni} ${c.test} [${i}] ${s.subtest}`, c, i, cni] as const),
    ),
  );
  it.each(rows)('%s', (_name, c, i, cni) => {
    expect(mismatches(c, i, cni)).toEqual([]);
  });

  it('documents each difference on a probe the suite holds, with the suite answer', () => {
    for (const d of fixture.documentedDifferences) {
      const probe = fixture.cases.find((c) => c.test === d.test)?.steps[d.step]?.probes[d.probe];
      expect(probe?.allowed, `${d.test} ${d.step} ${d.probe}`).toBe(d.e2e);
      expect(d.meshdbg).not.toBe(d.e2e);
      expect(d.reason).toMatch(/README "Semantics" \d+/);
    }
  });

  it('holds every test, step and probe it says it holds', () => {
    expect(fixture.cases).toHaveLength(fixture.testCount);
    expect(fixture.cases.flatMap((c) => c.steps)).toHaveLength(fixture.stepCount);
    expect(fixture.cases.flatMap((c) => c.steps.flatMap((s) => s.probes))).toHaveLength(fixture.probeCount);
    expect(fixture.skipped).toEqual([]);
  });
});
