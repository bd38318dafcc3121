/**
 * Issue 17: "An unreadable directory or a FIFO under `--from DIR`: a clear error or a skip with a
 * warning, never exit 70 or a hang." The built CLI reads a directory holding a readable manifest
 * and one of: a subdirectory it may not read, a manifest file it may not read, a FIFO named like a
 * manifest (nothing ever writes to it: reading it would wait for ever). Root reads through any
 * permission, so as root the CLI runs as the unprivileged user nobody (65534, spawn's uid/gid),
 * otherwise as the user running the tests; either way the permission check is real.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, hasStackTrace, ROOT, type CliResult } from './cli-harness.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

beforeAll(() => ensureBuilt(), 120_000);

/** The CLI as a user the permission bits apply to (nobody when the tests run as root). */
function runUnprivileged(args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', CI: 'true', NO_COLOR: '1', HOME: tmpdir() },
    timeout: 30_000,
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A directory (open to the unprivileged user) with world.yaml in it. */
function manifestsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-from-dir-'));
  chmodSync(dir, 0o755);
  copyFileSync(fixture('world.yaml'), join(dir, 'world.yaml'));
  chmodSync(join(dir, 'world.yaml'), 0o644);
  return dir;
}

function expectNoCrash(r: CliResult): void {
  expect(r.code).not.toBeNull(); // null: killed by the timeout, i.e. a hang
  expect(r.code).not.toBe(70);
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(r.stderr).not.toMatch(/internal error/);
}

describe('--from DIR with entries meshdbg cannot read', () => {
  it('a subdirectory it may not read: a clear error naming it, exit 2', () => {
    const dir = manifestsDir();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'more.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: hidden}\n');
    chmodSync(locked, 0o000);
    const r = runUnprivileged(['lint', '--from', dir]);
    expectNoCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`meshdbg: cannot read directory ${locked}: permission denied`);
    expect(r.stderr).toContain('hint: check its permissions, or point --from at readable manifests');
  });

  it('a manifest file it may not read: a clear error naming it, exit 2', () => {
    const dir = manifestsDir();
    const secret = join(dir, 'secret.yaml');
    writeFileSync(secret, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: hidden}\n');
    chmodSync(secret, 0o000);
    const r = runUnprivileged(['lint', '--from', dir]);
    expectNoCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`meshdbg: cannot read ${secret}: permission denied$`, 'm'));
  });

  it('a FIFO named like a manifest: skipped with a warning, the rest read, no wait for a writer', () => {
    const dir = manifestsDir();
    const fifo = join(dir, 'pipe.yaml');
    expect(spawnSync('mkfifo', ['-m', '0666', fifo]).status).toBe(0);
    const lint = runUnprivileged(['lint', '--from', dir]);
    expectNoCrash(lint);
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain(
      `warning skipped-file: ${fifo}: skipped: not a regular file (a FIFO, socket or device)`,
    );
    expect(lint.stderr).toMatch(/meshdbg lint: \d+ pods/);
    // the same directory still answers a question
    const explain = runUnprivileged(['explain', 'shop/frontend', 'shop/backend', '--port', '8080', '--from', dir]);
    expectNoCrash(explain);
    expect(explain.stdout).toMatch(/ALLOWED|DENIED/);
  });
});
