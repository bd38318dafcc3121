import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, hasStackTrace, ROOT } from './cli-harness.js';

beforeAll(() => ensureBuilt());

describe('--from - with bytes that are not UTF-8 (go-yaml: "invalid leading UTF-8 octet")', () => {
  it('is refused with <stdin>, line and column and the fix, exit 2', () => {
    const yaml = Buffer.concat([
      Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a'),
      Buffer.from([0xe9]),
      Buffer.from('b\n'),
    ]);
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'lint', '--from', '-'], {
      input: yaml,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('<stdin>:4:10: not UTF-8');
    expect(r.stderr).toContain('save the file as UTF-8');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
