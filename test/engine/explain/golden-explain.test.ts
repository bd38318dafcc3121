/**
 * Golden explain output: `explain -o json` and `-o text` for every flow of examples/*\/expect.yaml,
 * of the CLI fixture's expect.yaml and of test/fixtures/golden/explain/extra (CUSTOM, DENY,
 * dry-run, AUDIT, JWT, AdminNetworkPolicy Pass). Refactors of the engine must keep these bytes.
 * `UPDATE_GOLDEN=1 npx vitest run test/engine/explain/golden-explain.test.ts` rewrites them;
 * review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GOLDEN, GOLDEN_SUITES, NOW } from '../../helpers/golden-explain-suites.js';
import { loadSnapshotFrom } from '../../../src/commands/load-snapshot.js';
import { parseQuery } from '../../../src/parsers/explain-query.js';
import { explain } from '../../../src/engine/explain.js';
import { toJsonPretty } from '../../../src/report/json.js';
import { formatExplanationText } from '../../../src/report/text.js';
import { escapeControlCharacters } from '../../../src/util/terminal-text.js';

/** What `meshdbg explain SRC DST ... -o json` and `-o text` print for each query of a check file. */
async function explainAll(file: string, from: string): Promise<string> {
  const loaded = await loadSnapshotFrom([from], null);
  const items = yaml.load(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  let out = '';
  for (const item of items) {
    const answer = explain(loaded.snapshot, parseQuery(item, { now: NOW }, ['expect']));
    const result = answer.kind === 'Error' ? answer : loaded.partialView(answer);
    const text = result.kind === 'Error' ? `${result.message}\n` : formatExplanationText(result, loaded.snapshot);
    out += `### ${String(item['id'])} -o json\n${toJsonPretty(result)}\n`;
    out += `### ${String(item['id'])} -o text\n${escapeControlCharacters(text)}`;
  }
  return out;
}

describe('golden explain output', () => {
  it.each(GOLDEN_SUITES)('%s', async (name, file, from) => {
    const got = await explainAll(file, from);
    const golden = `${GOLDEN}/${name}.txt`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, got);
    expect(existsSync(golden), `${golden} missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(got).toBe(readFileSync(golden, 'utf8'));
  });
});
