import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { hasTmux, scriptTerminal, tmuxTerminal, type Terminal } from './tui-terminal.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** MESHDBG_E2E_BIN runs the same test against another build (e.g. an installed package). */
const BIN = process.env['MESHDBG_E2E_BIN'] ?? join(ROOT, 'dist', 'meshdbg.mjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let term: Terminal | null = null;

beforeAll(() => {
  if (process.env['MESHDBG_E2E_BIN'] === undefined && (!existsSync(BIN) || statSync(BIN).mtimeMs < newestSource(join(ROOT, 'src')))) {
    execFileSync(process.execPath, ['build/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' });
  }
}, 120_000);

afterAll(() => term?.close());

async function screenMatching(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return waitFor(() => {
    const screen = term?.screen() ?? '';
    if (!pattern.test(screen)) throw new Error(`expected ${String(pattern)} on screen, got:\n${screen}`);
    return screen;
  }, timeoutMs, 50);
}

describe('meshdbg demo poc-mesh in a real terminal', () => {
  it('filters to payments, opens :denials, shows a poc-mesh policy rule, and quits cleanly', async () => {
    const command = `${process.execPath} ${BIN} demo poc-mesh`;
    const useTmux = hasTmux() && process.env['MESHDBG_E2E_PTY'] !== 'script';
    term = useTmux ? tmuxTerminal(command, ROOT) : scriptTerminal(command, ROOT);
    await screenMatching(/meshdbg\s+demo poc-mesh/);
    await screenMatching(/poc-mesh\s+payments/);
    term.text('/');
    term.text('payments');
    term.keys('enter');
    const filtered = await screenMatching(/<pods>\s+\/payments/);
    expect(filtered).not.toMatch(/poc-mesh\s+frontend\s/);
    term.text(':');
    term.text('denials');
    term.keys('enter');
    // the payments row names the poc-mesh DENY policy and its rule index
    const denials = await screenMatching(/poc-mesh\/payments\s+poc-mesh\/backend\s+GET \/api\/orders :80\s+backend-deny-payments-example\[0\]/, 15_000);
    expect(denials).toMatch(/<pods>\s+<denials>/);
    term.text('q');
    await screenMatching(/EXIT_CODE=0/);
  }, 60_000);
});
