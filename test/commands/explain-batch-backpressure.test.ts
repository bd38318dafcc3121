/**
 * Issue 17: `explain --batch` respects the reader's pace. Each answer waits for the writer, and
 * the stdout writer waits for 'drain' (https://nodejs.org/api/stream.html#event-drain), so a slow
 * reader bounds what this process buffers instead of the output piling up in memory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/commands/explain.js';
import { loadSnapshotFrom } from '../../src/commands/load-snapshot.js';
import { drainingWriter } from '../../src/commands/stdout-writer.js';

const HIGH_WATER_MARK = 4096;

/** A stream whose reader takes 1 ms per chunk, recording the most it ever held unread. */
function slowReader(): { stream: Writable; maxBuffered: () => number; text: () => string } {
  let max = 0;
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: HIGH_WATER_MARK,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      chunks.push(chunk);
      setTimeout(done, 1);
    },
  });
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string) => {
    const ok = write(chunk);
    max = Math.max(max, stream.writableLength);
    return ok;
  }) as typeof stream.write;
  return { stream, maxBuffered: () => max, text: () => chunks.join('') };
}

describe('explain --batch to a slow reader', () => {
  it('never holds more than the stream high-water mark plus one answer, and answers every line in order', async () => {
    const { snapshot } = await loadSnapshotFrom(['examples/poc-mesh'], null);
    const queries: string[] = [];
    for (let i = 0; i < 200; i++)
      queries.push(
        i % 10 === 9 ? '' : JSON.stringify({ id: i, src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80 }),
      );
    const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-slow-')), 'q.jsonl');
    writeFileSync(file, `${queries.join('\n')}\n`);
    const reader = slowReader();
    const code = await runBatch(file, snapshot, { now: '2026-01-01T00:00:00Z' }, drainingWriter(reader.stream));
    await new Promise<void>((resolve) => reader.stream.end(resolve));
    const lines = reader.text().trimEnd().split('\n');
    expect(code).toBe(0);
    expect(lines).toHaveLength(200);
    lines.forEach((line, i) => {
      const answer = JSON.parse(line) as { kind: string; id: unknown; code?: string };
      expect(answer.kind === 'Error' ? [answer.code, answer.id] : [answer.kind, answer.id]).toEqual(
        i % 10 === 9 ? ['empty-line', null] : ['Explanation', i],
      );
    });
    const longest = Math.max(...lines.map((l) => l.length + 1));
    expect(reader.maxBuffered()).toBeLessThanOrEqual(HIGH_WATER_MARK + longest);
  });
});
