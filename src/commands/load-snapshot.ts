/** Builds the Snapshot for a command from --from paths (manifests, dirs, stdin). */
import type { ProgressListener } from '../sources/load-progress.js';
import { loadManifests } from '../sources/manifests/load.js';
import { snapshotFromObjects, type MeshOverrides } from '../model/snapshot-from-objects.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Finding } from '../model/findings.js';
import { admittedByCluster } from '../model/convert/istio-validate.js';
import { admittedLine, admittedObjects, applyAdmittedGaps } from './admitted-objects.js';
import { inputError } from '../util/errors.js';
import type { Explanation } from '../engine/index.js';
import type { LiveStatus } from '../sources/kube/live-source.js';
import type { SnapshotGap } from '../sources/manifests/snapshot-gaps.js';
import { oneNamespace, type Options } from './options.js';

export interface LoadedSnapshot {
  readonly snapshot: Snapshot;
  /** syntax problems from reading plus problems from typing the objects */
  readonly findings: readonly Finding[];
  /** marks explanations the unreadable parts of a live cluster could change (identity for manifests) */
  readonly partialView: (e: Explanation) => Explanation;
  /** one line about a partial or stale live view, shown on stderr */
  readonly status: string | null;
  /** what `meshdbg snapshot` files among the inputs could not read (their status.gaps) */
  readonly gaps: readonly SnapshotGap[];
}

export { snapshotFromObjects, type MeshOverrides } from '../model/snapshot-from-objects.js';

export async function loadSnapshotFrom(
  paths: readonly string[],
  defaultNamespace: string | null,
  overrides: MeshOverrides = {},
  options: { readonly onProgress?: ProgressListener; readonly flag?: string } = {},
): Promise<LoadedSnapshot> {
  if (paths.length === 0)
    throw inputError(
      'no-input',
      'no --from given',
      'pass --from PATH (a manifest file, a directory, or - for stdin), or run `meshdbg demo`',
    );
  const loaded = await loadManifests(paths, options);
  const snapshot = snapshotFromObjects(loaded.objects, defaultNamespace, paths.join(', '), 'manifests', overrides);
  const findings = [...loaded.findings, ...snapshot.findings];
  if (loaded.gaps.length === 0) return { snapshot, findings, partialView: (e) => e, status: null, gaps: [] };
  // a `meshdbg snapshot` file with status.gaps: its gaps are conditions, as in live mode
  const { applyPartialView } = await import('../sources/kube/partial-view.js');
  const status: LiveStatus = {
    stale: false,
    staleSince: null,
    partial: [],
    unreadable: loaded.gaps,
    namespaces: null,
    errors: [],
  };
  const root = overrides.rootNamespace ?? snapshot.istio.mesh.rootNamespace;
  const kinds = [...new Set(loaded.gaps.map((g) => (g.namespace ? `${g.kind} in ${g.namespace}` : g.kind)))];
  return {
    snapshot,
    findings,
    partialView: (e) => applyPartialView(e, status, root),
    status: `partial view: the snapshot could not read ${kinds.join(', ')} (status.gaps)`,
    gaps: loaded.gaps,
  };
}

/** One listing of the live cluster (kubeconfig as kubectl resolves it), as a Snapshot. */
export async function loadSnapshotFromCluster(values: Options, overrides: MeshOverrides = {}): Promise<LoadedSnapshot> {
  // the Kubernetes client costs ~0.5 s to load: only the cluster path pays for it
  const [{ openLiveSource }, { toConnectionFlags }, { applyPartialView }, { describeLiveStatus }] = await Promise.all([
    import('../sources/kube/open-cluster.js'),
    import('../sources/kube/connection-flags.js'),
    import('../sources/kube/partial-view.js'),
    import('../sources/kube/live-view.js'),
  ]);
  const { source, context } = await openLiveSource({
    flags: toConnectionFlags(values),
    rootNamespace: overrides.rootNamespace,
    watch: false,
  });
  try {
    const status = source.status();
    const namespace = values.namespace?.[0] ?? null;
    const snapshot = snapshotFromObjects(
      source.objects(),
      namespace,
      `context ${context.contextName}`,
      'cluster',
      overrides,
    );
    const root = overrides.rootNamespace ?? snapshot.istio.mesh.rootNamespace;
    // what the cluster admitted is in force: its lint errors are warnings (admitted-objects.ts)
    const admitted = admittedObjects(admittedByCluster(snapshot.findings));
    const findings = admitted.findings;
    const lines = [describeLiveStatus(status), admittedLine(admitted.gaps)].filter((l) => l !== null);
    return {
      snapshot: { ...snapshot, findings },
      findings,
      partialView: (e) => applyAdmittedGaps(applyPartialView(e, status, root), admitted.gaps, root),
      status: lines.length > 0 ? lines.join('; ') : null,
      gaps: [],
    };
  } finally {
    source.stop();
  }
}

/** `--root-namespace` / `--trust-domain`, for every command that builds a Snapshot. */
export function meshOverrides(values: Options): MeshOverrides {
  return {
    ...(values['root-namespace'] ? { rootNamespace: values['root-namespace'] } : {}),
    ...(values['trust-domain'] ? { trustDomain: values['trust-domain'] } : {}),
  };
}

/** --from PATH..., else the live cluster. */
export async function loadSnapshotFor(values: Options): Promise<LoadedSnapshot> {
  const overrides = meshOverrides(values);
  const from = values.from ?? [];
  if (from.length > 0) return loadSnapshotFrom(from, oneNamespace(values), overrides);
  return loadSnapshotFromCluster(values, overrides);
}

/** Errors about objects that never reach the Snapshot (e.g. a kind that never existed) do not block answers. */
const NON_BLOCKING = new Set<string>(['nonexistent-istio-kind']);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 errors in 1 object": an error without an object (a document that is no object at all) counts as one. */
export function errorCount(errors: readonly Finding[]): string {
  const objects = new Set(
    errors.map((f, i) => (f.object ? `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}` : `#${i}`)),
  );
  return `${plural(errors.length, 'error')} in ${plural(objects.size, 'object')}`;
}

/** Refuses input the API server would reject (exit 2), naming every problem. */
export function assertLoadable(findings: readonly Finding[]): void {
  const errors = findings.filter((f) => f.severity === 'error' && !NON_BLOCKING.has(f.code));
  if (errors.length === 0) return;
  const shown = errors.slice(0, 10).map((f) => f.message);
  const more = errors.length > 10 ? `\n  ... and ${errors.length - 10} more (run meshdbg lint)` : '';
  throw inputError(
    'invalid-manifest',
    `the input has ${errorCount(errors)}:\n  ${shown.join('\n  ')}${more}`,
    'fix them (meshdbg lint --from ... lists every problem with file and line)',
  );
}

/** A condition on a whole map or diff (ConnectivityMap `conditions`). */
export interface MapCondition {
  readonly code: 'partial-view';
  readonly message: string;
}

/** What makes a map or diff from this input less than whole: its partial view, if any. */
export function viewConditions(status: string | null): MapCondition[] {
  return status ? [{ code: 'partial-view', message: status }] : [];
}
