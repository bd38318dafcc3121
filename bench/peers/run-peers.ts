/** Running the peers and meshdbg on one folder of manifests. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConnlist, type Connlist } from './connlist.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'dist', 'meshdbg.mjs');

export interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
  readonly ms: number;
}

export function run(cmd: string, args: readonly string[], input?: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { maxBuffer: 1 << 30, cwd: REPO }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ stdout, stderr, code, ms: performance.now() - started });
    });
    child.stdin?.end(input ?? '');
  });
}

/** The peers the install script found: name -> command. */
export async function installedPeers(): Promise<{ peers: Map<string, string>; failed: Map<string, string> }> {
  const out = await run('bash', [join(REPO, 'bench', 'peers', 'install.sh')]);
  const peers = new Map<string, string>();
  const failed = new Map<string, string>();
  for (const line of out.stdout.split('\n')) {
    const m = /^([a-z]+)(-failed)?=(.*)$/.exec(line);
    if (m) (m[2] ? failed : peers).set(m[1]!, m[3]!);
  }
  return { peers, failed };
}

/** NCA's pairwise connectivity for the manifests under `dir` (policies and workloads). */
export async function ncaConnlist(nca: string, dir: string): Promise<Connlist & { ms: number }> {
  const args = ['--connectivity', dir, '--resource_list', dir, '--output_format', 'txt_no_fw_rules'];
  const r = await run(nca, [...args, '--output_endpoints', 'deployments']);
  if (r.code !== 0 && !r.stdout.includes('=>'))
    throw new Error(`nca on ${dir}: exit ${r.code}: ${r.stderr.slice(-300)}`);
  return { ...parseConnlist(r.stdout), ms: r.ms };
}

export interface Probe {
  readonly src: string;
  readonly dst: string;
  readonly protocol: string;
  readonly port: number;
}

export type L4Answer = 'allowed' | 'denied' | 'conditional' | 'error';

/** meshdbg's L4 answer (its NetworkPolicy egress and ingress steps) for each probe. */
export async function meshdbgL4(dir: string, probes: readonly Probe[]): Promise<{ answers: L4Answer[]; ms: number }> {
  const input = probes.map((p, id) => JSON.stringify({ id, ...p })).join('\n') + '\n';
  const r = await run(process.execPath, [CLI, 'explain', '--batch', '-', '--from', dir, '-o', 'json'], input);
  if (!r.stdout.trim()) throw new Error(`meshdbg explain exit ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
  const answers = r.stdout
    .trim()
    .split('\n')
    .map((line): L4Answer => {
      const e = JSON.parse(line) as { kind: string; steps?: { layer: string; verdict: string }[] };
      if (e.kind !== 'Explanation' || !e.steps) return 'error';
      const l4 = e.steps.filter((s) => s.layer.startsWith('networkpolicy-')).map((s) => s.verdict);
      if (l4.includes('denied')) return 'denied';
      return l4.includes('conditional') ? 'conditional' : 'allowed';
    });
  return { answers, ms: r.ms };
}
