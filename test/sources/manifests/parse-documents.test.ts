import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { findDuplicateKey } from '../../../src/sources/manifests/json-error.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/manifests/${name}`, import.meta.url), 'utf8');
const names = (text: string, file = 'x.yaml'): string[] =>
  parseManifestText(file, text).objects.map(
    (o) => `${String(o.object['kind'])}/${String((o.object['metadata'] as { name: string }).name)}`,
  );

describe('YAML', () => {
  it('reads every document of a multi-document file', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n';
    expect(names(text)).toEqual(['Namespace/a', 'Namespace/b']);
  });

  it('skips empty documents (leading ---, trailing ---, comment-only)', () => {
    const text = '---\n# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n';
    const parsed = parseManifestText('x.yaml', text);
    expect(parsed.objects).toHaveLength(1);
    expect(parsed.findings).toEqual([]);
  });

  it('records the 1-based line of each object, past comments and separators', () => {
    const text =
      '# header\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n\n# note\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n';
    expect(parseManifestText('x.yaml', text).objects.map((o) => o.loc?.line)).toEqual([2, 8]);
  });

  it('records the file and document index of each object', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n';
    expect(parseManifestText('dir/x.yaml', text).objects.map((o) => o.loc)).toEqual([
      { file: 'dir/x.yaml', line: 1, doc: 0 },
      { file: 'dir/x.yaml', line: 5, doc: 1 },
    ]);
  });

  it('gives nested objects their own source line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: app\n';
    const raw = parseManifestText('x.yaml', text).objects[0]!;
    const spec = raw.object['spec'] as Record<string, unknown>;
    expect(raw.lines?.get(spec)).toBe(6);
  });

  it('a syntax error is an error finding with file, line and column', () => {
    const parsed = parseManifestText('bad.yaml', fixture('syntax-error.yaml'));
    expect(parsed.objects).toEqual([]);
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]).toMatchObject({
      code: 'yaml-syntax',
      severity: 'error',
      loc: { file: 'bad.yaml', line: 5 },
    });
    expect(parsed.findings[0]?.message).toMatch(/^bad\.yaml:5:\d+: /);
  });

  it('refuses a billion-laughs file with yaml-alias-bomb and no objects', () => {
    const parsed = parseManifestText('lol.yaml', fixture('billion-laughs.yaml'));
    expect(parsed.objects).toEqual([]);
    expect(parsed.findings.map((f) => [f.code, f.severity])).toEqual([['yaml-alias-bomb', 'error']]);
    expect(parsed.findings[0]?.message).toContain('lol.yaml');
  });

  it('accepts a few ordinary anchors and aliases', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: &l {app: a}}\nspec:\n  containers: [{name: app}]\n  nodeSelector: *l\n';
    expect(names(text)).toEqual(['Pod/a']);
  });

  it('a document without apiVersion/kind is reported, not silently dropped', () => {
    const parsed = parseManifestText('x.yaml', 'metadata: {name: a}\n');
    expect(parsed.objects).toEqual([]);
    expect(parsed.findings.map((f) => f.code)).toEqual(['not-an-object']);
    expect(parsed.findings[0]?.message).toContain('x.yaml');
  });

  it('a scalar document is reported as not an object', () => {
    expect(parseManifestText('x.yaml', 'just a string\n').findings.map((f) => f.code)).toEqual(['not-an-object']);
  });
});

