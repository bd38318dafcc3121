/**
 * Issue 17, the log-level guarantee on a terminal hangup: "a terminal hangup (SIGHUP, EIO on
 * write) restores and exits quietly". The built binary runs in a pseudo-terminal against the
 * local API server; `L` then `y` raises rbac to debug on a fake Envoy admin reached by
 * port-forward (no istioctl on PATH). Then the terminal goes away, in each of its forms:
 * - SIGHUP alone (the terminal stays): exit 129, nothing on the shell's screen;
 * - EIO alone: stdout is a second pty that hangs up (test/helpers/bare-pty.ts), so the next frame
 *   Ink draws fails with EIO while no signal arrives: exit 129, nothing on the shell's screen;
 * - both, as when a terminal window closes: the pty of stdin, stdout and stderr hangs up and the
 *   process gets the SIGHUP its shell forwards: exit 129 (no abort in Node's exit, see
 *   src/commands/hung-up-terminal.ts).
 * A second SIGHUP while the restore runs (the shell's, after EIO ended the TUI) does not end the
 * process before the restore is done.
 * Each time the level is back to what it was (the API server saw the restore's port-forward,
 * Envoy the POST) and the journal is empty, within the wait's bound.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, screenMatching, type Terminal } from '../helpers/terminal.js';
import { openPty, spareTty, type BarePty } from '../helpers/bare-pty.js';
import { KubeApiServer } from '../helpers/kube-api-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeEnvoyAdmin } from '../sources/envoy-admin/support/fake-envoy-admin.js';
import { ensureBuilt } from '../commands/cli-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'meshdbg.mjs');
const RESTORE_FORWARD = /^UPGRADE \/api\/v1\/namespaces\/shop\/pods\/web-first\/portforward/;
/** The bound on quitting after the hangup (issue 17: quit takes under 2 s; margin for a loaded machine). */
const EXIT_BOUND_MS = 15_000;

let term: Terminal | null = null;
const ptys: BarePty[] = [];
let api: KubeApiServer;
let envoy: FakeEnvoyAdmin;

function sidecarPod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: 'web' } },
    spec: { serviceAccountName: 'web', containers: [{ name: 'web' }, { name: 'istio-proxy' }] },
    status: {
      phase: 'Running',
      podIP: '10.1.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'istio-proxy', restartCount: 0 }],
    },
  };
}

beforeAll(async () => {
  ensureBuilt();
  api = await KubeApiServer.start();
  envoy = await FakeEnvoyAdmin.start();
  api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  api.put(sidecarPod('web-first'));
  api.portForwardTargets.set('shop/web-first', envoy.port);
}, 120_000);
afterEach(() => {
  term?.close();
  term = null;
  for (const p of ptys.splice(0)) p.hangUp();
  envoy.levels['rbac'] = 'warning';
  envoy.answerDelayMs = 0;
});
afterAll(async () => {
  await api.close();
  await envoy.close();
});

interface Run {
  readonly dir: string;
  readonly mark: string;
  readonly journal: string;
  /** `env ... node meshdbg.mjs`: meshdbg on the local API server, a private journal, no istioctl on PATH */
  readonly command: string;
}

function prepare(): Run {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-hangup-'));
  const noTools = join(dir, 'bin');
  mkdirSync(noTools);
  writeFileSync(join(dir, 'kubeconfig'), api.kubeconfig('shop'));
  const mark = `meshdbg-e2e-${Math.random().toString(36).slice(2)}`;
  const env = `MESHDBG_E2E_MARK=${mark} XDG_CACHE_HOME=${join(dir, 'cache')} KUBECONFIG=${join(dir, 'kubeconfig')} PATH=${noTools}`;
  const command = `env ${env} ${process.execPath} ${BIN}`;
  return { dir, mark, journal: join(dir, 'cache', 'meshdbg', 'log-levels'), command };
}

function journalEntries(run: Run): string[] {
  return existsSync(run.journal) ? readdirSync(run.journal).filter((f) => f.endsWith('.json')) : [];
}

/** `L`, `y` on the selected pod; waits until Envoy and the journal say the level is raised. */
/**
 * Whether meshdbg's stdin (a terminal) is out of canonical mode: Ink sets raw mode after its
 * first frame, and a key typed before that is echoed by the terminal onto the shell's screen.
 */
