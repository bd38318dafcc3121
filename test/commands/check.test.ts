import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, fixture, hasStackTrace, runCli } from './cli-harness.js';

const WORLD = fixture('world.yaml');

beforeAll(() => {
  ensureBuilt();
}, 120_000);

describe('check', () => {
  it('exits 0 when every expectation (verdict, layer, policy, rule, status) holds', () => {
    const r = runCli(['check', fixture('expect.yaml'), '--from', WORLD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS .*frontend-reaches-backend/);
    expect(r.stdout).toMatch(/PASS .*debug-is-blocked/);
  });

  it('exits 1 when any expectation fails, and says what was expected and what came', () => {
    const r = runCli(['check', fixture('expect-failing.yaml'), '--from', WORLD]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL .*wrongly-expected-allowed: verdict denied, expected allowed/);
    expect(r.stdout).toMatch(/PASS .*right/);
  });

  it("without --from, checks against the manifests in the file's own directory", () => {
    expect(runCli(['check', fixture('../cli-tree/expect.yaml')]).code).toBe(0);
  });

  it('runs several files and fails if one fails', () => {
    expect(runCli(['check', fixture('expect.yaml'), fixture('expect-failing.yaml'), '--from', WORLD]).code).toBe(1);
  });

  it('exits 2 naming unknown keys in expect and in the query (a typo never passes silently)', () => {
    const r = runCli(['check', fixture('expect-typos.yaml'), '--from', WORLD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/typo-in-expect: unknown keys "layr", "polcy" in expect/);
    expect(r.stderr).toMatch(/typo-in-query: unknown key "protocl"/);
  });

  it('exits 2 for an unreadable expectations file, one line, no stack trace', () => {
    const r = runCli(['check', fixture('nope.yaml'), '--from', WORLD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 2 when the manifests are invalid', () => {
    expect(runCli(['check', fixture('expect.yaml'), '--from', fixture('invalid.yaml')]).code).toBe(2);
  });
});

describe('check --junit', () => {
  const junit = (file: string): { code: number | null; xml: string } => {
    const out = join(mkdtempSync(join(tmpdir(), 'meshdbg-junit-')), 'report.xml');
    const r = runCli(['check', fixture(file), '--from', WORLD, '--junit', out]);
    return { code: r.code, xml: readFileSync(out, 'utf8') };
  };

  it('writes JUnit XML with one testcase per expectation and the failure message', () => {
    const { code, xml } = junit('expect-failing.yaml');
    expect(code).toBe(1);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toMatch(/<testsuites [^>]*tests="2" failures="1"/);
    expect(xml).toMatch(
      /<testcase [^>]*name="wrongly-expected-allowed"><failure message="verdict denied, expected allowed[^"]*"\/><\/testcase>/,
    );
    expect(xml).toMatch(/<testcase [^>]*name="right"\/>/);
  });

  it('an all-passing run has failures="0"', () => {
    const { code, xml } = junit('expect.yaml');
    expect(code).toBe(0);
    expect(xml).toMatch(/<testsuites [^>]*tests="2" failures="0"/);
  });

  it('refuses a check file with no checks (an empty list): a CI gate would pass with nothing checked', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-check-empty-')), 'expect.yaml');
    writeFileSync(file, '[]\n');
    const r = runCli(['check', file, '--from', WORLD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: has no checks (an empty list)`);
    expect(r.stdout).not.toContain('passed');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
