import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import type { LoadProgress } from '../../../src/sources/load-progress.js';

const pod = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: app, image: nginx}]}\n`;

describe('loadManifests progress', () => {
  it('reports the files found, then each file read with the objects so far', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-progress-'));
    writeFileSync(join(dir, 'a.yaml'), `${pod('a1')}---\n${pod('a2')}`);
    writeFileSync(join(dir, 'b.yaml'), pod('b1'));
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }),
    );
    const reports: LoadProgress[] = [];
    const loaded = await loadManifests([dir], { onProgress: (p) => reports.push(p) });
    // outside the working directory: the path as found
    const name = (f: string): string => join(dir, f);
    expect(loaded.objects).toHaveLength(4);
    expect(reports).toEqual([
      { unit: 'file', objects: 0, done: 0, pending: [name('a.yaml'), name('b.yaml'), name('c.json')] },
      { unit: 'file', objects: 2, done: 1, pending: [name('b.yaml'), name('c.json')] },
      { unit: 'file', objects: 3, done: 2, pending: [name('c.json')] },
      { unit: 'file', objects: 4, done: 3, pending: [] },
    ]);
  });
});
