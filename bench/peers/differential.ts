/**
 * `npm run peers:diff [-- DIR...]`: meshdbg's L4 answers (the NetworkPolicy steps of explain)
 * against NCA's connectivity list, probe by probe, on the examples, on netpol-analyzer's own
 * corpus when ../shared/conformance is beside the clone, and on generated meshes. Prints each
 * disagreement; docs/peers.md says which are bugs and which are semantic differences.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { allows, NO_CONNECTIONS, probePorts, workloadPeer } from './connlist.js';
import { installedPeers, meshdbgL4, ncaConnlist, REPO, type Probe } from './run-peers.js';
import { syntheticCluster } from '../synthetic.js';
import { writeL4Input } from './l4-input.js';

function caseDirs(): string[] {
  const given = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (given.length) return given;
  const examples = readdirSync(join(REPO, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(REPO, 'examples', d.name, 'manifests'));
  // netpol-analyzer's own cases: shared/conformance beside the clone, or MESHDBG_CONFORMANCE_DIR
  const conformance = process.env['MESHDBG_CONFORMANCE_DIR'] ?? join(REPO, '..', 'shared', 'conformance');
  const upstream = ['netpol', 'anp_banp'].flatMap((group) => {
    const tests = join(conformance, 'netpol-analyzer', group, 'tests');
    return existsSync(tests) ? readdirSync(tests).map((c) => join(tests, c)) : [];
  });
  return [...examples, ...upstream, ...generated()];
}

function generated(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-peers-'));
  return [1, 2, 3].map((seed) => {
    const d = join(dir, `synthetic-${seed}`);
    const { objects } = syntheticCluster({ pods: 60, networkPolicies: 30, authorizationPolicies: 0 }, seed);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'cluster.yaml'), objects.map((o) => dump(o.object)).join('---\n'));
    return d;
  });
}

async function main(): Promise<void> {
  const { peers, failed } = await installedPeers();
  for (const [name, why] of failed) process.stdout.write(`peer ${name} not available: ${why}\n`);
  const nca = peers.get('nca');
  if (!nca) throw new Error('NCA could not be installed (see bench/peers/install.sh)');
  let total = 0;
  let disagree = 0;
  const work = mkdtempSync(join(tmpdir(), 'meshdbg-peers-l4-'));
  for (const [i, caseDir] of caseDirs().entries()) {
    const dir = join(work, String(i));
    writeL4Input(caseDir, dir);
    const list = await ncaConnlist(nca, dir).catch((err: Error) => err);
    if (list instanceof Error) {
      process.stdout.write(`${caseDir}: NCA failed: ${list.message.split('\n')[0]}\n`);
      continue;
    }
    const workloads = [...list.peers].filter((p) => workloadPeer(p));
    const ports = probePorts(list.pairs.values());
    const probes: (Probe & { expected: boolean })[] = [];
    for (const a of workloads)
      for (const b of workloads) {
        if (a === b) continue;
        const conns = list.pairs.get(`${a} => ${b}`) ?? NO_CONNECTIONS;
        for (const protocol of ['TCP', 'UDP'] as const)
          for (const port of ports)
            probes.push({
              src: workloadPeer(a)!,
              dst: workloadPeer(b)!,
              protocol,
              port,
              expected: allows(conns, protocol, port),
            });
      }
    if (!probes.length) {
      process.stdout.write(`${caseDir}: no workload pairs\n`);
      continue;
    }
    const meshdbg = await meshdbgL4(
      dir,
      probes.map(({ expected: _e, ...p }) => p),
    ).catch((err: Error) => err);
    if (meshdbg instanceof Error) {
      process.stdout.write(`${caseDir}: meshdbg failed: ${meshdbg.message}\n`);
      continue;
    }
    const { answers } = meshdbg;
    const diffs = probes.filter((p, i) => (answers[i] === 'allowed') !== p.expected);
    total += probes.length;
    disagree += diffs.length;
    process.stdout.write(`${caseDir.replace(`${REPO}/`, '')}: ${probes.length} probes, ${diffs.length} disagree\n`);
    for (const d of diffs.slice(0, 5)) {
      const i = probes.indexOf(d);
      process.stdout.write(
        `  ${d.src} -> ${d.dst} ${d.protocol}/${d.port}: nca ${d.expected ? 'allowed' : 'denied'}, meshdbg ${answers[i]}\n`,
      );
    }
  }
  process.stdout.write(`peers:diff: ${total - disagree} agree, ${disagree} disagree\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`peers:diff failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
