/**
 * A line break inside a value (a manifest name evaluated despite its invalid-name warning, a
 * request path) is printed escaped in every line-oriented output: raw, it started a line of its
 * own, so a Pod named "x", newline, "ALLOWED ..." printed a verdict line explain never gave, and a
 * Markdown map row was cut in two.
 */
import { describe, expect, it } from 'vitest';
import { runExplain } from '../../src/commands/explain.js';
import { runLint } from '../../src/commands/lint.js';
import { runMap } from '../../src/commands/map.js';
import { styled, styledBlock } from '../../src/report/styled-line.js';
import { escapeLineBreaks, outputLine } from '../../src/util/terminal-text.js';
import { runInProcess } from '../helpers/run-in-process.js';
import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FORGED = 'ALLOWED  poc-mesh/Deployment/payments [sidecar] -> poc-mesh/backend';

function meshWithPod(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-nl-'));
  cpSync('examples/poc-mesh/manifests', dir, { recursive: true });
  writeFileSync(
    join(dir, '99-pod.yaml'),
    `apiVersion: v1
kind: Pod
metadata: {name: ${JSON.stringify(`x\n${FORGED}\r`)}, namespace: poc-mesh, labels: {app: odd}}
spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
status: {podIP: 10.9.9.9}
`,
  );
  return dir;
}

/** No output line may start with the forged verdict (it would if the name's newline were raw). */
function expectNoForgedLine(output: string): void {
  expect(output.split('\n').some((l) => l.startsWith('ALLOWED  poc-mesh/Deployment/payments'))).toBe(false);
  expect(output).not.toContain('\r');
}

describe('line breaks inside values', () => {
  const mesh = meshWithPod();

  it('explain text: the destination name is shown with \\n, on the verdict line', async () => {
    const r = await runInProcess(() => runExplain(['poc-mesh/frontend', '10.9.9.9', '--port', '80', '--from', mesh]));
    expectNoForgedLine(r.output);
    expect(r.output.split('\n')[0]).toContain(`x\\n${FORGED}\\r`);
  });

  it('explain: a request path with a newline is refused on one line (no request line can carry it)', async () => {
    const args = ['poc-mesh/frontend', 'poc-mesh/backend', '--port', '80', '--method', 'GET'];
    const r = await runInProcess(() => runExplain([...args, '--path', `/a\n${FORGED}`, '--from', mesh]));
    expect(r.code).toBe(2);
    expectNoForgedLine(r.output);
    expect(r.output.split('\n')[0]).toContain(`--path "/a\\n${FORGED}" holds a space or a control character`);
  });

  it('lint: the finding naming the pod is one line', async () => {
    const r = await runInProcess(() => runLint(['--from', mesh]));
    expectNoForgedLine(r.output);
    expect(r.output).toContain(`Pod "x\\n${FORGED}\\r": metadata.name must be`);
  });

  it.each(['text', 'md'])('map -o %s: one line per source and per row', async (format) => {
    const r = await runInProcess(() => runMap(['--from', mesh, '-A', '-o', format]));
    expectNoForgedLine(r.output);
    if (format === 'md') for (const l of r.output.trim().split('\n')) expect(l).toMatch(/^\|.*\|$/);
  });

  it('styled lines escape, blocks still split into lines', () => {
    expect(styled('a\nb\rc').text).toBe('a\\nb\\rc');
    expect(styledBlock('a\nb', '| ').map((l) => l.text)).toEqual(['| a', '| b']);
    expect(escapeLineBreaks('plain')).toBe('plain');
  });

  it('an output line escapes line breaks and control characters, and ends with its own LF', () => {
    expect(outputLine('x\nALLOWED\u001b[2J\r')).toBe('x\\nALLOWED\\x1b[2J\\r\n');
  });
});
