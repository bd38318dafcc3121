/**
 * Runs the built CLI (`node dist/cli.js`) as a user would: no TTY, CI=true.
 * `ensureBuilt()` rebuilds dist/meshdbg.mjs when it is missing or older than src/, once across
 * the parallel test workers (a lock directory serializes the build).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/manifests/cli');
const BUNDLE = join(ROOT, 'dist/meshdbg.mjs');
/**
 * One build at a time per checkout: the lock is keyed by the checkout's path (checkouts build their
 * own dist/), and holds its owner's pid so that only a dead owner's lock is broken. A lock shared by
 * every checkout and broken after a fixed wait let a second build of the same dist/ start under
 * load, and that build's first step (build/bundle.mjs removes dist/chunks) broke the CLI under the
 * tests already running it.
 */
const LOCK = join(tmpdir(), `meshdbg-cli-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 16)}.lock`);
const LOCK_OWNER = join(LOCK, 'pid');

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  return !existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestIn(join(ROOT, 'src'));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether the process holding the lock is gone (a killed run); a lock whose pid is not written yet is live. */
function lockOwnerGone(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(LOCK_OWNER, 'utf8'));
  } catch {
    return false;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function ensureBuilt(): void {
  if (!isStale()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(LOCK_OWNER, String(process.pid));
      break;
    } catch {
      if (lockOwnerGone()) rmSync(LOCK, { recursive: true, force: true });
      else sleep(100);
    }
  }
  try {
    if (!isStale()) return;
    const r = spawnSync(process.execPath, ['build/bundle.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const fixture = (name: string): string => join(FIXTURES, name);

/** No Node stack trace reached the user. */
export function hasStackTrace(text: string): boolean {
  return /\n\s{4}at /.test(text);
}

/** As runCli, without blocking the event loop (for tests that serve the CLI from this process). */
export function runCliAsync(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...options.env },
      timeout: options.timeoutMs ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A kubeconfig in a fresh temp dir whose cluster is a closed local port (127.0.0.1:9): any read
 * that reaches the API server fails at once. Returns the kubeconfig path and its directory.
 */
export function unreachableKubeconfig(prefix: string): { kubeconfig: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: test',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]',
      'contexts: [{name: test, context: {cluster: c, user: u, namespace: default}}]',
      'users: [{name: u, user: {token: t}}]',
    ].join('\n'),
  );
  return { kubeconfig, dir };
}
