/**
 * `npm run bench -- --peers`: the same generated meshes (bench/synthetic.ts, L4 kinds only)
 * through meshdbg and each peer analyser that bench/peers/install.sh could install. All-pairs
 * connectivity at 200, 1k and 2k pods (meshdbg `map`, NCA `--connectivity`), and one query on
 * the 10k-pod mesh (meshdbg `explain`, NCA `--connectivity` narrowed by `--deployment_subset`).
 * Wall-clock times of whole commands, process start included. Peers get MESHDBG_PEER_TIMEOUT_S
 * (default 900) seconds per run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { syntheticCluster } from '../synthetic.js';
import { writeL4Input } from './l4-input.js';
import { installedPeers, REPO, run, type Run } from './run-peers.js';

const CLI = join(REPO, 'dist', 'meshdbg.mjs');
const TIMEOUT_S = Number(process.env['MESHDBG_PEER_TIMEOUT_S'] ?? 900);

function mesh(pods: number): { dir: string; pair: [string, string, number] } {
  const { objects, pairs } = syntheticCluster({ pods, networkPolicies: pods / 2, authorizationPolicies: 0 }, 7);
  const raw = mkdtempSync(join(tmpdir(), `meshdbg-peers-bench-${pods}-`));
  writeFileSync(join(raw, 'all.yaml'), objects.map((o) => dump(o.object, { noRefs: true })).join('---\n'));
  const dir = `${raw}-l4`;
  writeL4Input(raw, dir);
  return { dir, pair: pairs[0]! };
}

const timed = (cmd: string, args: readonly string[]): Promise<Run> => run('timeout', [String(TIMEOUT_S), cmd, ...args]);

// explain exits 1 on denied and 4 on conditional: answers, not failures
const answered = (r: Run) => r.code === 0 || r.code === 1 || r.code === 4;

function cell(r: Run | string): string {
  if (typeof r === 'string') return r;
  if (r.code === 124) return `> ${TIMEOUT_S} s (timeout)`;
  return answered(r) ? `${(r.ms / 1000).toFixed(2)} s` : `failed (exit ${r.code})`;
}

function ratio(peer: Run | string, ours: Run): string {
  if (typeof peer === 'string' || !answered(peer) || !answered(ours)) return '-';
  return `${(peer.ms / ours.ms).toFixed(1)}x`;
}

async function main(): Promise<void> {
  const { peers, failed } = await installedPeers();
  const nca = peers.get('nca');
  for (const [name, why] of failed) console.log(`peer ${name}: not run (${why})`);
  console.log('| mesh | query | meshdbg | NCA | NCA / meshdbg |');
  console.log('|---|---|---|---|---|');
  for (const pods of [200, 1000, 2000]) {
    const { dir } = mesh(pods);
    const ours = await timed(process.execPath, [CLI, 'map', '--from', dir, '-o', 'json']);
    const theirs = nca
      ? await timed(nca, ['--connectivity', dir, '--resource_list', dir, '--output_format', 'txt_no_fw_rules'])
      : 'not installed';
    console.log(`| ${pods} pods | all pairs | ${cell(ours)} | ${cell(theirs)} | ${ratio(theirs, ours)} |`);
  }
  const { dir, pair } = mesh(10_000);
  const [src, dst, port] = pair;
  const ours = await timed(process.execPath, [CLI, 'explain', src, dst, '--port', String(port), '--from', dir]);
  const subset = [src, dst].map((p) => p.split('/').pop()).join(',');
  const theirs = nca
    ? await timed(nca, ['--connectivity', dir, '--resource_list', dir, '--deployment_subset', subset])
    : 'not installed';
  console.log(`| 10000 pods | one pair | ${cell(ours)} | ${cell(theirs)} | ${ratio(theirs, ours)} |`);
}

await main();