describe('!!binary, as kubectl reads it (go-yaml v2 decode.go: base64-decoded into a string)', () => {
  const pod = (value: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: ${value}}\nspec: {containers: [{name: c}]}\n`;
  const labels = (text: string): unknown =>
    (parseManifestText('x.yaml', text).objects[0]?.object['metadata'] as { labels: unknown }).labels;

  it('is the decoded text, newlines in the data ignored', () => {
    expect(labels(pod('!!binary YWJj'))).toEqual({ app: 'abc' });
    const block =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: !!binary |\n      YW\n      Jj\n';
    expect(labels(block)).toEqual({ app: 'abc' });
  });

  it('bytes that are not UTF-8 become U+FFFD, as encoding/json writes them', () => {
    expect(labels(pod('!!binary /w=='))).toEqual({ app: '\ufffd' });
  });

  it('data that is not base64 is a syntax error with its line, in go-yaml words', () => {
    const r = parseManifestText('x.yaml', pod('!!binary "YQ=*"'));
    expect(r.objects).toEqual([]);
    expect(r.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^x\.yaml:5:\d+: !!binary value contains invalid base64 data/),
    ]);
  });
});

describe('YAML 1.1 scalars, as kubectl reads them (gopkg.in/yaml.v2 resolve.go, under sigs.k8s.io/yaml)', () => {
  const value = (v: string): unknown =>
    parseManifestText('x.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nv: ${v}\n`).objects[0]?.object[
      'v'
    ];

  it.each([
    ['y', true],
    ['Y', true],
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['on', true],
    ['On', true],
    ['ON', true],
    ['n', false],
    ['N', false],
    ['no', false],
    ['No', false],
    ['NO', false],
    ['off', false],
    ['Off', false],
    ['OFF', false],
    ['true', true],
    ['False', false],
  ])('%s is the boolean %s', (text, want) => {
    expect(value(text)).toBe(want);
  });

  it.each([
    ['010', 8],
    ['-010', -8],
    ['0755', 493],
    ['0o10', 8],
    ['0x10', 16],
    ['1_000', 1000],
    ['08', 8],
    ['0', 0],
  ])('%s is the integer %s (a leading 0 is octal: strconv.ParseInt base 0)', (text, want) => {
    expect(value(text)).toBe(want);
  });

  it('quoted words and other text stay strings', () => {
    expect(value('"yes"')).toBe('yes');
    expect(value("'off'")).toBe('off');
    expect(value('yes please')).toBe('yes please');
    expect(value('yess')).toBe('yess');
    expect(value('oN')).toBe('oN');
  });

  it('an unquoted yes in a label is a boolean the API server refuses, and the error says to quote it', () => {
    const r = parseManifestText('x.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: yes}}\n');
    expect((r.objects[0]?.object['metadata'] as { labels: unknown }).labels).toEqual({ app: true });
  });
});

describe('Lists', () => {
  it('flattens kind: List items', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n';
    expect(names(text)).toEqual(['Namespace/a', 'Pod/p']);
  });

  it('PodList items without kind/apiVersion take them from the list', () => {
    const parsed = parseManifestText('podlist.yaml', fixture('podlist.yaml'));
    expect(parsed.objects.map((o) => [o.object['kind'], o.object['apiVersion']])).toEqual([
      ['Pod', 'v1'],
      ['Pod', 'v1'],
    ]);
  });

  it('every item of a long List gets its exact line (line lookup past the first items)', () => {
    const item = (i: number): string =>
      `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p${i}\n  spec:\n    containers: [{name: app}]`;
    const text = `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: 300 }, (_, i) => item(i)).join('\n')}\n`;
    const lines = parseManifestText('big.yaml', text).objects.map((o) => o.loc?.line);
    expect(lines).toEqual(Array.from({ length: 300 }, (_, i) => 4 + i * 6));
  });

  it('List items keep their own source line', () => {
    const parsed = parseManifestText('podlist.yaml', fixture('podlist.yaml'));
    expect(parsed.objects.map((o) => o.loc?.line)).toEqual([4, 9]);
  });
});

