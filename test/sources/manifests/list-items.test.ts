/**
 * Items of a `kind: List` that are not maps (null, a scalar, a nested list, as a bad template or a
 * hand-edited `kubectl get -o yaml` leaves them) were dropped without a word, and a policy written
 * inside a nested list with them. They were then warnings, which explain never shows: a DENY
 * policy next to them was still read, but one inside a List inside a List was read as one object
 * of the unknown kind List and left out (an info), and explain answered "allowed". kubectl flattens
 * a List inside a List (cli-runtime FlattenListVisitor) and refuses the rest, so now: nested Lists
 * are flattened, and the rest, like a document without apiVersion/kind, is an error (exit 2).
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

const DENY =
  '{apiVersion: security.istio.io/v1, kind: AuthorizationPolicy, metadata: {name: deny, namespace: a}, spec: {action: DENY, rules: [{}]}}';

const kinds = (text: string): string[] =>
  parseManifestText('l.yaml', text).objects.map(
    (o) => `${String(o.object['kind'])}/${String((o.object['metadata'] as { name: string }).name)}`,
  );

describe('kind: List items that are not objects', () => {
  it('each is an error with its index and what it is; the map items are read', () => {
    const { objects, findings } = parseManifestText('list.yaml', LIST);
    expect(objects.map((o) => o.object['kind'])).toEqual(['Namespace']);
    const messages = findings.map((f) => `${f.severity} ${f.code} ${f.message}`);
    expect(messages).toEqual([
      expect.stringContaining('error not-an-object list.yaml:4: document 1: items[0] is null, not a Kubernetes object'),
      expect.stringContaining('items[1] is a number'),
      expect.stringMatching(
        /list\.yaml:6: document 1: items\[2\] is a list, not a Kubernetes object .*; write each item as a map/,
      ),
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

describe('a List inside a List (kubectl flattens it)', () => {
  it('its items are read, at any depth, with their lines', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - ${DENY}\n  - apiVersion: v1\n    kind: NetworkPolicyList\n    items: [{metadata: {name: np, namespace: a}, spec: {}}]\n`;
    const parsed = parseManifestText('l.yaml', text);
    expect(parsed.findings).toEqual([]);
    expect(kinds(text)).toEqual(['AuthorizationPolicy/deny', 'NetworkPolicy/np']);
    expect(parsed.objects.map((o) => o.loc?.line)).toEqual([7, 10]);
  });

  it('a bad item of an inner List is named by its path', () => {
    const { findings } = parseManifestText(
      'l.yaml',
      'kind: List\napiVersion: v1\nitems:\n- {kind: List, apiVersion: v1, items: [~]}\n',
    );
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('items[0].items[0] is null')]);
  });
});

describe('a List whose items are no list', () => {
  it.each([
    ['a string', '"abc"'],
    ['a number', '3'],
    ['an object', `${DENY}`],
  ])('items as %s: an error naming the field, nothing read', (_, value) => {
    const { objects, findings } = parseManifestText('l.yaml', `apiVersion: v1\nkind: List\nitems: ${value}\n`);
    expect(objects).toEqual([]);
    expect(findings.map((f) => [f.severity, f.code])).toEqual([['error', 'not-an-object']]);
    expect(findings[0]?.message).toMatch(/^l\.yaml:1: document 1: items is an? \w+, not a list of objects/);
  });

  it('an empty List (items null or left out) holds nothing and is no problem', () => {
    for (const items of ['items: null\n', 'items: []\n', ''])
      expect(parseManifestText('l.yaml', `apiVersion: v1\nkind: List\n${items}`).findings).toEqual([]);
  });
});

describe('a document without apiVersion or kind (kubectl: "Object \'Kind\' is missing")', () => {
  it('is an error naming what is missing, not a warning explain never shows', () => {
    const { findings } = parseManifestText(
      'p.yaml',
      'Kind: AuthorizationPolicy\napiVersion: security.istio.io/v1\nmetadata: {name: x}\n---\nmetadata: {name: y}\n---\njust text\n',
    );
    expect(findings.map((f) => `${f.severity} ${f.message}`)).toEqual([
      expect.stringContaining('error p.yaml:1: document 1 has no kind'),
      expect.stringContaining('error p.yaml:5: document 2 has no apiVersion and kind'),
      expect.stringContaining('error p.yaml: document 3 is a string, not a Kubernetes object'),
    ]);
  });
});
