/**
 * API discovery: which of the Snapshot's kinds the server serves, and at which version.
 * A 404 on one group version is not "not installed": the next preferred version is tried
 * (security.istio.io/v1 exists only from Istio 1.22; older meshes serve v1beta1).
 */
import type { KubeHttp } from './http.js';
import { KubeHttpError } from './http.js';
import { apiVersionOf } from './kinds.js';
import type { KindSpec, ServedKind } from './kinds.js';

interface ApiGroupList {
  groups?: { name?: string; versions?: { version?: string }[] }[];
}

interface ApiResourceList {
  resources?: { name?: string; namespaced?: boolean }[];
}

export interface DiscoveryResult {
  readonly served: readonly ServedKind[];
  /** Kinds whose group is not installed (missing CRDs): normal, listed for the status line. */
  readonly notInstalled: readonly KindSpec[];
  /**
   * Kinds whose discovery failed (not a 404): unknown whether the cluster has them, so
   * each is a `partial-view` gap, never a silent "not installed".
   */
  readonly failed: readonly { readonly spec: KindSpec; readonly error: unknown }[];
  readonly errors: readonly string[];
}

async function servedGroupVersions(http: KubeHttp): Promise<Map<string, string[]>> {
  const groups = new Map<string, string[]>([['', ['v1']]]);
  const list = await http.getJson<ApiGroupList>('/apis');
  for (const g of list.groups ?? []) {
    if (g.name)
      groups.set(
        g.name,
        (g.versions ?? []).map((v) => v.version ?? '').filter((v) => v !== ''),
      );
  }
  return groups;
}

type ResourceCache = Map<string, Promise<Set<string> | null>>;

function resourcesAt(
  http: KubeHttp,
  cache: ResourceCache,
  group: string,
  version: string,
): Promise<Set<string> | null> {
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  let pending = cache.get(path);
  if (!pending) {
    pending = http.getJson<ApiResourceList>(path).then(
      (list) => new Set((list.resources ?? []).map((r) => r.name ?? '')),
      (err: unknown) => {
        if (err instanceof KubeHttpError && err.status === 404) return null;
        throw err;
      },
    );
    cache.set(path, pending);
  }
  return pending;
}

async function chooseVersion(
  http: KubeHttp,
  cache: ResourceCache,
  spec: KindSpec,
  served: readonly string[],
): Promise<string | null> {
  for (const version of spec.versions.filter((v) => served.includes(v))) {
    const resources = await resourcesAt(http, cache, spec.group, version);
    if (resources?.has(spec.plural)) return version;
  }
  return null;
}

/**
 * Discovers the kinds. When /apis itself cannot be read, the core group is still tried and
 * every kind of a named group is a failed discovery (a gap), not "not installed".
 */
export async function discoverKinds(http: KubeHttp, kinds: readonly KindSpec[]): Promise<DiscoveryResult> {
  const cache: ResourceCache = new Map();
  const served: ServedKind[] = [];
  const notInstalled: KindSpec[] = [];
  const failed: { spec: KindSpec; error: unknown }[] = [];
  const errors: string[] = [];
  const fail = (spec: KindSpec, error: unknown): void => {
    failed.push({ spec, error });
    errors.push(`discovery of ${spec.kind}.${spec.group || 'core'} failed: ${(error as Error).message}`);
  };
  let groups: Map<string, string[]>;
  let groupsError: unknown = null;
  try {
    groups = await servedGroupVersions(http);
  } catch (err) {
    groups = new Map([['', ['v1']]]);
    groupsError = err;
  }
  await Promise.all(
    kinds.map(async (spec) => {
      const versions = groups.get(spec.group);
      if (!versions) return void (groupsError === null ? notInstalled.push(spec) : fail(spec, groupsError));
      try {
        const version = await chooseVersion(http, cache, spec, versions);
        if (version === null) notInstalled.push(spec);
        else served.push({ spec, version, apiVersion: apiVersionOf(spec.group, version) });
      } catch (err) {
        fail(spec, err);
      }
    }),
  );
  if (served.length === 0 && groupsError !== null) throw groupsError;
  const superseded = (k: ServedKind): boolean =>
    k.spec.unlessServedBy !== undefined &&
    served.some((o) => o.spec.group === k.spec.unlessServedBy && o.spec.kind === k.spec.kind);
  const kept = served.filter((k) => !superseded(k));
  served.length = 0;
  served.push(...kept);
  const order = (k: KindSpec): number => kinds.indexOf(k);
  served.sort((a, b) => order(a.spec) - order(b.spec));
  return { served, notInstalled, failed, errors };
}
