import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correlate } from '../../../src/correlate/correlator.js';
import type { Denial } from '../../../src/correlate/denial.js';
import { createLogParser } from '../../../src/parsers/log-parser.js';
import { loadDemo } from '../../../src/sources/demo/load-demo.js';
import { ALLOWED_SHARE } from '../../../src/sources/demo/simulate.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const names = readdirSync(EXAMPLES)
  .filter((n) => existsSync(`${EXAMPLES}${n}/manifests`))
  .sort();
const REQUESTS = 1000;

interface Mix {
  readonly name: string;
  readonly allowed: number;
  readonly denied: number;
  /** denials the TUI lists (repeats counted), and those it shows as `matched policy none` */
  readonly shown: number;
  readonly none: number;
  readonly denialKinds: number;
  readonly kindsShown: number;
  readonly skipped: string;
}

// as the denials view's POLICY[RULE] cell: no policy or rule named, at the ALLOW layer
const readsMatchedNone = (d: Denial): boolean => d.policy === null && d.ruleRef === null && d.layer === 'authz-allow';

async function mixOf(name: string): Promise<Mix> {
  const demo = await loadDemo(`${EXAMPLES}${name}`, name, 7);
  const sim = demo.simulate({ requests: REQUESTS });
  const parser = createLogParser();
  const denials = correlate([...sim.lines.flatMap((l) => parser.push(l)), ...parser.end()], demo.snapshot);
  const sum = (ds: readonly Denial[]): number => ds.reduce((n, d) => n + d.count, 0);
  return {
    name,
    allowed: sim.allowed,
    denied: sim.denied,
    shown: sum(denials),
    none: sum(denials.filter(readsMatchedNone)),
    denialKinds: demo.plan.denialKinds.length,
    kindsShown: new Set(denials.map((d) => `${d.layer ?? ''}|${d.ruleRef ?? 'none'}`)).size,
    skipped: sim.skipped.map((s) => `${s.id} (${s.reason})`).join('; '),
  };
}

const pct = (n: number, of: number): string => `${of === 0 ? '-' : ((100 * n) / of).toFixed(1)}%`;

// Issue 16 item 5: before, 95% of simulated requests got 403 and 86% of denials read "matched policy
// none". The demo now replays each example's expect.yaml (the seeds' test scripts among them),
// "mostly allowed with a few denials of each kind".
describe('demo traffic mix', () => {
  const mixes: Mix[] = [];

  it.each(names)('%s: mostly allowed, with denials', async (name) => {
    const mix = await mixOf(name);
    mixes.push(mix);
    console.log(
      `demo ${mix.name}: allowed ${pct(mix.allowed, mix.allowed + mix.denied)}, matched policy none ${pct(mix.none, mix.shown)} of ${mix.shown} denials shown, denial kinds ${mix.kindsShown} shown of ${mix.denialKinds}${mix.skipped ? `; not simulated: ${mix.skipped}` : ''}`,
    );
    const share = mix.allowed / (mix.allowed + mix.denied);
    // "mostly allowed": the planned 75% within sampling noise (1000 requests: sd 1.4 points)
    expect(share).toBeGreaterThanOrEqual(ALLOWED_SHARE - 0.1);
    // "a few denials": at least one request in seven is denied, so a minute of demo shows several
    expect(share).toBeLessThanOrEqual(ALLOWED_SHARE + 0.1);
    expect(mix.denialKinds).toBeGreaterThan(0);
  });

  it('over all examples, "matched policy none" is a minority of the denials shown', () => {
    expect(mixes.map((m) => m.name)).toEqual(names);
    const shown = mixes.reduce((n, m) => n + m.shown, 0);
    const none = mixes.reduce((n, m) => n + m.none, 0);
    const allowed = mixes.reduce((n, m) => n + m.allowed, 0);
    const all = mixes.reduce((n, m) => n + m.allowed + m.denied, 0);
    console.log(
      `demo, all examples: allowed ${pct(allowed, all)}, matched policy none ${pct(none, shown)} of ${shown}`,
    );
    // the denial kinds are picked alike, so the ALLOW misses (one kind in most examples, most of
    // ambient-mesh's, whose ztunnel names no rule) stay well under the 86% the issue measured
    expect(none / shown).toBeLessThanOrEqual(0.4);
    expect(allowed / all).toBeGreaterThanOrEqual(0.6);
  });
});
