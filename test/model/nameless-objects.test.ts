/**
 * kubectl refuses an object without metadata.name ("resource name may not be empty"). Such an
 * object was evaluated with a warning explain never shows: a nameless deny-all NetworkPolicy
 * decided answers as "NetworkPolicy poc-mesh/" with exit 1. It is now a missing-field error and
 * the object is not read; generateName (kubectl create) still counts as a name.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../src/model/snapshot-from-objects.js';

const snapshot = (text: string) => snapshotFromObjects(parseManifestText('n.yaml', text).objects, null, 'test');
const NP = (meta: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: ${meta}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`;

describe('objects without a name', () => {
  it.each([
    ['no name', '{namespace: a}', 'is missing'],
    ['an empty name', '{name: "", namespace: a}', 'is missing'],
    ['a name that is a map', '{name: {x: 1}, namespace: a}', 'is no string'],
  ])('%s: a missing-field error, and the policy is not evaluated', (_, meta, words) => {
    const s = snapshot(NP(meta));
    expect(s.networkPolicies).toEqual([]);
    expect(s.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([
      `n.yaml:1: NetworkPolicy: metadata.name ${words} (kubectl refuses it: "resource name may not be empty"); give the object a name`,
    ]);
  });

  it('generateName is a name (kubectl create)', () => {
    const s = snapshot(NP('{generateName: np-, namespace: a}'));
    expect(s.findings.filter((f) => f.code === 'missing-field')).toEqual([]);
  });
});
