/** Builds the Snapshot for a command from --from paths (manifests, dirs, stdin). */
import { loadManifests } from '../sources/manifests/load.js';
import { buildSnapshot } from '../model/build-snapshot.js';
import { convertIstio, isIstioKind } from '../model/convert/istio.js';
import { applySidecarInjection } from '../model/convert/sidecar.js';
import type { Snapshot } from '../model/snapshot.js';
import type { RawObject } from '../model/raw.js';
import type { Finding } from '../model/findings.js';
import { inputError } from '../util/errors.js';

export interface LoadedSnapshot {
  readonly snapshot: Snapshot;
  /** syntax problems from reading plus problems from typing the objects */
  readonly findings: readonly Finding[];
}

export function snapshotFromObjects(objects: readonly RawObject[], defaultNamespace: string | null, description: string, type: 'manifests' | 'cluster' | 'demo' = 'manifests'): Snapshot {
  return buildSnapshot(objects, {
    defaultNamespace: defaultNamespace ?? 'default',
    source: { type, description },
    convertIstio: (objs, o) => {
      const r = convertIstio(objs, o);
      return { ...r, findings: r.findings as unknown as Finding[] };
    },
    isIstioKind,
    applySidecarInjection,
  });
}

export async function loadSnapshotFrom(paths: readonly string[], defaultNamespace: string | null): Promise<LoadedSnapshot> {
  if (paths.length === 0) throw inputError('no-input', 'no --from given', 'pass --from PATH (a manifest file, a directory, or - for stdin), or run `meshdbg demo`');
  const loaded = await loadManifests(paths);
  const snapshot = snapshotFromObjects(loaded.objects, defaultNamespace, paths.join(', '));
  return { snapshot, findings: [...loaded.findings, ...snapshot.findings] };
}

/** Refuses input the API server would reject (exit 2), naming every problem. */
/** Errors about objects that never reach the Snapshot (e.g. a kind that never existed) do not block answers. */
const NON_BLOCKING = new Set<string>(['nonexistent-istio-kind']);

export function assertLoadable(findings: readonly Finding[]): void {
  const errors = findings.filter((f) => f.severity === 'error' && !NON_BLOCKING.has(f.code));
  if (errors.length === 0) return;
  const shown = errors.slice(0, 10).map((f) => f.message);
  const more = errors.length > 10 ? `\n  ... and ${errors.length - 10} more (run meshdbg lint)` : '';
  throw inputError('invalid-manifest', `the input has ${errors.length} invalid object${errors.length > 1 ? 's' : ''}:\n  ${shown.join('\n  ')}${more}`, 'fix them (meshdbg lint --from ... lists every problem with file and line)');
}
