/**
 * explain --batch scans a line for excessive nesting only when it has at least MAX_NESTING_DEPTH
 * characters: the shortest line nesting one level too deep is still refused with the nesting
 * message, and a line one level shallower reaches the query parser.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/commands/explain.js';
import { snapshotFromObjects } from '../../src/commands/load-snapshot.js';
import { MAX_NESTING_DEPTH } from '../../src/util/nesting-depth.js';

/** `{"dst":[[...]]}`: its block level, the object and `brackets` arrays. */
const line = (brackets: number): string => `{"dst":${'['.repeat(brackets)}${']'.repeat(brackets)}}`;

async function answer(text: string): Promise<{ code: string; message: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-deep-')), 'q.jsonl');
  writeFileSync(file, `${text}\n`);
  const out: string[] = [];
  const stderr = process.stderr.write;
  process.stderr.write = () => true;
  try {
    await runBatch(file, snapshotFromObjects([], null, 'deep'), {}, (l) => void out.push(l));
  } finally {
    process.stderr.write = stderr;
  }
  return JSON.parse(out[0] as string) as { code: string; message: string };
}

describe('explain --batch nesting check', () => {
  it('refuses the shortest line one level too deep', async () => {
    const r = await answer(line(MAX_NESTING_DEPTH - 1));
    expect(r.code).toBe('bad-query');
    expect(r.message).toContain(`nesting deeper than ${MAX_NESTING_DEPTH} levels (line 1,`);
  });
  it('passes a line at the limit to the query parser', async () => {
    const r = await answer(line(MAX_NESTING_DEPTH - 2));
    expect(r.message).not.toContain('nesting deeper');
  });
});
