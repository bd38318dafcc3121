/**
 * docs/explain-json.md is the user's reference for `explain -o json`. Every field an answer carries,
 * and every enumerated value it takes, must be on that page: the answers are the `-o json` parts of
 * the explain goldens (test/fixtures/golden/explain), which cover every example, the CLI fixture
 * world and the extra cases. A field added to the Explanation without a line in the doc fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN } from '../helpers/golden-explain-suites.js';

const DOC = readFileSync('docs/explain-json.md', 'utf8');
/** Everything the page writes in backticks, whole and split at spaces and commas (`{kind, namespace}` lists). */
const documented = new Set(
  [...DOC.matchAll(/`([^`]+)`/g)]
    .flatMap((m) => [m[1] as string, ...(m[1] as string).split(/[\s,{}[\]?:]+/)])
    .filter(Boolean),
);

/** Objects whose keys are data (header names, claims), not fields. */
const DATA_KEYS = new Set(['headers', 'claims']);

function goldenAnswers(): unknown[] {
  return readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.txt'))
    .flatMap((f) => {
      const parts = readFileSync(`${GOLDEN}/${f}`, 'utf8').split(/^### .* -o (json|text)\n/m);
      const out: unknown[] = [];
      for (let i = 1; i < parts.length; i += 2) if (parts[i] === 'json') out.push(JSON.parse(parts[i + 1] as string));
      return out;
    });
}

/** Every key path (`steps[].policies[].ruleRef`) and its leaf values. */
function keyPaths(value: unknown, path: string, into: Map<string, Set<unknown>>): void {
  if (Array.isArray(value)) {
    for (const v of value) keyPaths(v, `${path}[]`, into);
    return;
  }
  if (value === null || typeof value !== 'object') {
    const seen = into.get(path) ?? new Set();
    into.set(path, seen.add(value));
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const child = path === '' ? key : `${path}.${key}`;
    if (!into.has(child)) into.set(child, new Set());
    if (!DATA_KEYS.has(key)) keyPaths(v, child, into);
  }
}

const answers = goldenAnswers();
const paths = new Map<string, Set<unknown>>();
for (const a of answers) keyPaths(a, '', paths);
const lastKey = (path: string): string => path.split('.').at(-1)?.replace(/\[\]$/, '') ?? path;
/** Values that are vocabulary (enumerations), not data. */
const ENUMERATED = [
  'verdict',
  'steps[].layer',
  'steps[].verdict',
  'steps[].tier',
  'steps[].enforcer',
  'steps[].hop',
  'steps[].serverMode',
  'steps[].policies[].effect',
  'decidedBy.layer',
  'decidedBy.enforcer',
  'conditions[].code',
  'assumptions[].code',
  'request.protocol',
  'request.clientTls',
  'source.resolvedFrom',
  'destination.resolvedFrom',
  'findings[].severity',
  'fix[].action',
];

describe('docs/explain-json.md lists what explain -o json prints', () => {
  it('reads enough answers to mean something', () => {
    expect(answers.length).toBeGreaterThan(40);
    expect(paths.size).toBeGreaterThan(100);
  });

  it('names every field an answer carries', () => {
    const missing = [...paths.keys()].filter((p) => !documented.has(lastKey(p)));
    expect(missing).toEqual([]);
  });

  it('names every value of the enumerated fields', () => {
    const missing = ENUMERATED.flatMap((p) =>
      [...(paths.get(p) ?? [])].filter((v) => v !== null && !documented.has(String(v))).map((v) => `${p}=${String(v)}`),
    );
    expect(missing).toEqual([]);
  });

  it('names every non-numeric response status', () => {
    const statuses = [...(paths.get('expectedResponse.status') ?? [])].filter((s) => typeof s === 'string');
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => !documented.has(s as string))).toEqual([]);
  });
});
