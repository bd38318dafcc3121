import { describe, expect, it } from 'vitest';
import { createLogParser } from '../../src/parsers/log-parser.js';
import { seededRandom } from '../../src/util/random.js';
import type { LogEvent } from '../../src/parsers/log-event.js';
import { ofKind, parseLines } from './parse-fixture.js';
import { MAX_NESTING_DEPTH } from '../../src/util/nesting-depth.js';

/** deterministic random numbers for fuzz input */
const rng = (seed: number): (() => number) => seededRandom(seed).next;

const SEEDS = [
  '2025-07-06T19:33:00.654348Z\tdebug\tenvoy rbac a.cc:1\tenforced denied, matched policy ns[a]-policy[b]-rule[0]\tthread=1',
  '[2025-01-01T10:00:00.000Z] "GET / HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "c" "i" "h" "-" inbound|80|| - 1.1.1.1:80 2.2.2.2:1 - -',
  '{"time":"t","level":"debug","scope":"envoy rbac","msg":"enforced denied","thread":"1"}',
  "':path', '/x'",
  'Sep 5 14:34:40 h kernel: [1.0] calico-packet: IN=a OUT=b SRC=1.1.1.1 DST=2.2.2.2 PROTO=TCP SPT=1 DPT=2',
  'E0802 15:18:35 network_policy_controller.go:302] Aborting sync.',
];

function mutate(r: () => number, line: string): string {
  const chars = [...line];
  const edits = Math.floor(r() * 6);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(r() * (chars.length + 1));
    const op = r();
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, String.fromCharCode(Math.floor(r() * 0x3000)));
    else chars.splice(at, 0, '\u001b[31m', '"', '[', '{', '\t', 'thread=');
  }
  return chars.join('');
}

describe('never throws (fuzz)', () => {
  it('random bytes, mutated real lines and escape sequences: no throw, evidence has no control characters', () => {
    const r = rng(42);
    const parser = createLogParser();
    const events: LogEvent[] = [];
    for (let i = 0; i < 5000; i++) {
      const base = SEEDS[Math.floor(r() * SEEDS.length)] ?? '';
      const line =
        r() < 0.3
          ? Array.from({ length: Math.floor(r() * 200) }, () => String.fromCharCode(Math.floor(r() * 256))).join('')
          : mutate(r, base);
      events.push(...parser.push(line));
    }
    events.push(...parser.end());
    expect(events.length).toBeGreaterThan(500);
    expect(parser.issues().every((i) => i.code !== 'internal-error')).toBe(true);
    for (const e of events)
      for (const line of e.evidence) expect(line).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
  });
});

describe('caps', () => {
  it('truncates a 1 MB line to maxLineBytes and reports it with its line number', () => {
    const parser = createLogParser({ maxLineBytes: 1000 });
    const huge = `2025-07-06T19:33:00.654348Z\tdebug\tenvoy rbac a.cc:1\tenforced denied, matched policy ${'x'.repeat(1024 * 1024)}\tthread=1`;
    const events = [...parser.push('unrelated', 1), ...parser.push(huge, 2), ...parser.end()];
    expect(parser.issues()[0]).toMatchObject({ lineNo: 2, code: 'line-too-long' });
    const [d] = ofKind(events, 'RbacDecision');
    expect(d?.policyId?.length).toBeLessThan(1000);
    expect(d?.evidence.join('').length).toBeLessThanOrEqual(1000);
  });

  it('default cap is 64 KiB', () => {
    const { issues } = parseLines(['x'.repeat(64 * 1024 + 1)]);
    expect(issues[0]?.code).toBe('line-too-long');
    expect(parseLines(['x'.repeat(64 * 1024)]).issues).toEqual([]);
  });

  it('caps lines per event and reports the overflow once', () => {
    const head =
      "2021-04-23T20:59:11.838468Z debug envoy rbac checking request: sourceIP: 10.0.0.1:1, localAddress: 10.0.0.2:80, ssl: none, headers: ':path', '/a'";
    const cont = Array.from({ length: 500 }, (_, i) => `'x-h${i}', 'v'`);
    const { events, issues } = parseLines(
      [head, ...cont, '2021-04-23T20:59:11.838529Z debug envoy rbac enforced denied, matched policy none'],
      { maxLinesPerEvent: 10 },
    );
    const [d] = ofKind(events, 'RbacDecision');
    expect(Object.keys(d?.request?.headers ?? {})).toHaveLength(10);
    expect(issues.filter((i) => i.code === 'event-too-long')).toEqual([expect.objectContaining({ lineNo: 11 })]);
  });

  it('caps pending joins: the oldest request is dropped and reported', () => {
    const parser = createLogParser({ maxPendingJoins: 4 });
    const T = '2025-01-01T00:00:00.000000Z\tdebug\tenvoy rbac r.cc:1\t';
    for (let t = 0; t < 10; t++)
      parser.push(
        `${T}checking connection: sourceIP: 10.0.0.${t}:1, localAddress: 10.0.1.1:80, ssl: none, dynamicMetadata: \tthread=${t}`,
      );
    expect(parser.stats().pendingJoins).toBe(4);
    expect(parser.issues().filter((i) => i.code === 'pending-joins-overflow')).toHaveLength(6);
    const late = parser.push(`${T}enforced denied, matched policy none\tthread=9`);
    const early = parser.push(`${T}enforced denied, matched policy none\tthread=0`);
    expect(ofKind(late, 'RbacDecision')[0]?.request?.sourceAddress).toBe('10.0.0.9:1');
    expect(ofKind(early, 'RbacDecision')[0]?.request).toBeNull();
  });

  it('keeps at most maxIssues issues and counts the rest', () => {
    const parser = createLogParser({ maxIssues: 3 });
    for (let i = 0; i < 10; i++) parser.push('{not json');
    expect(parser.issues()).toHaveLength(3);
    expect(parser.stats().droppedIssues).toBe(7);
  });

  it('counts lines of no known format instead of reporting each', () => {
    const parser = createLogParser();
    parser.push('hello from the app');
    parser.push('GET / 200');
    expect(parser.stats()).toMatchObject({ lines: 2, unrecognized: 2, events: 0 });
    expect(parser.issues()).toEqual([]);
  });

  it('an old-era event without a thread suffix is emitted at the next head or at end()', () => {
    const parser = createLogParser();
    expect(parser.push('2021-04-23T20:43:18.552910Z debug envoy rbac enforced denied, matched policy none')).toEqual(
      [],
    );
    expect(ofKind(parser.end(), 'RbacDecision')).toHaveLength(1);
  });
});

