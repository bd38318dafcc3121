/** `meshdbg authz-check --file`: istioctl x authz check -f's exact table (istio/istio istioctl/pkg/authz/authz_test.go). */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

const dump = 'test/fixtures/istioctl/configdump.json';

describe('meshdbg authz-check --file config_dump', () => {
  it('prints the table istioctl prints for the same dump, byte for byte (CUSTOM gives the _anonymous_match_nothing_ row)', () => {
    const r = runCli(['authz-check', '--file', dump]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(`${ROOT}test/fixtures/istioctl/authz-check-expected.txt`, 'utf8'));
  });
  it('-o json gives the rows', () => {
    const r = runCli(['authz-check', '-f', dump, '-o', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({
      rows: [
        { action: 'ALLOW', policy: '_anonymous_match_nothing_', rules: 1 },
        { action: 'ALLOW', policy: 'httpbin.default', rules: 1 },
        { action: 'CUSTOM', policy: 'ext-authz.default', rules: 1 },
      ],
    });
  });
  it('without --file, or with a file that is not a dump: exit 2 and a clear message', () => {
    expect(runCli(['authz-check']).code).toBe(2);
    const bad = runCli(['authz-check', '--file', 'package.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no dynamic listeners/);
  });
});