function inputIsRaw(mark: string): boolean {
  const tty = readlinkSync(`/proc/${pidWithMark(mark)}/fd/0`);
  return / -icanon/.test(execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' }));
}

async function raise(run: Run, type: (keys: string) => void, tuiText: () => string): Promise<number> {
  await waitFor(() => expect(tuiText()).toMatch(/shop\s+web-first/), 30_000, 50);
  await waitFor(() => expect(inputIsRaw(run.mark)).toBe(true), 10_000, 50);
  type('L');
  await waitFor(() => expect(tuiText()).toMatch(/Raise rbac to debug on 1 pods/), 10_000, 50);
  type('y');
  await waitFor(() => expect(tuiText()).toMatch(/raised rbac on 1 pods/), 10_000, 50);
  expect(envoy.levels['rbac']).toBe('debug');
  expect(journalEntries(run)).toHaveLength(1);
  return api.requests.length;
}

/** The pid of the meshdbg process started with MESHDBG_E2E_MARK=mark (found through /proc). */
function pidWithMark(mark: string): number {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (env.includes(`MESHDBG_E2E_MARK=${mark}`) && cmd.includes('meshdbg.mjs')) return Number(entry);
    } catch {
      // a process that ended meanwhile, or one we may not read
    }
  }
  throw new Error(`no process with MESHDBG_E2E_MARK=${mark}`);
}

/**
 * meshdbg in a pty of its own under a shell that ignores the hangup so it can record the exit
 * code in `code` (Node resets ignored signals); rbac raised to debug.
 */
async function raiseInClosingTerminal(): Promise<{ run: Run; pty: BarePty; code: string; before: number }> {
  const run = prepare();
  const code = join(run.dir, 'exit-code');
  const pty = openPty(`sh -c 'trap "" HUP; ${run.command}; echo $? > ${code}'`);
  ptys.push(pty);
  const before = await raise(
    run,
    (k) => pty.write(k),
    () => pty.text(),
  );
  return { run, pty, code, before };
}

/** The level is back through the API server and the journal is empty. */
function expectRestored(run: Run, requestsBefore: number): void {
  expect(envoy.levels['rbac']).toBe('warning');
  expect(envoy.requests).toContain('POST /logging?rbac=warning');
  expect(api.requests.slice(requestsBefore).some((r) => RESTORE_FORWARD.test(r))).toBe(true);
  expect(journalEntries(run)).toEqual([]);
}

/** Exit 129 on the shell's screen, and nothing before it (no stack trace, no error line). */
async function expectQuietExit(t: Terminal): Promise<void> {
  const screen = await screenMatching(t, /EXIT_CODE=\d+/, EXIT_BOUND_MS);
  expect(screen).toMatch(/EXIT_CODE=129/);
  expect(screen.slice(0, screen.indexOf('EXIT_CODE=')).trim()).toBe('');
}

describe('a terminal hangup with a raised log level', () => {
  it('SIGHUP alone restores the level and exits 129 quietly', async () => {
    const run = prepare();
    const t = openTerminal(run.command, ROOT, 160, 40);
    term = t;
    const before = await raise(
      run,
      (k) => t.text(k),
      () => t.screen(),
    );
    process.kill(pidWithMark(run.mark), 'SIGHUP');
    await expectQuietExit(t);
    expectRestored(run, before);
  }, 90_000);

  it('EIO alone on stdout (no signal) restores the level and exits 129 quietly', async () => {
    const run = prepare();
    const out = await spareTty();
    ptys.push(out);
    const t = openTerminal(`${run.command} > ${out.path}`, ROOT, 160, 40);
    term = t;
    const before = await raise(
      run,
      (k) => t.text(k),
      () => out.text(),
    );
    out.hangUp();
    // a change on the cluster makes Ink draw a frame: its write to the hung-up terminal fails with EIO
    api.put(sidecarPod('web-second'));
    try {
      await expectQuietExit(t);
      expectRestored(run, before);
    } finally {
      api.remove(sidecarPod('web-second'));
    }
  }, 90_000);

  it('a closed terminal (EIO on every write, SIGHUP forwarded by the shell) restores the level and exits 129', async () => {
    const { run, pty, code, before } = await raiseInClosingTerminal();
    const pid = pidWithMark(run.mark);
    pty.hangUp();
    process.kill(pid, 'SIGHUP');
    const exit = await waitFor(() => readFileSync(code, 'utf8').trim(), EXIT_BOUND_MS, 50);
    expect(exit).toBe('129');
    expectRestored(run, before);
  }, 90_000);

  // the CI failure this pins: EIO ended the TUI, its signal handlers were gone, and the shell's
  // SIGHUP then ended the process by default during the restore (exit 129, level left at debug)
  it('a second SIGHUP while the restore runs does not cut the restore short', async () => {
    const { run, pty, code, before } = await raiseInClosingTerminal();
    const pid = pidWithMark(run.mark);
    envoy.answerDelayMs = 1500;
    const envoyBefore = envoy.requests.length;
    pty.hangUp();
    process.kill(pid, 'SIGHUP');
    // Envoy has this run's restore POST and answers it late: the restore is in flight
    await waitFor(
      () => expect(envoy.requests.slice(envoyBefore)).toContain('POST /logging?rbac=warning'),
      EXIT_BOUND_MS,
      20,
    );
    process.kill(pid, 'SIGHUP');
    const exit = await waitFor(() => readFileSync(code, 'utf8').trim(), EXIT_BOUND_MS, 50);
    expect(exit).toBe('129');
    expectRestored(run, before);
  }, 90_000);
});
