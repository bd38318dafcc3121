/**
 * Issue 17 (hostile inputs), for logs: the real log excerpts of test/fixtures/logs/real (each with
 * its provenance beside it) are mutated with a fixed seed: lines cut at a random character,
 * duplicated, joined, hostile text inserted (terminal escapes, C1 controls, quotes and brackets the
 * parsers key on, very long runs). `meshdbg denials` reads each mutated file with and without
 * manifests, as text and JSON, in-process: nothing may exit 70. Every sixth case, and every case whose log carries a control character, also goes through
 * the built CLI, whose output passes the one chokepoint for printed text
 * (src/commands/terminal-output.ts): no raw ESC or C1 control character and no stack trace.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDenials } from '../../src/commands/denials.js';
import { runInProcess } from '../helpers/run-in-process.js';
import { seededRandom, type Random } from '../../src/util/random.js';
import { ensureBuilt, hasStackTrace, runCli } from '../commands/cli-harness.js';

const REAL = 'test/fixtures/logs/real';
const SEED = 23;
const CASES = 150;
const RAW_CONTROL = /[\u001b\u0080-\u009f\u0007]/;
const INSERTS: readonly string[] = [
  '\u001b]0;pwned\u0007',
  '\u009b2J',
  '\u001b[31m',
  '"',
  '[',
  ']',
  '{',
  '}',
  '\t',
  ' - ',
  'rule[',
  'policy[',
  'ns[',
  'matched policy ',
  'rbac_access_denied_matched_policy[',
  '\r',
  '\u0000',
  '\ufeff',
  'x'.repeat(20_000),
  '9'.repeat(400),
];

const corpus = readdirSync(REAL)
  .filter((f) => f.endsWith('.log'))
  .map((f) => readFileSync(join(REAL, f), 'utf8').split('\n').filter(Boolean))
  .filter((lines) => lines.length > 0);

function mutateLine(line: string, rnd: Random): string {
  const at = rnd.int(line.length + 1);
  switch (rnd.int(4)) {
    case 0:
      return line.slice(0, at);
    case 1:
      return line.slice(0, at) + rnd.pick(INSERTS) + line.slice(at);
    case 2:
      return line.slice(0, at) + line.slice(at + 1 + rnd.int(20));
    default:
      return line + line.slice(at);
  }
}

function mutatedLog(rnd: Random): string {
  const lines = [...rnd.pick(corpus)];
  const edits = 1 + rnd.int(4);
  for (let k = 0; k < edits; k++) {
    const i = rnd.int(lines.length);
    lines[i] = mutateLine(lines[i] as string, rnd);
  }
  if (rnd.int(3) === 0) lines.push(...rnd.pick(corpus));
  return `${lines.join(rnd.int(5) === 0 ? '\r\n' : '\n')}\n`;
}

describe(`log fuzz over the real corpus (seed ${SEED}, ${CASES} cases)`, () => {
  it('reads enough real excerpts to mean something', () => {
    expect(corpus.length).toBeGreaterThan(10);
  });

  it('denials never exits 70 and never prints a raw ESC or C1 control', async () => {
    ensureBuilt();
    const rnd = seededRandom(SEED);
    const root = mkdtempSync(join(tmpdir(), 'meshdbg-log-fuzz-'));
    const failures: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const file = join(root, `${n}.log`);
      const log = mutatedLog(rnd);
      writeFileSync(file, log);
      const runs: [string, string[]][] = [
        ['text', ['--logs', file]],
        ['json', ['--logs', file, '-o', 'json']],
        ['with manifests', ['--logs', file, '--from', 'examples/np-test', '-o', 'json']],
      ];
      for (const [name, argv] of runs) {
        const { code, output } = await runInProcess(() => runDenials(argv));
        if (code === 70) failures.push(`case ${n} (${file}) ${name}: exit 70: ${output.split('\n')[0] ?? ''}`);
        if (n % 6 !== 0 && !RAW_CONTROL.test(log)) continue;
        const cli = runCli(['denials', ...argv]);
        const printed = cli.stdout + cli.stderr;
        if (cli.code === 70 || cli.code === null) failures.push(`case ${n} (${file}) ${name}: CLI exit ${cli.code}`);
        if (RAW_CONTROL.test(printed))
          failures.push(`case ${n} (${file}) ${name}: raw control character in CLI output`);
        if (hasStackTrace(printed)) failures.push(`case ${n} (${file}) ${name}: stack trace in CLI output`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
