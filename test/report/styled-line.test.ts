/** The styled line model: the CLI text is the lines' text; roles say what each line is. */
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../../src/engine/explain.js';
import type { Explanation } from '../../src/engine/explanation.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { fixYaml, missSummary } from '../../src/report/explanation-parts.js';
import { plainText, styledBlock } from '../../src/report/styled-line.js';
import { explanationLines, formatExplanationText } from '../../src/report/text.js';
import { exampleSnapshot } from '../ui/fixtures/snapshots.js';

let snapshot: Snapshot;
let denied: Explanation;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
  const result = explain(snapshot, {
    id: null,
    src: 'poc-mesh/frontend',
    dst: 'poc-mesh/backend',
    port: 80,
    protocol: null,
    http: { method: 'POST', path: '/api/orders', host: null, headers: {} },
    mtls: null,
    jwt: null,
    extAuthz: null,
    now: '2026-11-22T12:00:00Z',
    resolve: {},
    namespace: null,
    cni: null,
  });
  if (result.kind === 'Error') throw new Error(result.message);
  denied = result;
});

describe('styled lines', () => {
  it('the CLI text of an explanation is exactly the text of its styled lines', () => {
    const lines = explanationLines(denied, snapshot);
    expect(plainText(lines)).toBe(formatExplanationText(denied, snapshot));
  });

  it('gives the verdict line the verdict role and headings the heading role', () => {
    const lines = explanationLines(denied, snapshot);
    expect(denied.verdict).toBe('denied');
    expect(lines[0]).toMatchObject({ role: 'error' });
    expect(lines[0]?.text).toMatch(/^DENIED {2}/);
    const nearest = lines.find((l) => l.text === 'nearest miss:');
    expect(nearest?.role).toBe('heading');
  });

  it('one nearest-miss summary names the policy rule and the failed clause', () => {
    const miss = denied.nearestMiss[0];
    if (miss === undefined) throw new Error('expected a nearest miss');
    expect(missSummary(miss)).toMatch(/^AuthorizationPolicy poc-mesh\/\S+ rule \d+: \S+ wants .+, got .+$/);
  });

  it('a block keeps its lines and prefixes each', () => {
    expect(styledBlock('a: 1\nb: 2\n', '  | ', 'dim')).toEqual([
      { text: '  | a: 1', role: 'dim' },
      { text: '  | b: 2', role: 'dim' },
    ]);
  });

  it('fixYaml joins several fixes as one multi-document stream', () => {
    const fix = { action: 'add', target: { kind: 'K', namespace: 'n', name: 'x' }, why: 'w', yaml: 'a: 1\n' };
    expect(fixYaml([fix, { ...fix, yaml: 'b: 2\n' }] as unknown as Explanation['fix'])).toBe('a: 1\n---\nb: 2\n');
    expect(fixYaml([])).toBe('');
  });
});
