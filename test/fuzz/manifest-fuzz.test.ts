/**
 * Issue 17: a fuzz test over manifests, with a fixed seed (src/util/random.ts). Each case
 * takes one example's manifests, replaces one node of one document with a hostile value
 * (a scalar where an object belongs, a list, null, a date, a long value, terminal escape
 * sequences and C1 controls, values of the right type out of range), and runs lint, explain
 * --batch (JSON), explain (text), and, on every fourth case, map (JSON) and diff against the
 * poc-mesh example on it
 * in-process. Nothing may throw anything but a MeshdbgError (which exits 2/3/4, never 70),
 * and no output may carry a raw ESC or C1 control character.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runExplain } from '../../src/commands/explain.js';
import { runLint } from '../../src/commands/lint.js';
import { runMap } from '../../src/commands/map.js';
import { runDiff } from '../../src/commands/diff.js';
import { runInProcess } from '../helpers/run-in-process.js';
import { seededRandom } from '../../src/util/random.js';
import type { Random } from '../../src/util/random.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const SEED = 17;
const CASES = 400;
const RAW_CONTROL = /[\u001b\u0080-\u009f\u0007]/;

const HOSTILE: readonly unknown[] = [
  5,
  'str',
  null,
  [],
  {},
  [5, 'x', null],
  true,
  '2001-12-14',
  'x'.repeat(5000),
  '\u001b]0;pwned\u0007title',
  '\u009b31mred\u001b[2J',
  'a\r\nkind: AuthorizationPolicy',
  { matchLabels: 5 },
  { '\u001b[31m': 'v' },
  // values that are the right type but out of range or malformed where the parsers look
  -1,
  65536,
  1e308,
  '*',
  '',
  '0.0.0.0/0',
  '::/0',
  '10.0.0.0/33',
  'fe80::1%eth0',
  '\u202eevil',
  ' 80',
  '0x50',
  { matchExpressions: [{ key: 'a', operator: 'In' }] },
  { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] },
  [{ port: 80, endPort: 10 }],
  [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] } }],
  [{ from: [{ source: { principals: ['*'] } }] }],
  ['Egress', 'Ingress', 'Bogus'],
];

type Doc = Record<string, unknown>;

/** Every path to a node inside `doc` (object keys and list indexes). */
function paths(node: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(node)) node.forEach((v, i) => paths(v, [...at, i], out));
  else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node as Doc)) paths(v, [...at, k], out);
  return out;
}

function mutate(doc: Doc, rnd: Random): Doc {
  const copy = structuredClone(doc);
  const all = paths(copy);
  // a third of the mutations hit a top-level field (spec, metadata...) or one just below it
  const shallow = all.filter((p) => p.length <= 2);
  const path = rnd.pick(rnd.int(3) === 0 && shallow.length > 0 ? shallow : all);
  let parent: unknown = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  (parent as Record<string | number, unknown>)[path.at(-1) as string | number] = structuredClone(rnd.pick(HOSTILE));
  return copy;
}

interface Case {
  readonly dir: string;
  readonly queries: string;
  readonly first: Record<string, unknown>;
}

function makeCase(rnd: Random, root: string, n: number): Case {
  const example = rnd.pick(readdirSync(EXAMPLES).filter((e) => !e.endsWith('.md')));
  const manifests = join(EXAMPLES, example, 'manifests');
  const files = readdirSync(manifests).filter((f) => /\.ya?ml$/.test(f));
  const target = rnd.pick(files);
  const dir = join(root, String(n));
  mkdirSync(dir);
  for (const file of files) {
    const text = readFileSync(join(manifests, file), 'utf8');
    if (file !== target) writeFileSync(join(dir, file), text);
    else {
      const docs = yaml.loadAll(text).filter((d): d is Doc => d !== null && typeof d === 'object');
      const i = rnd.int(docs.length);
      docs[i] = mutate(docs[i] as Doc, rnd);
      writeFileSync(join(dir, file), docs.map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n'));
    }
  }
  const expectations = yaml.load(readFileSync(join(EXAMPLES, example, 'expect.yaml'), 'utf8')) as Doc[];
  const queries = expectations.map(({ expect: _e, ...q }) => JSON.stringify(q)).join('\n');
  return { dir, queries: `${queries}\n`, first: expectations[0] ?? {} };
}

describe(`manifest fuzz (seed ${SEED}, ${CASES} cases)`, () => {
  it('never exits 70 and never prints a raw ESC or C1 control', async () => {
    const rnd = seededRandom(SEED);
    const root = mkdtempSync(join(tmpdir(), 'meshdbg-fuzz-'));
    const failures: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const c = makeCase(rnd, root, n);
      writeFileSync(join(c.dir, '..', `${n}.queries`), c.queries);
      const src = String(c.first['src'] ?? '');
      const dst = String(c.first['dst'] ?? '');
      const runs: [string, () => Promise<number>][] = [
        ['lint', () => runLint(['--from', c.dir])],
        ['explain --batch', () => runExplain(['--batch', join(c.dir, '..', `${n}.queries`), '--from', c.dir])],
        ['explain text', () => runExplain([src, dst, '--port', String(c.first['port'] ?? 80), '--from', c.dir])],
      ];
      // map and diff (each a whole-input analysis) on every fourth case, to keep the suite quick
      if (n % 4 === 0)
        runs.push(
          ['map json', () => runMap(['--from', c.dir, '-A', '-o', 'json'])],
          ['diff', () => runDiff(['--from', join(EXAMPLES, 'poc-mesh', 'manifests'), '--to', c.dir])],
        );
      for (const [name, run] of runs) {
        const { code, output } = await runInProcess(run);
        if (code === 70) failures.push(`case ${n} (${c.dir}) ${name}: exit 70: ${output.split('\n')[0] ?? ''}`);
        if (RAW_CONTROL.test(output)) failures.push(`case ${n} (${c.dir}) ${name}: raw control character in output`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
