/**
 * Items of a `kind: List` that are not maps (null, a scalar, a nested list, as a bad template or a
 * hand-edited `kubectl get -o yaml` leaves them) were dropped without a word, and a policy written
 * inside a nested list with them: each is now a not-an-object warning naming the item.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';

const LIST = `apiVersion: v1
kind: List
items:
- null
- 3
- [{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: hidden, namespace: a}}]
- {apiVersion: v1, kind: Namespace, metadata: {name: a}}
`;

describe('kind: List items that are not objects', () => {
  it('each is a warning with its index and what it is; the map items are read', () => {
    const { objects, findings } = parseManifestText('list.yaml', LIST);
    expect(objects.map((o) => o.object['kind'])).toEqual(['Namespace']);
    const messages = findings.map((f) => `${f.severity} ${f.code} ${f.message}`);
    expect(messages).toEqual([
      expect.stringContaining(
        'warning not-an-object list.yaml:4: document 1: items[0] is null, not a Kubernetes object',
      ),
      expect.stringContaining('items[1] is a number'),
      expect.stringMatching(/list\.yaml:6: document 1: items\[2\] is a list, not a Kubernetes object; ignored/),
    ]);
  });

  it('a List of maps gives no finding', () => {
    const { findings } = parseManifestText(
      'ok.yaml',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n',
    );
    expect(findings).toEqual([]);
  });
});
