/**
 * `meshdbg snapshot [-n NS]... | -A > cluster.yaml`: what meshdbg sees in the cluster, as
 * one YAML `kind: List` that `--from` reads back (for bug reports and offline work).
 * Secrets, tokens, last-applied-configuration, container env/args/command and every
 * ConfigMap but the mesh one are left out.
 */
import yaml from 'js-yaml';
import { toConnectionFlags } from '../sources/kube/connection-flags.js';
import { parseCommandLine, type Options } from './options.js';
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

/** What `snapshot` takes of the CLI's options: the connection flags, --root-namespace and --help. */
const SNAPSHOT_OPTIONS: ReadonlySet<string> = new Set([
  'namespace',
  'all-namespaces',
  'context',
  'kubeconfig',
  'request-timeout',
  'root-namespace',
  'help',
]);

/** The CLI's one argv parser (options.ts), then what snapshot does not take refused by name. */
function snapshotArgs(argv: readonly string[]): Options {
  const { values, positionals } = parseCommandLine(argv);
  const extra = [
    ...positionals.slice(positionals[0] === 'snapshot' ? 1 : 0),
    ...Object.keys(values)
      .filter((name) => !SNAPSHOT_OPTIONS.has(name))
      .map((name) => `--${name}`),
  ];
  if (extra.length > 0) throw inputError('bad-flag', `meshdbg snapshot does not take ${extra.join(' ')}`, USAGE);
  return values;
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
  const values = snapshotArgs(argv);
  if (values.help === true) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flags = toConnectionFlags(values);
  const root = values['root-namespace'];
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
