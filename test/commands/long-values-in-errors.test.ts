/**
 * Issue 17: error messages quote the input, but a 1 MB value (a name, a label, a selector
 * operator, a YAML line, a peer, a flag) is cut, never echoed whole: one helper
 * (util/cut-text.ts) behind MeshdbgError, findings, explain's Error lines, internal errors,
 * the API server's text and the 253-character name check.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cutLongValues, cutText, MAX_MESSAGE_CHARS, MAX_VALUE_CHARS } from '../../src/util/cut-text.js';
import { MAX_SERVER_TEXT, serverText } from '../../src/sources/kube/server-text.js';
import { checkNames } from '../../src/model/convert/consistency.js';
import type { Finding } from '../../src/model/findings.js';
import { ensureBuilt, fixture, runCli } from './cli-harness.js';

const BIG = 'x'.repeat(1 << 20);
// one argv string may not exceed 128 KiB (Linux MAX_ARG_STRLEN)
const ARG = 'x'.repeat(100_000);
const BIG_SPACED = 'word '.repeat(1 << 18);
const LONGEST_LINE = 3000;
const dir = mkdtempSync(join(tmpdir(), 'meshdbg-long-'));

function manifest(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const pod = (labels: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns, labels: {${labels}}}\nspec: {containers: [{name: c, image: i}]}\n`;
const netpol = (spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: ns}\nspec: ${spec}\n`;

const BAD_MANIFESTS: readonly (readonly [string, string])[] = [
  ['a 1 MB label value', pod(`app: ${BIG}`)],
  ['a 1 MB label key', pod(`${BIG}: a`)],
  ['a 1 MB name', pod('app: a').replace('name: p', `name: ${BIG}`)],
  ['a 1 MB selector operator', netpol(`{podSelector: {matchExpressions: [{key: a, operator: ${BIG}}]}}`)],
  ['a 1 MB cidr', netpol(`{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: ${BIG}}}]}]}`)],
  ['a 1 MB protocol', netpol(`{podSelector: {}, ingress: [{ports: [{protocol: ${BIG}}]}]}`)],
  ['a 1 MB value with spaces', netpol(`{podSelector: {}, ingress: [{ports: [{protocol: "${BIG_SPACED}"}]}]}`)],
  [
    'a 1 MB AuthorizationPolicy action',
    `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ap, namespace: ns}\nspec: {action: ${BIG}}\n`,
  ],
  ['a YAML syntax error on a 1 MB line', `apiVersion: v1\nkind: Pod\nmetadata: {name: "${BIG}\n`],
  ['a JSON syntax error on a 1 MB line', `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": ${BIG}}}`],
];

function expectShortOutput(r: { code: number | null; stdout: string; stderr: string }): void {
  expect(r.code).not.toBe(70);
  expect(r.code).not.toBeNull();
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) expect(line.length).toBeLessThan(LONGEST_LINE);
  expect(r.stdout.length + r.stderr.length).toBeLessThan(40_000);
}

beforeAll(() => {
  ensureBuilt();
}, 120_000);

describe('error messages cut long values', () => {
  it.each(BAD_MANIFESTS)('%s: lint and explain say what is wrong in short lines', (name, text) => {
    const file = manifest(`${name.replace(/\W+/g, '-')}.${text.startsWith('{') ? 'json' : 'yaml'}`, text);
    const lint = runCli(['lint', '--from', file]);
    expectShortOutput(lint);
    expect(lint.code).toBe(2);
    expect(`${lint.stdout}${lint.stderr}`).not.toContain('x'.repeat(MAX_VALUE_CHARS + 1));
    const explain = runCli(['explain', '--from', file, 'ns/p', 'ns/p', '--port', '80']);
    expectShortOutput(explain);
    expect(explain.code).toBe(2);
  });

  it('an unknown 1 MB peer, single and --batch, and a 1 MB flag value', () => {
    const world = fixture('world.yaml');
    expectShortOutput(runCli(['explain', '--from', world, `ns/${ARG}`, `ns/${ARG}`, '--port', '80']));
    expectShortOutput(runCli(['explain', '--from', world, `ns/${ARG}`, 'x', '--port', '80', '-o', 'json']));
    const batch = runCli(['explain', '--from', world, '--batch', '-'], {
      input: `${JSON.stringify({ src: `a/${BIG}`, dst: 'b', port: 1 })}\n{"src": "${BIG}\n`,
    });
    expectShortOutput(batch);
    expect(batch.stdout.trimEnd().split('\n')).toHaveLength(2);
    expectShortOutput(runCli(['explain', '--from', world, 'a', 'b', '-o', ARG]));
  });
});

describe('cutLongValues', () => {
  it('cuts each long run to its head and says how long it was; short text is unchanged', () => {
    expect(cutLongValues('name "abc" is bad')).toBe('name "abc" is bad');
    const cut = cutLongValues(`name ${BIG} is bad`);
    expect(cut).toBe(`name ${'x'.repeat(MAX_VALUE_CHARS - 3)}... (${BIG.length} characters, cut) is bad`);
    expect(cutLongValues(cut)).toBe(cut);
  });

  it('cuts a long message of short words as a whole', () => {
    const cut = cutLongValues(BIG_SPACED);
    expect(cut.length).toBeLessThan(MAX_MESSAGE_CHARS + 50);
    expect(cut.endsWith(`... (${BIG_SPACED.length} characters, cut)`)).toBe(true);
  });
});

describe('one cut for server text and long names (util/cut-text.ts cutText)', () => {
  it('a 1 MB Status message is one inert line cut as every error message is, saying how long it was', () => {
    const text = serverText(`boom\r\n${BIG}`);
    expect(text).toBe(`boom ${'x'.repeat(MAX_SERVER_TEXT - 8)}... (${BIG.length + 6} characters, cut)`);
    expect(serverText('short\tmessage')).toBe('short message');
  });

  it('a name over 253 characters is shown by its head with the same cut', () => {
    const name = 'a'.repeat(300);
    const sink: Finding[] = [];
    checkNames([{ object: { kind: 'Pod', metadata: { name } }, loc: null, lines: null }], sink);
    expect(sink[0]?.message).toBe(
      `Pod "${cutText(name, 43)}": metadata.name is 300 characters; Kubernetes names are at most 253`,
    );
    expect(cutText(name, 43)).toBe(`${'a'.repeat(40)}... (300 characters, cut)`);
  });
});
