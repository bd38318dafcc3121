import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, runCli } from './cli-harness.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

describe('lint PATH (issue 16): the path as --from takes it, never the cluster', () => {
  it('reads a positional path exactly as --from reads it', () => {
    const positional = runCli(['lint', fixture('lint-errors.yaml')]);
    const flagged = runCli(['lint', '--from', fixture('lint-errors.yaml')]);
    expect(positional.code).toBe(2);
    expect(positional.stderr).toBe(flagged.stderr);
    expect(positional.stdout).toBe(flagged.stdout);
  });

  it('takes several paths, and PATH together with --from', () => {
    const both = runCli(['lint', 'examples/legacy-rbac', '--from', fixture('lint-errors.yaml')]);
    expect(both.stderr).toContain('nonexistent-istio-kind');
    expect(both.stderr).toContain('invalid-cidr');
  });
});

describe('kubectl plugin', () => {
  it('installs the same entry point as kubectl-meshdbg, so `kubectl meshdbg` runs it', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['kubectl-meshdbg']).toBe(pkg.bin['meshdbg']);
  });
});

describe('meshdbg completion', () => {
  it('prints the bash script on stdout and exits 0; an unknown shell exits 2', () => {
    const ok = runCli(['completion', 'bash']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('complete -F _meshdbg meshdbg kubectl-meshdbg');
    const bad = runCli(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bash, zsh, fish');
  });
});
