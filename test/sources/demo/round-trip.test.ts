import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correlate } from '../../../src/correlate/correlator.js';
import type { Denial, DenialPeer } from '../../../src/correlate/denial.js';
import { createLogParser } from '../../../src/parsers/log-parser.js';
import { loadDemo } from '../../../src/sources/demo/load-demo.js';
import type { ExpectedDenial } from '../../../src/sources/demo/simulate.js';
import type { PolicyMention } from '../../../src/engine/explanation.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const names = readdirSync(EXAMPLES)
  .filter((n) => existsSync(`${EXAMPLES}${n}/manifests`))
  .sort();

function workload(p: DenialPeer | 'unknown'): string {
  if (p === 'unknown') return 'unknown';
  if (p.workload !== null) return `${p.namespace ?? ''}/${p.workload.split('/')[1] ?? ''}`;
  return `${p.namespace ?? ''}/${p.name ?? p.ip ?? ''}`;
}

const policyKey = (p: PolicyMention | null): string =>
  p === null || (p.rule === null && p.kind === 'AuthorizationPolicy')
    ? '-'
    : `${p.kind}:${p.namespace ?? ''}/${p.name}:${p.rule ?? '-'}`;
const tupleOf = (d: { layer: string | null; policy: PolicyMention | null }, src: string, dst: string): string =>
  `${src} -> ${dst} @${d.layer ?? '-'} ${policyKey(d.policy)}`;

function parseAndCorrelate(
  lines: readonly string[],
  snapshot: Parameters<typeof correlate>[1],
): { denials: Denial[]; issues: number } {
  const parser = createLogParser();
  const events = [...lines.flatMap((l) => parser.push(l)), ...parser.end()];
  return { denials: correlate(events, snapshot), issues: parser.issues().length };
}

describe('demo round trip: parsing the simulated stream back gives the denials the engine decided', () => {
  it('finds the bundled examples', () => {
    expect(names).toEqual(expect.arrayContaining(['np-test', 'np-test-authz-only', 'np-test-netpol-only', 'poc-mesh']));
  });

  it.each(names)('%s', async (name) => {
    const demo = await loadDemo(`${EXAMPLES}${name}`, name, 7);
    const sim = demo.simulate({ requests: 300 });
    const { denials, issues } = parseAndCorrelate(sim.lines, demo.snapshot);
    expect(issues).toBe(0);
    const expected = new Map(sim.expected.map((e: ExpectedDenial) => [tupleOf(e, e.source, e.destination), e.count]));
    const found = new Map<string, Map<string, number>>();
    for (const d of denials) {
      const key = tupleOf(d, workload(d.source), workload(d.destination));
      const byCause = found.get(key) ?? new Map<string, number>();
      byCause.set(d.cause, (byCause.get(d.cause) ?? 0) + d.count);
      found.set(key, byCause);
    }
    expect([...found.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, byCause] of found)
      for (const count of byCause.values()) expect({ key, count }).toEqual({ key, count: expected.get(key) });
  });

  // examples/calico-tiers/expect.yaml: a security-tier Deny rule and the default tier's end (-1)
  it('calico-tiers: drops by tiered Calico policies leave flow records naming tier, policy and rule', async () => {
    const demo = await loadDemo(`${EXAMPLES}calico-tiers`, 'calico-tiers', 7);
    const sim = demo.simulate({ requests: 300 });
    const { denials } = parseAndCorrelate(sim.lines, demo.snapshot);
    const refs = new Set(denials.map((d) => d.policy?.ruleRef));
    expect(refs).toContain('GlobalNetworkPolicy:security.block-legacy:ingress[0]');
    expect(refs).toContain('GlobalNetworkPolicy:default-deny:ingress[-1]');
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const demo = await loadDemo(`${EXAMPLES}poc-mesh`, 'poc-mesh', 3);
    expect(demo.simulate({ requests: 50 }).lines).toEqual(demo.simulate({ requests: 50 }).lines);
    expect(demo.simulate({ requests: 50, seed: 4 }).lines).not.toEqual(demo.simulate({ requests: 50 }).lines);
  });
});
