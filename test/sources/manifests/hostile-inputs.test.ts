/** Issue 17: --from directories with FIFOs, YAML names that parse as non-strings, over-long names, big files. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import { snapshotFromObjects } from '../../../src/model/snapshot-from-objects.js';
import { findingsOfYaml } from '../../helpers/snapshot.js';

describe('hostile --from input', () => {
  it('a FIFO under a --from directory is skipped with a warning, never read (reading it would hang)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-fifo-'));
    mkdirSync(join(dir, 'sub'));
    execFileSync('mkfifo', [join(dir, 'sub', 'pipe.yaml')]);
    writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    const loaded = await loadManifests([dir]);
    expect(loaded.objects).toHaveLength(1);
    expect(loaded.findings).toContainEqual(
      expect.objectContaining({
        code: 'skipped-file',
        severity: 'warning',
        message: `${join(dir, 'sub', 'pipe.yaml')}: skipped: not a regular file (a FIFO, socket or device)`,
      }),
    );
  });

  it('names YAML reads as dates or numbers stay the strings kubectl sends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-names-'));
    writeFileSync(
      join(dir, 'names.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: 2001-12-14, namespace: 123}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: 123}\n',
    );
    const metas = (await loadManifests([dir])).objects.map((o) => o.object['metadata']);
    expect(metas).toEqual([{ name: '2001-12-14', namespace: '123' }, { name: '123' }]);
  });

  it('a name over 253 characters is refused at once (an error) and never echoed whole', () => {
    const name = 'a'.repeat(100_000);
    const findings = findingsOfYaml(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a}\n`);
    const f = findings.find((x) => x.code === 'invalid-name');
    expect(f?.severity).toBe('error');
    expect(f?.message.length).toBeLessThan(300);
  });

  it('a 200k-object List loads (no stack-bounded spread)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-big-'));
    const items = Array.from({ length: 200_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `c${i}`, namespace: 'a' },
    }));
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    expect((await loadManifests([dir])).objects).toHaveLength(200_000);
  }, 60_000);

  it('150k Istio objects with a finding each build a Snapshot (findings appended without a spread)', () => {
    const objects = Array.from({ length: 150_000 }, (_, i) => ({
      object: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: `p${i}`, namespace: 'a' },
        spec: { action: 'DENY' }, // DENY without rules: a finding on every object
      },
      loc: null,
      lines: null,
    }));
    const snapshot = snapshotFromObjects(objects, null, 'big', 'manifests');
    expect(snapshot.findings.filter((f) => f.object?.kind === 'AuthorizationPolicy').length).toBeGreaterThanOrEqual(
      150_000,
    );
  }, 120_000);
});
