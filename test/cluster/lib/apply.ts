/**
 * Server-side apply of manifest files through the admin client, with the REST path of each
 * kind taken from the server's own discovery (so CRD kinds work once their CRDs are installed).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { expectOk, type RestClient, type RestResponse } from './rest.js';

export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
};

interface Resource {
  readonly plural: string;
  readonly namespaced: boolean;
}

export class Discovery {
  private readonly byKind = new Map<string, Resource>();
  constructor(private readonly client: RestClient) {}

  async refresh(): Promise<void> {
    this.byKind.clear();
    await this.addGroupVersion('/api/v1', 'v1');
    const groups = (await expectOk(this.client.call('GET', '/apis'), 'discovery')).json()['groups'] as {
      versions: { groupVersion: string }[];
    }[];
    for (const g of groups)
      for (const v of g.versions) await this.addGroupVersion(`/apis/${v.groupVersion}`, v.groupVersion);
  }

  private async addGroupVersion(path: string, groupVersion: string): Promise<void> {
    const list = (await expectOk(this.client.call('GET', path), `discovery ${path}`)).json()['resources'] as {
      name: string;
      kind: string;
      namespaced: boolean;
    }[];
    for (const r of list) {
      if (!r.name.includes('/'))
        this.byKind.set(`${groupVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }
  }

  /** The collection path of a manifest's kind, or null when the server does not serve it. */
  collectionPath(m: Manifest, defaultNamespace: string): string | null {
    const r = this.byKind.get(`${m.apiVersion}/${m.kind}`);
    if (!r) return null;
    const base = m.apiVersion.includes('/') ? `/apis/${m.apiVersion}` : `/api/${m.apiVersion}`;
    const ns = typeof m.metadata['namespace'] === 'string' ? m.metadata['namespace'] : defaultNamespace;
    return r.namespaced ? `${base}/namespaces/${ns}/${r.plural}` : `${base}/${r.plural}`;
  }
}

function isManifest(doc: unknown): doc is Manifest {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Record<string, unknown>;
  return typeof d['apiVersion'] === 'string' && typeof d['kind'] === 'string' && typeof d['metadata'] === 'object';
}

/** Every object in a YAML/JSON file or folder (recursively), `kind: List` items included. */
export function readManifests(path: string): Manifest[] {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .sort()
      .flatMap((f) => readManifests(join(path, f)));
  }
  if (!/\.(ya?ml|json)$/.test(path)) return [];
  return loadAll(readFileSync(path, 'utf8')).flatMap((doc) => {
    if (isManifest(doc) && doc.kind === 'List' && Array.isArray(doc['items'])) return doc['items'].filter(isManifest);
    return isManifest(doc) ? [doc] : [];
  });
}

export interface ApplyOptions {
  readonly defaultNamespace?: string;
  readonly dryRun?: boolean;
}

/** Server-side apply (PATCH application/apply-patch+yaml); returns the raw response. */
export async function applyManifest(
  client: RestClient,
  discovery: Discovery,
  m: Manifest,
  opts: ApplyOptions = {},
): Promise<RestResponse> {
  const collection = discovery.collectionPath(m, opts.defaultNamespace ?? 'default');
  if (!collection) {
    const body = `kind ${m.apiVersion}/${m.kind} is not served`;
    return { status: 404, body, contentType: 'text/plain', json: () => ({}) };
  }
  const name = encodeURIComponent(String(m.metadata['name'] ?? ''));
  const query = `fieldManager=meshdbg-test&force=true${opts.dryRun ? '&dryRun=All' : ''}`;
  return client.call('PATCH', `${collection}/${name}?${query}`, m, 'application/apply-patch+yaml');
}

export interface Applied {
  readonly applied: Manifest[];
  /** Objects whose kind the server does not serve (e.g. the removed rbac.istio.io kinds). */
  readonly unserved: Manifest[];
}

/** Creates each namespace the manifests use that does not exist yet, as `kubectl create namespace` would. */
async function ensureNamespaces(client: RestClient, manifests: readonly Manifest[]): Promise<void> {
  const names = new Set(
    manifests.map((m) => m.metadata['namespace']).filter((n): n is string => typeof n === 'string'),
  );
  for (const name of names) {
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    await expectOk(client.call('POST', '/api/v1/namespaces', body), `create namespace ${name}`, [409]);
  }
}

/** Applies every manifest under `path` (namespaces first), failing on the first rejection. */
export async function applyPath(client: RestClient, discovery: Discovery, path: string): Promise<Applied> {
  const all = readManifests(path);
  const served = all.filter((m) => discovery.collectionPath(m, 'default') !== null);
  const namespaces = served.filter((m) => m.kind === 'Namespace');
  for (const m of namespaces)
    await expectOk(applyManifest(client, discovery, m), `apply Namespace ${String(m.metadata['name'])}`);
  await ensureNamespaces(client, served);
  for (const m of served.filter((x) => x.kind !== 'Namespace')) {
    await expectOk(applyManifest(client, discovery, m), `apply ${m.kind} ${String(m.metadata['name'])} from ${path}`);
  }
  return { applied: served, unserved: all.filter((m) => !served.includes(m)) };
}
