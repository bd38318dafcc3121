/**
 * Batch values JSON.parse reads as something other than what was written. An `id` of 1e400 is
 * Infinity and came back as `"id": null`; an integer id past 2^53 came back with other digits
 * (123456789012345678901234567890 as 1.2345678901234568e+29): answers no longer matched their
 * questions. Such ids are now a bad-query line. A header named `__proto__` (a valid HTTP token)
 * was assigned into a plain object, which sets no property, so a DENY rule on
 * `request.headers[__proto__]` did not match and the flow was "allowed"; it is kept now.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExplain } from '../../src/commands/explain.js';
import { runInProcess } from '../helpers/run-in-process.js';

const ASK = '"src": "poc-mesh/frontend", "dst": "poc-mesh/backend", "port": 80';

async function batch(lines: readonly string[]): Promise<{ code: number; answers: Record<string, unknown>[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-batch-raw-')), 'q.jsonl');
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  const r = await runInProcess(() => runExplain(['--batch', file, '--from', 'examples/poc-mesh']));
  const answers = r.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.code, answers };
}

describe('explain --batch: ids that cannot be echoed as written', () => {
  it.each([
    ['1e400 (Infinity)', '1e400', 'finite'],
    ['-1e400', '-1e400', 'finite'],
    ['an integer past 2^53', '123456789012345678901234567890', 'quote it'],
  ])('%s: a bad-query Error line; the next line is answered', async (_, id, words) => {
    const { code, answers } = await batch([`{"id": ${id}, ${ASK}}`, `{"id": "next", ${ASK}}`]);
    expect(code).toBe(2);
    expect(answers[0]).toMatchObject({ kind: 'Error', code: 'bad-query' });
    expect(String(answers[0]?.['message'])).toContain(words);
    expect(answers[1]).toMatchObject({ kind: 'Explanation', id: 'next' });
  });

  it('ids that round-trip still do: 7, -3, 1.5, 2^53 - 1, strings', async () => {
    const ids = ['7', '-3', '1.5', '9007199254740991', '"q-1"'];
    const { code, answers } = await batch(ids.map((id) => `{"id": ${id}, ${ASK}}`));
    expect(code).toBe(0);
    expect(answers.map((a) => a['id'])).toEqual([7, -3, 1.5, 9007199254740991, 'q-1']);
  });
});

describe('explain --batch: a header named __proto__', () => {
  it('is kept in the request, and a DENY rule on it matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-batch-proto-'));
    writeFileSync(
      join(dir, 'deny.yaml'),
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny-proto, namespace: poc-mesh}\nspec:\n  action: DENY\n  rules:\n  - when:\n    - key: request.headers[__proto__]\n      values: ["*"]\n',
    );
    const http = '"http": {"method": "GET", "path": "/api/orders", "headers": {"__proto__": "x"}}';
    const withExample = await runInProcess(() => {
      const file = join(dir, 'q.jsonl');
      writeFileSync(file, `{"id": 1, ${ASK}, ${http}}\n`);
      return runExplain(['--batch', file, '--from', 'examples/poc-mesh', '--from', join(dir, 'deny.yaml')]);
    });
    const answer = JSON.parse(withExample.output.split('\n').find((l) => l.startsWith('{')) ?? '{}') as {
      verdict: string;
      request: { http: { headers: Record<string, string> } };
      decidedBy: { policy: { name: string } };
    };
    expect(Object.entries(answer.request.http.headers)).toEqual([['__proto__', 'x']]);
    expect(answer.verdict).toBe('denied');
    expect(answer.decidedBy.policy.name).toBe('deny-proto');
  });
});
