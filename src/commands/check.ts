/**
 * `meshdbg check FILE... [--from PATH] [--junit FILE]`: run expectations (a YAML list of batch
 * queries with `expect: {verdict, layer?, enforcer?, policy?, rule?, status?}`). Without --from, each file
 * is checked against the manifests in its own directory. Exit 0 all pass, 1 any failure, 2 unreadable.
 */
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { explain } from '../engine/index.js';
import type { Explanation } from '../engine/index.js';
import { inputError } from '../util/errors.js';
import { escapeControlCharacters, outputLine } from '../util/terminal-text.js';
import { assertLoadable, loadSnapshotFrom, type LoadedSnapshot } from './load-snapshot.js';
import { nowFromFlag, oneNamespace, parseCommandLine } from './options.js';
import { QueryError, isRecord, parseQuery } from '../parsers/explain-query.js';
import { parseExpectation, type Expectation } from '../parsers/check-expectation.js';
import { junitXml, type CaseResult } from './junit.js';
import { readExpectationEntries } from '../sources/expectations-file.js';

function compare(e: Explanation, want: Expectation): string[] {
  const problems: string[] = [];
  if (e.verdict !== want.verdict) problems.push(`verdict ${e.verdict}, expected ${want.verdict}`);
  const by = e.decidedBy;
  if (want.layer !== undefined && by?.layer !== want.layer)
    problems.push(`decided by ${by?.layer ?? 'no layer'}, expected ${want.layer}`);
  if (want.enforcer !== undefined && by?.enforcer !== want.enforcer)
    problems.push(`enforced by ${by?.enforcer ?? 'no enforcer'}, expected ${want.enforcer}`);
  if (want.policy !== undefined) {
    const got = by?.policy ? `${by.policy.namespace ? `${by.policy.namespace}/` : ''}${by.policy.name}` : 'no policy';
    if (got !== want.policy) problems.push(`policy ${got}, expected ${want.policy}`);
  }
  if (want.rule !== undefined && (by?.policy?.rule ?? null) !== want.rule)
    problems.push(`rule ${String(by?.policy?.rule ?? null)}, expected ${String(want.rule)}`);
  if (want.status !== undefined && String(e.expectedResponse.status) !== String(want.status))
    problems.push(`client sees ${String(e.expectedResponse.status)}, expected ${String(want.status)}`);
  return problems;
}

function describe(e: Explanation): string {
  const by = e.decidedBy;
  const rule = by?.policy ? ` ${by.policy.ruleRef}` : '';
  const enforcer = by?.enforcer ? ` (${by.enforcer})` : '';
  return `${e.verdict}${by ? ` at ${by.layer}${enforcer}${rule}` : ''} (client sees ${String(e.expectedResponse.status)})`;
}

type SnapshotLoader = (paths: readonly string[]) => Promise<LoadedSnapshot>;

/** Loads each set of manifests once, however many check files share it. */
function memoizedLoader(namespace: string | null): SnapshotLoader {
  const cache = new Map<string, Promise<LoadedSnapshot>>();
  return (paths) => {
    const key = JSON.stringify(paths);
    let loaded = cache.get(key);
    if (!loaded) {
      loaded = loadSnapshotFrom(paths, namespace);
      cache.set(key, loaded);
    }
    return loaded;
  };
}

async function checkFile(
  file: string,
  from: readonly string[],
  load: SnapshotLoader,
  now: string,
  results: CaseResult[],
  invalid: string[],
): Promise<void> {
  const { items, lines } = await readExpectationEntries(file);
  const loaded = await load(from.length ? from : [dirname(file)]);
  assertLoadable(loaded.findings);
  items.forEach((item, i) => {
    const id = isRecord(item) ? item['id'] : undefined;
    const name = id !== undefined ? String(id) : `#${i + 1}`;
    let failure: string | null = null;
    let detail = '';
    try {
      const expect = parseExpectation(item);
      const answer = explain(loaded.snapshot, parseQuery(item, { now }, ['expect']));
      // a partial snapshot's gaps make the answers they could change conditional, as explain does
      const result = answer.kind === 'Error' ? answer : loaded.partialView(answer);
      if (result.kind === 'Error') failure = `error: ${result.message}`;
      else {
        const problems = compare(result, expect);
        detail = describe(result);
        if (problems.length) failure = `${problems.join('; ')} — got ${detail}`;
      }
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      // a malformed entry is an unreadable check file (exit 2), not a failed expectation
      const line = lines[i];
      invalid.push(`${file}${line === undefined ? '' : `:${line}`} ${name}: ${err.message}`);
      results.push({ suite: file, name, failure: `invalid entry: ${err.message}` });
      return;
    }
    results.push({ suite: file, name, failure });
    process.stdout.write(outputLine(failure ? `FAIL ${file} ${name}: ${failure}` : `PASS ${file} ${name}: ${detail}`));
  });
}

export async function runCheck(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv);
  if (positionals.length === 0)
    throw inputError('bad-flag', 'check needs at least one FILE', 'meshdbg check examples/poc-mesh/expect.yaml');
  const results: CaseResult[] = [];
  const invalid: string[] = [];
  const now = nowFromFlag(v);
  const load = memoizedLoader(oneNamespace(v));
  for (const file of positionals) await checkFile(file, v.from ?? [], load, now, results, invalid);
  const failed = results.filter((r) => r.failure !== null).length;
  process.stdout.write(`check: ${results.length - failed} passed, ${failed} failed\n`);
  if (v.junit) await writeFile(v.junit, junitXml(results));
  for (const line of invalid) process.stderr.write(escapeControlCharacters(`meshdbg: invalid check entry ${line}\n`));
  if (invalid.length > 0) return 2;
  return failed > 0 ? 1 : 0;
}
