/**
 * Issue 17: a snapshot taken from a partial view (`meshdbg snapshot` with status.gaps) replayed
 * with `--from` answers as live did: the gaps are `partial-view` conditions, the verdict is
 * conditional and the exit 4, never a confident ALLOWED from a file that says it is incomplete.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../helpers/kube-api-server.js';
import { statusFault } from '../../helpers/kube-faults.js';
import { ensureBuilt, runCliAsync } from '../../commands/cli-harness.js';
import { writeKubeconfig } from './support/fixtures.js';
import { ALLOWED_ARGS, pocCluster } from './support/poc-cluster.js';

let api: KubeApiServer;
afterEach(async () => {
  await api.close();
});
beforeAll(() => ensureBuilt(), 120_000);

const dir = mkdtempSync(join(tmpdir(), 'meshdbg-replay-'));
const [, ...QUERY] = ALLOWED_ARGS; // explain SRC DST --port ... -o json

async function snapshotFile(name: string, fault: boolean): Promise<string> {
  api = await pocCluster();
  if (fault) api.faults.add(statusFault({ path: /^\/apis\/security\.istio\.io\/v1\/authorizationpolicies$/ }, 500));
  const r = await runCliAsync(['snapshot', '-A'], { env: { KUBECONFIG: writeKubeconfig(api, 'poc-mesh') } });
  expect(r.code).toBe(0);
  const file = join(dir, name);
  writeFileSync(file, r.stdout);
  return file;
}

interface Answer {
  verdict: string;
  conditions: { code: string; message: string }[];
}

describe('--from a partial snapshot', () => {
  it('a complete snapshot replays as allowed, exit 0', async () => {
    const file = await snapshotFile('complete.yaml', false);
    const r = await runCliAsync(['explain', '--from', file, ...QUERY]);
    expect([r.code, (JSON.parse(r.stdout) as Answer).verdict]).toEqual([0, 'allowed']);
  }, 30_000);

  it('a 500 on the AuthorizationPolicy list at snapshot time: the replay is conditional, exit 4, as live', async () => {
    const file = await snapshotFile('partial.yaml', true);
    const r = await runCliAsync(['explain', '--from', file, ...QUERY]);
    const out = JSON.parse(r.stdout) as Answer;
    expect(r.code).toBe(4);
    expect(out.verdict).toBe('conditional');
    expect(out.conditions).toContainEqual({
      code: 'partial-view',
      message:
        'partial view: AuthorizationPolicy.security.istio.io in all namespaces is unreadable (500 InternalError)',
    });
    expect(r.stderr).toContain('partial view: the snapshot could not read AuthorizationPolicy.security.istio.io');
    const batch = await runCliAsync(['explain', '--from', file, '--batch', '-'], {
      input: `${JSON.stringify({ src: 'poc-mesh/frontend', dst: 'poc-mesh/backend', port: 80 })}\n`,
    });
    expect((JSON.parse(batch.stdout) as Answer).verdict).toBe('conditional');
  }, 30_000);

  it('a malformed status.gaps entry is an error with file and line, not a silently complete view', async () => {
    api = await pocCluster(); // closed by afterEach
    const file = join(dir, 'bad-gaps.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: List\nstatus:\n  complete: false\n  gaps: [just text]\nitems: []\n');
    const r = await runCliAsync(['lint', '--from', file]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(
      `${file}:1: status.gaps[0] of a meshdbg snapshot must be {kind, namespace, reason}`,
    );
  }, 30_000);
});
