/**
 * `meshdbg snapshot [-n NS]... | -A > cluster.yaml`: what meshdbg sees in the cluster, as
 * one YAML `kind: List` that `--from` reads back (for bug reports and offline work).
 * Secrets, tokens, last-applied-configuration, container env/args/command and every
 * ConfigMap but the mesh one are left out.
 */
import yaml from 'js-yaml';
import { parseConnectionFlags } from '../sources/kube/connection-flags.js';
import { openLiveSource } from '../sources/kube/open-cluster.js';
import type { LiveStatus } from '../sources/kube/live-source.js';
import { sanitizeForSnapshot } from '../sources/kube/sanitize.js';
import { serverText } from '../sources/kube/server-text.js';
import type { RawObject } from '../model/raw.js';
import { inputError } from '../util/errors.js';

export interface SnapshotIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  readonly now: () => Date;
}

const USAGE =
  'usage: meshdbg snapshot [-n NAMESPACE]... | -A [--context C] [--kubeconfig F] [--request-timeout 10s] [--root-namespace NS] > cluster.yaml';

function takeRootNamespace(rest: readonly string[]): { root: string | undefined; unknown: string[] } {
  let root: string | undefined;
  const unknown: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--root-namespace') root = rest[++i];
    else if (arg.startsWith('--root-namespace=')) root = arg.slice('--root-namespace='.length);
    else unknown.push(arg);
  }
  return { root, unknown };
}

function sortKey(o: Readonly<Record<string, unknown>>): string {
  const meta = (o['metadata'] ?? {}) as { namespace?: string; name?: string };
  return `${String(o['apiVersion'])}\u0000${String(o['kind'])}\u0000${meta.namespace ?? ''}\u0000${meta.name ?? ''}`;
}

/**
 * What the snapshot could not read, as data: a structured `status` section whose strings
 * are made inert (no control characters, tokens or JWTs, cut), never free text in comments.
 */
export function snapshotStatus(status: LiveStatus): Record<string, unknown> {
  return {
    complete: status.unreadable.length === 0 && !status.stale,
    namespaces: status.namespaces ?? 'all',
    gaps: status.unreadable.map((u) => ({ kind: u.kind, namespace: u.namespace, reason: serverText(u.reason) })),
    notes: status.partial.map((line) => serverText(line)),
    errors: status.errors.map((line) => serverText(line)),
  };
}

/** The YAML document: header comments (context, time) then a `kind: List` with a `status` section. */
export function renderSnapshotYaml(
  objects: readonly RawObject[],
  header: { context: string; server: string; time: string; status: LiveStatus },
): string {
  const items = objects
    .map((o) => sanitizeForSnapshot(o.object))
    .filter((o): o is Record<string, unknown> => o !== null)
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const scope = header.status.namespaces ? `namespaces ${header.status.namespaces.join(', ')}` : 'all namespaces';
  const lines = [
    serverText(
      `# meshdbg snapshot of context ${header.context} (${header.server}), ${scope}, taken ${header.time}`,
      1000,
    ),
    '# read it back with: meshdbg --from THIS_FILE ...',
  ];
  if (header.status.unreadable.length > 0)
    lines.push('# INCOMPLETE: see status.gaps; answers from this file may be wrong');
  const list = { apiVersion: 'v1', kind: 'List', status: snapshotStatus(header.status), items };
  return `${lines.join('\n')}\n${yaml.dump(list, { noRefs: true, lineWidth: -1, sortKeys: false })}`;
}

const defaultIo = (): SnapshotIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: () => new Date(),
});

/** Runs the command; throws MeshdbgError (exit 2 bad flags, exit 3 cluster unreadable). */
export async function runSnapshot(argv: readonly string[], io: SnapshotIo = defaultIo()): Promise<number> {
  const { flags, rest } = parseConnectionFlags(argv[0] === 'snapshot' ? argv.slice(1) : argv);
  const { root, unknown } = takeRootNamespace(rest);
  if (unknown.includes('-h') || unknown.includes('--help')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (unknown.length > 0) throw inputError('bad-flag', `meshdbg snapshot does not take ${unknown.join(' ')}`, USAGE);
  const { source, context } = await openLiveSource({
    flags,
    env: io.env,
    homeDir: io.homeDir,
    rootNamespace: root,
    watch: false,
  });
  try {
    const status = source.status();
    io.stdout.write(
      renderSnapshotYaml(source.objects(), {
        context: context.contextName,
        server: context.server,
        time: io.now().toISOString(),
        status,
      }),
    );
    for (const line of status.partial) io.stderr.write(`meshdbg: ${line}\n`);
    return 0;
  } finally {
    source.stop();
  }
}
