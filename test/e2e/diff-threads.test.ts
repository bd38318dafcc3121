/**
 * `meshdbg diff` of two inputs that share no class pair evaluates the NEW side on a worker thread
 * of the bundle (dist/diff-side-worker.mjs, src/commands/diff-sides.ts): the output is the bytes
 * of one thread, and the progress line counts each side's source classes, then the sources of the
 * walk. The inputs are two pod chains (helpers/chain-world.ts; n pods make n + 1 classes with the
 * rest of the address space) on other ports, NEW with a PeerAuthentication: a mesh-wide change,
 * so no workload is left out of the diff (edit-scope.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, screenMatching, type Terminal } from '../helpers/terminal.js';
import { ensureBuilt, runCliAsync, ROOT } from '../commands/cli-harness.js';
import { chainOfPolicies } from '../helpers/chain-world.js';

const PEER_AUTHENTICATION =
  'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec: {mtls: {mode: PERMISSIVE}}';

function inputs(pods: number): { old: string; new: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-diff-threads-'));
  const paths = { old: join(dir, 'old.yaml'), new: join(dir, 'new.yaml') };
  writeFileSync(paths.old, chainOfPolicies(pods, 1000));
  writeFileSync(paths.new, `${chainOfPolicies(pods, 2000)}\n---\n${PEER_AUTHENTICATION}`);
  return paths;
}

let term: Terminal | null = null;
beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => {
  term?.close();
  term = null;
});

describe('diff on two threads', () => {
  it('writes what one thread writes', async () => {
    // 201 classes: 40,401 class pairs a side, past MIN_CLASS_PAIRS
    const { old, new: next } = inputs(200);
    const args = ['diff', '--from', old, '--to', next, '-o', 'json'];
    const [one, two] = await Promise.all([
      runCliAsync([...args, '--workers', '1'], { timeoutMs: 120_000 }),
      runCliAsync([...args, '--workers', '2'], { timeoutMs: 120_000 }),
    ]);
    expect(one.code).toBe(1);
    expect(one.stderr).toBe('');
    const changes = (JSON.parse(one.stdout) as { changes: { change: string }[] }).changes;
    // each pod's admitted port moved: its edge lost one port and gained another
    expect(changes.filter((c) => c.change === 'narrowed')).toHaveLength(200);
    expect(changes.filter((c) => c.change === 'widened')).toHaveLength(200);
    expect(changes).toHaveLength(400);
    expect(two).toEqual(one);
  }, 240_000);

  it('shows the source classes of OLD on the terminal, then clears the line', async () => {
    // 301 classes: OLD's alone takes past the progress line's first second
    const { old, new: next } = inputs(300);
    const out = join(mkdtempSync(join(tmpdir(), 'meshdbg-diff-threads-out-')), 'diff.txt');
    term = openTerminal(`node dist/meshdbg.mjs diff --from ${old} --to ${next} --workers 2 > ${out}`, ROOT);
    await screenMatching(term, /meshdbg diff: [\d,]+ of 301 OLD source classes \(\d+%\)/, 60_000);
    const screen = await screenMatching(term, /EXIT_CODE=\d+/, 180_000);
    expect(screen).toMatch(/EXIT_CODE=1/);
    expect(screen.slice(0, screen.indexOf('EXIT_CODE=')).trim()).toBe('');
  }, 240_000);
});
