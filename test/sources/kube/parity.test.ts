/**
 * Parity: the same objects served by the (mock) API server and given as manifests give
 * identical explanations; so does the file `meshdbg snapshot` writes, read back with --from.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import type { MockResource } from '../../helpers/kube-api-server.js';
import { explain } from '../../../src/engine/explain.js';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import { loadSnapshotFrom, snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { parseQuery } from '../../../src/parsers/explain-query.js';
import { runSnapshot } from '../../../src/commands/snapshot.js';
import { createLiveSource } from '../../../src/sources/kube/live-source.js';
import { SNAPSHOT_KINDS, apiVersionOf, isMeshConfigMap } from '../../../src/sources/kube/kinds.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { contextFor, writeKubeconfig } from './support/fixtures.js';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
const examples = readdirSync(examplesDir).filter((d) => {
  try {
    return readdirSync(join(examplesDir, d)).includes('expect.yaml');
  } catch {
    return false;
  }
});

// a cluster without the Calico API server: its Calico objects are the crd.projectcalico.org/v1 ones
// (with the API server, projectcalico.org/v3 serves those same objects and is read instead)
const ALL_KINDS: MockResource[] = SNAPSHOT_KINDS.filter((k) => k.group !== 'projectcalico.org').map((k) => ({
  group: k.group,
  version: k.versions[0] ?? 'v1',
  kind: k.kind,
  plural: k.plural,
  namespaced: k.namespaced,
}));

let api: KubeApiServer;
afterEach(() => api.close());

function served(object: Readonly<Record<string, unknown>>): boolean {
  return ALL_KINDS.some((r) => apiVersionOf(r.group, r.version) === object['apiVersion'] && r.kind === object['kind']);
}

/** The example's objects as a cluster would hold them (namespace-less ones applied to default). */
async function clusterObjects(example: string): Promise<Record<string, unknown>[]> {
  const loaded = await loadManifests([join(examplesDir, example, 'manifests')]);
  return loaded.objects
    .map((o) => o.object)
    .filter(served)
    .map((o) => {
      const spec = ALL_KINDS.find((r) => r.kind === o['kind'] && apiVersionOf(r.group, r.version) === o['apiVersion']);
      const meta = { ...(o['metadata'] as Record<string, unknown>) };
      if (spec?.namespaced && meta['namespace'] === undefined) meta['namespace'] = 'default';
      return structuredClone({ ...o, metadata: meta });
    });
}

function apiOrder(o: Record<string, unknown>): string {
  const meta = o['metadata'] as { namespace?: string; name: string };
  return `${meta.namespace ?? ''}/${meta.name}`;
}

function explainAll(snapshot: Snapshot, example: string): string[] {
  const entries = yaml.load(readFileSync(join(examplesDir, example, 'expect.yaml'), 'utf8')) as Record<
    string,
    unknown
  >[];
  return entries.map((entry) => {
    const { expect: _e, ...query } = entry;
    return JSON.stringify(explain(snapshot, parseQuery(query)));
  });
}

function writeManifest(objects: readonly Record<string, unknown>[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-parity-')), 'objects.yaml');
  writeFileSync(file, yaml.dump({ apiVersion: 'v1', kind: 'List', items: objects }));
  return file;
}

describe.each(examples)('parity for examples/%s', (example) => {
  it('live objects and manifests give identical explanations, and so does the snapshot file', async () => {
    api = await KubeApiServer.start(ALL_KINDS);
    const objects = await clusterObjects(example);
    for (const o of objects) api.put(o);
    const live = createLiveSource({
      context: contextFor(api),
      namespaces: [],
      allNamespaces: false,
      requestTimeoutMs: 2000,
      watch: false,
    });
    await live.start();
    const liveSnapshot = snapshotFromObjects(live.objects(), null, 'cluster mock', 'cluster');
    // Written in the order the API lists objects (by namespace and name): the engine currently
    // reports isolating policies in input order, so file order would change the summaries.
    const manifest = objects
      .filter((o) => o['kind'] !== 'ConfigMap' || isMeshConfigMap(o))
      .sort((a, b) => apiOrder(a).localeCompare(apiOrder(b)));
    const fromManifests = (await loadSnapshotFrom([writeManifest(manifest)], null)).snapshot;
    const expected = explainAll(fromManifests, example);
    expect(expected.length).toBeGreaterThan(0);
    expect(explainAll(liveSnapshot, example)).toEqual(expected);

    let written = '';
    const code = await runSnapshot(['snapshot'], {
      stdout: { write: (t: string) => (written += t) },
      stderr: { write: () => true },
      env: { KUBECONFIG: writeKubeconfig(api) },
      now: () => new Date('2026-11-22T10:00:00Z'),
    });
    expect(code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-snap-'));
    writeFileSync(join(dir, 'cluster.yaml'), written);
    const fromSnapshotFile = (await loadSnapshotFrom([join(dir, 'cluster.yaml')], null)).snapshot;
    expect(explainAll(fromSnapshotFile, example)).toEqual(expected);
  });
});
