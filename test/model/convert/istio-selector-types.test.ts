/**
 * The CRD schema types an Istio workload selector's matchLabels values as strings, so the API
 * server refuses `app: 5` or `app: true`. meshdbg read the number as the label "5", matched no
 * pod, and answered (allowed, exit 0) about a DENY policy kubectl would not have applied; now it is
 * an invalid-field error with the quoting fix.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../../src/model/snapshot-from-objects.js';

const errors = (text: string): string[] =>
  snapshotFromObjects(parseManifestText('p.yaml', text).objects, null, 'test')
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `${f.code} ${f.message}`);

const AP = (value: string): string =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: x, namespace: a}\nspec:\n  selector: {matchLabels: {app: ${value}}}\n  action: DENY\n  rules: [{}]\n`;

describe('Istio selector label values', () => {
  it.each([
    ['5', '5 must be a string: quote it'],
    ['true', 'true must be a string'],
    ['[a]', '["a"] must be a string'],
  ])('matchLabels app: %s is refused as the CRD schema refuses it', (value, words) => {
    expect(errors(AP(value))).toEqual([
      expect.stringContaining(`p.yaml:5: AuthorizationPolicy a/x: spec.selector.matchLabels.app: ${words}`),
    ]);
  });

  it('a string value is fine', () => {
    expect(errors(AP('"5"'))).toEqual([]);
  });
});
