import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/sources/manifests/load.js';
import { MeshdbgError } from '../../../src/util/errors.js';

const dir = fileURLToPath(new URL('../../fixtures/manifests/', import.meta.url));
const kindsAndNames = (objects: { object: Record<string, unknown> }[]): string[] =>
  objects.map((o) => `${String(o.object['kind'])}/${String((o.object['metadata'] as { name: string }).name)}`);

describe('loadManifests', () => {
  it('searches a directory recursively for .yaml, .yml and .json, in name order', async () => {
    const loaded = await loadManifests([`${dir}tree`]);
    expect(kindsAndNames(loaded.objects)).toEqual(['Namespace/shop', 'Service/web', 'Pod/web']);
    expect(loaded.files.map((f) => f.slice(f.indexOf('tree/')))).toEqual([
      'tree/namespace.yaml',
      'tree/nested/deeper/service.json',
      'tree/nested/pod.yml',
    ]);
  });

  it('ignores files that are not manifests (README.md)', async () => {
    const loaded = await loadManifests([`${dir}tree`]);
    expect(loaded.files.some((f) => f.endsWith('.md'))).toBe(false);
    expect(loaded.findings).toEqual([]);
  });

  it('keeps the source line of an object read from a directory', async () => {
    const loaded = await loadManifests([`${dir}tree/nested/pod.yml`]);
    expect(loaded.objects[0]?.loc?.line).toBe(2);
    expect(loaded.objects[0]?.loc?.file).toMatch(/pod\.yml$/);
  });

  it('reads - from stdin once, named <stdin>', async () => {
    let reads = 0;
    const readStdin = async (): Promise<string> => {
      reads++;
      return 'apiVersion: v1\nkind: Namespace\nmetadata: {name: from-stdin}\n';
    };
    const loaded = await loadManifests(['-'], { readStdin });
    expect(kindsAndNames(loaded.objects)).toEqual(['Namespace/from-stdin']);
    expect(loaded.objects[0]?.loc?.file).toBe('<stdin>');
    expect(reads).toBe(1);
  });

  it('mixes files, directories and stdin in the order given', async () => {
    const readStdin = async (): Promise<string> => 'apiVersion: v1\nkind: Namespace\nmetadata: {name: s}\n';
    const loaded = await loadManifests(['-', `${dir}list.json`], { readStdin });
    expect(kindsAndNames(loaded.objects)).toEqual(['Namespace/s', 'Namespace/shop', 'Pod/web']);
  });

  it('a symlinked manifest file inside a directory is read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshdbg-link-'));
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real', 'ns.txt'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: linked}\n');
    symlinkSync(join('real', 'ns.txt'), join(root, 'ns.yaml'));
    expect(kindsAndNames((await loadManifests([root])).objects)).toEqual(['Namespace/linked']);
  });

  it('a ConfigMap-mounted directory (..data symlink, ..TIMESTAMP dir, file symlinks) loads each manifest once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshdbg-cm-'));
    mkdirSync(join(root, '..2026_11_22_10_00_00.123'));
    writeFileSync(
      join(root, '..2026_11_22_10_00_00.123', 'ns.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
    );
    symlinkSync('..2026_11_22_10_00_00.123', join(root, '..data'));
    symlinkSync(join('..data', 'ns.yaml'), join(root, 'ns.yaml'));
    const loaded = await loadManifests([root]);
    expect(kindsAndNames(loaded.objects)).toEqual(['Namespace/shop']);
    expect(loaded.findings).toEqual([]);
  });

  it('a missing path is an input error (exit 2) naming the path', async () => {
    const err = await loadManifests([`${dir}does-not-exist.yaml`]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshdbgError);
    expect((err as MeshdbgError).exitCode).toBe(2);
    expect((err as MeshdbgError).userMessage).toContain('does-not-exist.yaml');
  });

  it('a directory whose manifests are all broken links says so, naming them, not that it has no manifests', async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshdbg-broken-links-'));
    for (const name of ['a.yaml', 'b.yml', 'c.json', 'd.yaml']) symlinkSync(join('gone', name), join(root, name));
    const err = await loadManifests([root]).catch((e: unknown) => e);
    expect((err as MeshdbgError).exitCode).toBe(2);
    const message = (err as MeshdbgError).userMessage;
    expect(message).toContain('no readable .yaml, .yml or .json files in this directory');
    expect(message).toContain(`${join(root, 'a.yaml')} is unreadable or a broken link`);
    expect(message).toContain('and 1 more');
    const empty = await loadManifests([mkdtempSync(join(tmpdir(), 'meshdbg-empty-'))]).catch((e: unknown) => e);
    expect((empty as MeshdbgError).userMessage).toMatch(/: no \.yaml, \.yml or \.json files in this directory$/);
  });

  it('a syntax error comes back as a finding, the other files still load', async () => {
    const loaded = await loadManifests([`${dir}syntax-error.yaml`, `${dir}list.json`]);
    expect(loaded.findings.map((f) => f.code)).toEqual(['yaml-syntax']);
    expect(kindsAndNames(loaded.objects)).toEqual(['Namespace/shop', 'Pod/web']);
  });
});
