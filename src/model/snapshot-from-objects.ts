/**
 * The standard Snapshot of raw objects: the core builder with Istio conversion and sidecar
 * injection wired in. Every source (manifests, cluster, demo) goes through this.
 */
import { buildSnapshot } from './build-snapshot.js';
import { convertIstio, isIstioKind } from './convert/istio.js';
import { applySidecarInjection } from './convert/sidecar.js';
import type { RawObject } from './raw.js';
import type { Snapshot } from './snapshot.js';

/** Mesh settings given on the command line (`--root-namespace`, `--trust-domain`) win over the mesh ConfigMap. */
export interface MeshOverrides {
  readonly rootNamespace?: string;
  readonly trustDomain?: string;
}

export function snapshotFromObjects(
  objects: readonly RawObject[],
  defaultNamespace: string | null,
  description: string,
  type: 'manifests' | 'cluster' | 'demo' = 'manifests',
  overrides: MeshOverrides = {},
): Snapshot {
  return buildSnapshot(objects, {
    defaultNamespace: defaultNamespace ?? 'default',
    source: { type, description },
    convertIstio: (objs, o) => convertIstio(objs, { ...o, ...overrides }),
    isIstioKind,
    applySidecarInjection,
  });
}