describe('pathological input stays linear (no regex backtracking)', () => {
  it('a 60 KB run of eyJ is not a JWT and is kept; real JWTs around it are redacted', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig';
    const header = `'x-data', '${'eyJ'.repeat(20000)} ${jwt}'`;
    const { events } = parseLines([
      "2021-04-23T20:59:11.838468Z debug envoy rbac checking request: sourceIP: 10.0.0.1:1, localAddress: 10.0.0.2:80, ssl: none, headers: ':path', '/a'",
      header,
      '2021-04-23T20:59:11.838529Z debug envoy rbac enforced denied, matched policy none',
    ]);
    const value = ofKind(events, 'RbacDecision')[0]?.request?.headers['x-data'] ?? '';
    expect(value.endsWith(' <redacted-jwt>')).toBe(true);
    expect(value.length).toBe(60000 + ' <redacted-jwt>'.length);
  });

  it('an absurdly long policy id is kept as printed but not parsed into a rule', () => {
    const id = `ns[${']-policy['.repeat(7000)}x]-rule[0]`;
    const { events } = parseLines([
      `2025-01-01T00:00:00.000000Z\tdebug\tenvoy rbac r.cc:1\tenforced denied, matched policy ${id}\tthread=1`,
    ]);
    expect(ofKind(events, 'RbacDecision')[0]).toMatchObject({ policyId: id, ruleRef: null });
  });
});

describe('parseLogLines', () => {
  it('parses a finished sequence with one origin and flushes the last event', async () => {
    const { parseLogLines } = await import('../../src/parsers/log-parser.js');
    const origin = { namespace: 'b', pod: 'server-1', container: 'istio-proxy', label: null };
    const { events, issues, stats } = parseLogLines(
      ['2021-04-23T20:43:18.552910Z debug envoy rbac enforced denied, matched policy none'],
      undefined,
      origin,
    );
    expect(issues).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ kind: 'RbacDecision', lineNo: 1, origin })]);
    expect(stats).toMatchObject({ lines: 1, events: 1 });
  });
});

describe('JSON lines nested past MAX_NESTING_DEPTH', () => {
  /** `{"msg":[[...]]}`: its object and `brackets` arrays (the shape explain-batch-deep-line.test.ts measures) */
  const line = (brackets: number): string => `{"msg":${'['.repeat(brackets)}${']'.repeat(brackets)}}`;

  it('the shortest line one level too deep is skipped as malformed-json naming the limit; one level less is parsed', () => {
    const parser = createLogParser();
    parser.push(line(MAX_NESTING_DEPTH - 1), 1);
    parser.push(line(MAX_NESTING_DEPTH - 2), 2);
    parser.end();
    expect(parser.issues().map((i) => [i.lineNo, i.code, i.message])).toEqual([
      [1, 'malformed-json', `line 1 nests deeper than ${MAX_NESTING_DEPTH} levels; skipped`],
    ]);
  });
});
