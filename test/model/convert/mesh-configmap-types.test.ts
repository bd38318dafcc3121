/**
 * ConfigMap data values are strings (the API server refuses any other). A mesh ConfigMap whose
 * `data.mesh` was written as a YAML map (`mesh: {trustDomain: corp.local}`, the indentation of a
 * block scalar forgotten) was skipped without a word, and every answer used the default trust
 * domain and root namespace. It is now an invalid-field error naming the fix.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../../src/model/snapshot-from-objects.js';

const errors = (text: string): string[] =>
  snapshotFromObjects(parseManifestText('m.yaml', text).objects, null, 'test')
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.message);

const CM = (mesh: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: ${mesh}\n`;

describe('the mesh ConfigMap data.mesh', () => {
  it.each([
    ['a map', '{trustDomain: corp.local}'],
    ['a number', '5'],
    ['a list', '[a]'],
  ])('as %s: an error naming the field and the fix', (_, mesh) => {
    expect(errors(CM(mesh))).toEqual([
      expect.stringMatching(/^m\.yaml:\d+: ConfigMap istio-system\/istio: data\.mesh must be a string .*mesh: \|/),
    ]);
  });

  it('as a block scalar: read, no error', () => {
    expect(errors(CM('|\n    trustDomain: corp.local'))).toEqual([]);
  });
});
