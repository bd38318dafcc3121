/** Issue 17, "bounded resources and crashes": hostile values become findings or escaped text, never exit 70. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportFatal } from '../../src/commands/crash.js';
import { toJsonLine, toJsonPretty } from '../../src/report/json.js';
import { findingsOfYaml } from '../helpers/snapshot.js';

afterEach(() => vi.restoreAllMocks());

describe('hostile manifests and messages', () => {
  it('a NetworkPolicy whose spec is a scalar is an invalid-field finding, not a crash', () => {
    const findings = findingsOfYaml(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: a}\nspec: 5\n',
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: 'invalid-field',
        message: expect.stringContaining('spec: must be an object, not 5') as unknown,
      }),
    );
  });

  it('a Calico selector nested 5,000 parentheses deep is an invalid-selector finding, not a stack overflow', () => {
    const selector = `${'('.repeat(5000)}app == 'web'${')'.repeat(5000)}`;
    const findings = findingsOfYaml(
      `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: x, namespace: a}\nspec: {selector: "${selector}"}\n`,
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: 'invalid-selector',
        message: expect.stringContaining('parentheses nest more than 128 deep') as unknown,
      }),
    );
  });

  it('the internal-error path escapes and cuts what it prints (a crafted value cannot set the terminal title)', () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      err += String(chunk);
      return true;
    });
    expect(reportFatal(new Error(`boom \u001b]0;pwned\u0007 ${'x'.repeat(1000)}`))).toBe(70);
    expect(err).not.toMatch(/[\u001b\u0007]/);
    expect(err).toContain('boom \\x1b]0;pwned\\x07');
    expect(err.split('\n')[0]?.length).toBeLessThan(400);
  });

  it('JSON output escapes U+0080-U+009F (C1 controls such as CSI U+009B)', () => {
    expect(toJsonLine({ v: '\u009b31m\u0085' })).toBe('{"v":"\\u009b31m\\u0085"}');
    expect(toJsonPretty(['\u0080'])).toContain('"\\u0080"');
  });
});
