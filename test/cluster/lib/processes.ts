/** Detached server processes with pid files, so `cluster:up` can exit and `cluster:down` stop them. */
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function startDetached(bin: string, args: readonly string[], logFile: string, pidFile: string): number {
  const out = openSync(logFile, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${bin}`);
  writeFileSync(pidFile, String(child.pid));
  return child.pid;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; only the process whose id the pid file holds. */
export async function stopByPidFile(pidFile: string, graceMs = 10_000): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(pid) && Date.now() < deadline) await sleep(50);
  if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  while (isRunning(pid)) await sleep(20);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One port free on 127.0.0.1, held open until `release` (the kernel picks it). */
function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({ port, release: () => new Promise<void>((done) => srv.close(() => done())) });
    });
  });
}

/**
 * `count` distinct ports free on 127.0.0.1 now: all are held until every one is picked, so the
 * kernel cannot hand the same port out twice (etcd's client and peer ports once came out equal:
 * "bind: address already in use").
 */
export async function freePorts(count: number): Promise<number[]> {
  const held = [];
  for (let i = 0; i < count; i++) held.push(await holdPort());
  await Promise.all(held.map((h) => h.release()));
  return held.map((h) => h.port);
}

/**
 * Polls `probe` until it returns true; fails at once when process `pid` exits. The error names
 * what never became ready and shows the end of its log.
 */
export async function waitUntil(
  what: string,
  pid: number,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  logFile: string,
) {
  const deadline = Date.now() + timeoutMs;
  const tail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '');
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    if (!isRunning(pid)) throw new Error(`${what} exited while starting; last lines of ${logFile}:\n${tail()}`);
    await sleep(200);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms; last lines of ${logFile}:\n${tail()}`);
}