describe('JSON', () => {
  it('invalid JSON is one line naming file, line and column', () => {
    const parsed = parseManifestText('bad.json', '{\n  "apiVersion": "v1",\n  "kind": \n}\n');
    expect(parsed.findings[0]).toMatchObject({ code: 'yaml-syntax', loc: { file: 'bad.json', line: 4 } });
    expect(parsed.findings[0]?.message).toMatch(/^bad\.json:4:1: /);
    expect(parsed.findings[0]?.message).not.toContain('\n');
  });

  // kubectl's default --validate=strict: "fail the request if invalid ... unknown or duplicate
  // fields" (kubectl apply --help); the same key twice in YAML is refused too (duplicated mapping key)
  it('a key named twice in one object is refused like the same YAML, naming the place, as kubectl apply refuses it', () => {
    const text = '{"apiVersion": "v1", "kind": "Namespace",\n "metadata": {"name": "a", "labels": {}, "name": "b"}}';
    const parsed = parseManifestText('dup.json', text);
    expect(parsed.objects).toEqual([]);
    expect(parsed.findings).toEqual([
      expect.objectContaining({ code: 'yaml-syntax', severity: 'error', loc: { file: 'dup.json', line: 2, doc: 0 } }),
    ]);
    expect(parsed.findings[0]?.message).toBe(
      'dup.json:2:42: invalid JSON: duplicate key "name" in one object (kubectl apply refuses it: "strict decoding error: duplicate field"); keep one',
    );
    const yamlTwin = parseManifestText(
      'dup.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {}, name: b}\n',
    );
    expect([yamlTwin.objects, yamlTwin.findings.map((f) => [f.code, f.severity])]).toEqual([
      [],
      [['yaml-syntax', 'error']],
    ]);
  });

  it('the same key in different objects, in arrays, in strings or spelt with escapes is read right', () => {
    const ok = [
      '{"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}], "k": 3}',
      '{"a": "\\"k\\": 1, \\"k\\"", "k": "{\\"k\\":1}", "l": ["k", "k"]}',
      '{"a\\\\": 1, "a": 2}',
    ];
    for (const t of ok) expect(findDuplicateKey(t), t).toBeNull();
    expect(findDuplicateKey('{"x": [{"k": 1, "\\u006b": 2}]}')).toMatchObject({ key: 'k', offset: 16 });
    expect(findDuplicateKey('{"a": 1, "b": {"c": [1, {"d": 1}], "d": 2}, "a": 3}')).toMatchObject({
      key: 'a',
      offset: 44,
    });
  });

  it('the duplicate-key scan is one pass: a 4 MB List of 100,000 objects with no backslash', () => {
    // a scan that looks back for escapes per key reads the whole text each time (this took minutes)
    const items = Array.from({ length: 100_000 }, (_, i) => `{"kind":"Namespace","metadata":{"name":"n${i}"}}`);
    expect(findDuplicateKey(`{"kind":"List","items":[${items.join(',')}]}`)).toBeNull();
  });

  it('a JSON file starting with a UTF-8 BOM is read like the same YAML file', () => {
    const parsed = parseManifestText(
      'bom.json',
      '\uFEFF{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}',
    );
    expect(parsed.findings).toEqual([]);
    expect(parsed.objects).toHaveLength(1);
  });

  it('a YAML file starting with a UTF-8 BOM is read', () => {
    expect(names('\uFEFFapiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n')).toEqual(['Namespace/a']);
  });

  it('CRLF line endings keep the object lines right', () => {
    const text =
      'apiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: a}\r\n---\r\n\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: b}\r\n';
    expect(parseManifestText('crlf.yaml', text).objects.map((o) => o.loc?.line)).toEqual([1, 6]);
  });

  it('reads a .json file (a List)', () => {
    expect(names(fixture('list.json'), 'list.json')).toEqual(['Namespace/shop', 'Pod/web']);
  });

  it('reads JSON text without a .json name when it starts with {', () => {
    expect(names('{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}', 'stdin')).toEqual([
      'Namespace/a',
    ]);
  });

  it('invalid JSON is a yaml-syntax error naming the file', () => {
    const parsed = parseManifestText('bad.json', '{"apiVersion": "v1", "kind": }');
    expect(parsed.objects).toEqual([]);
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]).toMatchObject({ code: 'yaml-syntax', severity: 'error', loc: { file: 'bad.json' } });
    expect(parsed.findings[0]?.message).toMatch(/^bad\.json/);
  });
});
