/**
 * Issue 17, the log-level guarantee at start: a corrupt log-level journal found when `meshdbg`
 * starts on a cluster is a clear message naming the file and exit 3, never an internal error
 * (exit 70) followed by a hang (the live source is stopped). Driven in a real pseudo-terminal
 * (the TUI refuses to start without one) against the local API server.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, screenMatching, type Terminal } from '../helpers/terminal.js';
import { KubeApiServer } from '../helpers/kube-api-server.js';
import { ensureBuilt } from '../commands/cli-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'meshdbg.mjs');

let term: Terminal | null = null;
let api: KubeApiServer;
beforeAll(async () => {
  ensureBuilt();
  api = await KubeApiServer.start();
  api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
}, 120_000);
afterAll(async () => {
  term?.close();
  await api.close();
});

describe('a corrupt log-level journal at start', () => {
  it('exits 3 naming the journal file, without a hang or an internal error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-journal-'));
    const journal = join(dir, 'cache', 'meshdbg', 'log-levels');
    mkdirSync(journal, { recursive: true });
    writeFileSync(join(journal, 'shop.web.json'), '{"version": 2, "pod": "web", "trunc');
    writeFileSync(join(dir, 'kubeconfig'), api.kubeconfig('shop'));
    const env = `env XDG_CACHE_HOME=${join(dir, 'cache')} KUBECONFIG=${join(dir, 'kubeconfig')}`;
    term = openTerminal(`${env} ${process.execPath} ${BIN}`, ROOT, 200, 30);
    const screen = await screenMatching(term, /EXIT_CODE=\d+/, 20_000);
    const unwrapped = screen.replace(/\n(?!EXIT_CODE|TTY_MODE)/g, '');
    expect(unwrapped).toMatch(/EXIT_CODE=3/);
    expect(unwrapped).toContain(`the log-level journal entry ${join(journal, 'shop.web.json')} is not JSON`);
    expect(unwrapped).not.toMatch(/internal error/);
    await screenMatching(term, /TTY_MODE=icanon/);
  }, 60_000);
});
