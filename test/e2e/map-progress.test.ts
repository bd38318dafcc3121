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
import { podYaml } from '../helpers/pod-yaml.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'meshdbg.mjs');

function chainOfPolicies(): string {
  const docs = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: a}'];
  for (let i = 0; i < 300; i++)
    docs.push(podYaml({ name: `p${i}`, namespace: 'a', ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
  for (let i = 0; i < 300; i++) {
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: p${i}}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: p${(i + 1) % 300}}}\n    ports: [{port: ${1000 + i}}]`,
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
