/**
 * A long `meshdbg map` written to a file shows its progress on the terminal (stderr), then clears
 * it: the line is drawn with a carriage return and erase-line that meshdbg composes itself, past
 * the guard that escapes control bytes from input (src/commands/terminal-output.ts). The input is
 * 30 pods, each with egress allowlists to its own address blocks: 600 external classes and the rest of the address space (631 sources), a few
 * seconds of work.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, screenMatching, type Terminal } from '../helpers/terminal.js';
import { ensureBuilt } from '../commands/cli-harness.js';
import { podYaml } from '../helpers/pod-yaml.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'meshdbg.mjs');

function allowlists(): string {
  const docs = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: a}'];
  for (let i = 0; i < 30; i++) docs.push(podYaml({ name: `p${i}`, namespace: 'a', ip: `10.0.0.${i + 1}` }));
  for (let i = 0; i < 300; i++) {
    const to = [0, 1].map((k) => `    - ipBlock: {cidr: 100.${i % 250}.${k + 10 * Math.floor(i / 250)}.0/24}`);
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: p${i % 30}}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n${to.join('\n')}\n    ports: [{port: 443}]`,
    );
  }
  return docs.join('\n---\n');
}

let term: Terminal | null = null;
beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => {
  term?.close();
  term = null;
});

describe('map progress', () => {
  it('shows done of total sources on stderr while stdout goes to a file, then clears the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-progress-'));
    writeFileSync(join(dir, 'in.yaml'), allowlists());
    const out = join(dir, 'map.json');
    term = openTerminal(`node ${BIN} map --from ${join(dir, 'in.yaml')} -o json > ${out}`, ROOT);
    await screenMatching(term, /meshdbg map: [\d,]+ of 631 sources \(\d+%\)/, 60_000);
    const screen = await screenMatching(term, /EXIT_CODE=\d+/, 120_000);
    expect(screen).toMatch(/EXIT_CODE=0/);
    // cleared: nothing before the exit code, and no escaped control bytes anywhere
    expect(screen.slice(0, screen.indexOf('EXIT_CODE=')).trim()).toBe('');
    expect(screen).not.toMatch(/\\x0d|\\x1b/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { kind: string }).kind).toBe('ConnectivityMap');
  }, 180_000);
});
