/**
 * A long `meshdbg map` written to a file shows its progress on the terminal (stderr), then clears
 * it: the line is drawn with a carriage return and erase-line that meshdbg composes itself, past
 * the guard that escapes control bytes from input (src/commands/terminal-output.ts). The input is
 * 300 pods, each admitting the next one on a port of its own: 300 pod classes and the rest of the
 * address space (301 sources), each pair of classes evaluated on its ports: a few seconds of work.
 * (600 external address classes were enough once; now they share evaluations and take well
 * under the second before the line appears.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, screenMatching, type Terminal } from '../helpers/terminal.js';
import { ensureBuilt } from '../commands/cli-harness.js';
import { chainOfPolicies } from '../helpers/chain-world.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'meshdbg.mjs');

let term: Terminal | null = null;
beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => {
  term?.close();
  term = null;
});

describe('map progress', () => {
  it('shows done of total sources on stderr while stdout goes to a file, then clears the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-progress-'));
    writeFileSync(join(dir, 'in.yaml'), chainOfPolicies());
    const out = join(dir, 'map.json');
    term = openTerminal(`node ${BIN} map --from ${join(dir, 'in.yaml')} -o json > ${out}`, ROOT);
    await screenMatching(term, /meshdbg map: [\d,]+ of 301 sources \(\d+%\)/, 60_000);
    const screen = await screenMatching(term, /EXIT_CODE=\d+/, 120_000);
    expect(screen).toMatch(/EXIT_CODE=0/);
    // cleared: nothing before the exit code, and no escaped control bytes anywhere
    expect(screen.slice(0, screen.indexOf('EXIT_CODE=')).trim()).toBe('');
    expect(screen).not.toMatch(/\\x0d|\\x1b/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { kind: string }).kind).toBe('ConnectivityMap');
  }, 180_000);
});
