import { describe, expect, it, vi } from 'vitest';
import { NOT_A_TERMINAL, runTuiCommand } from '../../src/commands/tui.js';
import { examplesDir, listExamples, runDemo } from '../../src/commands/demo.js';

function captureStderr(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

describe('TUI entry points without a terminal', () => {
  it('refuses with a hint to use --explain, denials or check', async () => {
    const err = captureStderr();
    try {
      expect(await runTuiCommand(['--from', 'examples/poc-mesh'])).toBe(2);
      expect(await runDemo(['poc-mesh'])).toBe(2);
    } finally {
      err.restore();
    }
    expect(err.text()).toBe(NOT_A_TERMINAL + NOT_A_TERMINAL);
    expect(NOT_A_TERMINAL).toMatch(/--explain.*denials.*check/);
  });

  it('names the known examples when asked for an unknown one', async () => {
    await expect(runDemo(['nope'])).rejects.toThrow(/no bundled example "nope"/);
  });
});

describe('demo --print-logs', () => {
  it('writes the simulated proxy stream of the example, no terminal needed', async () => {
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      chunks.push(String(c));
      return true;
    });
    try {
      expect(await runDemo(['poc-mesh', '--print-logs'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const text = chunks.join('');
    expect(text).toMatch(/^\[pod\/[a-z-]+-\w+-\w+\/istio-proxy\] /m);
    expect(text).toContain(
      'rbac_access_denied_matched_policy[ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]]',
    );
  });
});

describe('demo examples', () => {
  it('finds the bundled examples', () => {
    expect(listExamples(examplesDir())).toEqual(expect.arrayContaining(['poc-mesh', 'np-test']));
  });
});
