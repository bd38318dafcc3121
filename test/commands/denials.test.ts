import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDenialLine, runDenials } from '../../src/commands/denials.js';
import type { Denial } from '../../src/correlate/denial.js';
import { MeshdbgError } from '../../src/util/errors.js';

const example = (p: string): string => fileURLToPath(new URL(`../../examples/${p}`, import.meta.url));
const SEED_004_LOG = example('np-test-authz-only/logs/np-test-nginx-2.istio-proxy.log');

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('meshdbg denials', () => {
  it('--from examples/np-test --logs <seed 004 lines>: names the policy rule 0 and shows its YAML', async () => {
    const code = await runDenials(['--from', example('np-test'), '--logs', SEED_004_LOG]);
    expect(code).toBe(0);
    const [line, ...yaml] = out.trimEnd().split('\n');
    expect(line).toContain('AuthorizationPolicy np-test-2/deny-all-ingress-using-authorizationpolicy rule 0');
    expect(line).toContain('unknown -> np-test-2/np-test-nginx-2');
    expect(line).toContain('denied');
    expect(yaml).toEqual(['    rules:', '      - {}']);
    expect(err).toBe('');
  });

  it('-o json: one Denial per line, source unknown without --from', async () => {
    expect(await runDenials(['--logs', SEED_004_LOG, '-o', 'json'])).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const d = JSON.parse(lines[0] ?? '') as Denial;
    expect(d).toMatchObject({
      kind: 'Denial',
      source: 'unknown',
      enforcement: 'enforced',
      count: 1,
      ruleRef: 'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
      layer: 'authz-deny',
    });
    expect(d.evidence).toHaveLength(2);
  });

  it("a node's CRI file: the envelope comes off and the pod is read from kubelet's path", async () => {
    // istio/istio#40584's destination line, as containerd stores it (kubelet pkg/kubelet/kuberuntime/logs)
    const line =
      '[2022-08-22T10:34:12.821Z] "- - -" 0 - - rbac_access_denied_matched_policy[ns[dev]-policy[ts-776dd07e]-rule[0]] "-" 2879 943 1 - "-" "-" "-" "-" "10.24.86.181:12417" inbound|12417|| 127.0.0.6:56622 10.24.86.181:12417 10.24.87.246:33482 outbound_.12417_._.ts.dev.svc.cluster.local -';
    const dir = join(mkdtempSync(join(tmpdir(), 'meshdbg-denials-')), 'pods', 'dev_ts-7d9f8_0b1c', 'istio-proxy');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, '0.log');
    writeFileSync(
      file,
      `2022-08-22T10:34:12.8Z stdout P ${line.slice(0, 90)}\n2022-08-22T10:34:12.8Z stdout F ${line.slice(90)}\n`,
    );
    expect(await runDenials(['--logs', file, '-o', 'json'])).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const d = JSON.parse(lines[0] ?? '') as Denial;
    expect(d).toMatchObject({
      kind: 'Denial',
      ruleRef: 'ns[dev]-policy[ts-776dd07e]-rule[0]',
      reporter: { pod: 'ts-7d9f8' },
    });
    expect(err).toBe('');
  });

  it('never a silent drop: lines that look like denials but are not understood are listed (text) and emitted as Unrecognized (json), redacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-denials-'));
    const file = join(dir, 'app.log');
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    writeFileSync(file, `ordinary line\ngateway said 403 to token ${jwt}\n`);
    expect(await runDenials(['--logs', file])).toBe(0);
    expect(out).toContain('no denials in the logs');
    expect(out).toContain('1 line look like denials but were not understood (');
    expect(out).toContain(`${file}: line 2)`);
    out = '';
    expect(await runDenials(['--logs', file, '-o', 'json'])).toBe(0);
    const records = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([
      { kind: 'Unrecognized', file, line: 2, text: 'gateway said 403 to token <redacted-jwt>' },
    ]);
  });

  it('reports unreadable log lines on stderr with file and line, and keeps going', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-denials-'));
    const file = join(dir, 'proxy.log');
    writeFileSync(
      file,
      '{broken json\n[2025-01-01T10:00:00.000Z] "GET / HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl" "id" "web" "-" inbound|80|| - 10.0.0.9:80 10.0.0.5:4000 - default\n',
    );
    expect(await runDenials(['--logs', file])).toBe(0);
    expect(err).toContain(`${file}:1: line 1 starts with { but is not valid JSON`);
    expect(out).toContain(
      '10.0.0.5 -> 10.0.0.9  GET / :80 -> 403  denied by sidecar  ALLOW policies: no rule matched [unknown]  no ALLOW rule matched',
    );
  });

  it('says so when the logs hold no denial, and adds CNI health notes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-denials-'));
    const file = join(dir, 'kube-router.log');
    writeFileSync(
      file,
      'E0802 15:18:35 network_policy_controller.go:302] Aborting sync. Failed to run iptables-restore: exit status 1\n',
    );
    expect(await runDenials(['--logs', file])).toBe(0);
    expect(out).toContain('no denials in the logs');
    expect(out).toContain('NetworkPolicies are not being enforced on this node');
  });

  it('bad input is exit-2 material: no --logs, missing file, bad -o', async () => {
    await expect(runDenials([])).rejects.toThrow(/no --logs given/);
    await expect(runDenials(['--logs', '/nonexistent/x.log'])).rejects.toThrow(
      /cannot read --logs \/nonexistent\/x.log: no such file or directory/,
    );
    const bad = await runDenials(['--logs', SEED_004_LOG, '-o', 'yaml']).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(MeshdbgError);
    expect((bad as MeshdbgError).exitCode).toBe(2);
  });
});

describe('denials: the policy column when the log names no rule', () => {
  const fixture = (p: string): string => fileURLToPath(new URL(`../fixtures/logs/constructed/${p}`, import.meta.url));
  it('a ztunnel DENY match (enforced or dry-run) is not called a default deny', async () => {
    expect(await runDenials(['--logs', fixture('ztunnel-forms.log')])).toBe(0);
    const lines = out.split('\n').filter((l) => /deny-reviews|dry-run-deny/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      expect(l).toContain('(the log names no rule)');
      expect(l).not.toContain('default deny');
    }
  });

  it('a NetworkPolicy that isolates the destination is its default deny', async () => {
    expect(await runDenials(['--logs', fixture('calico-forms.log')])).toBe(0);
    expect(out).toContain('NetworkPolicy b/default-deny (no rule: default deny)');
  });
});

describe('formatDenialLine', () => {
  it('adds the nearest miss of matched policy none', () => {
    const miss = {
      policy: {
        kind: 'AuthorizationPolicy',
        namespace: 'poc-mesh',
        name: 'backend-allow-frontend-read',
        rule: 0,
        ruleRef: 'r',
      },
      clauses: [
        { field: 'from[0].source.principals', ok: true, expected: ['p'], actual: 'p' },
        { field: 'to[0].operation.methods', ok: false, expected: ['GET'], actual: 'POST' },
      ],
    };
    const d = {
      kind: 'Denial',
      time: 't',
      lastTime: 't',
      cause: 'rbac',
      layer: 'authz-allow',
      policyId: null,
      policyInSnapshot: null,
      enforcement: 'enforced',
      attribution: 'inferred',
      confidence: 'certain',
      reporter: null,
      count: 1,
      source: 'unknown',
      destination: 'unknown',
      request: {
        protocol: 'HTTP',
        method: 'POST',
        path: '/api/orders',
        host: null,
        port: 8080,
        sni: null,
        status: 403,
      },
      policy: null,
      ruleRef: null,
      reason: 'no ALLOW rule matched',
      nearestMiss: [miss],
      heuristicJoin: false,
      evidence: [],
    } as Denial;
    expect(formatDenialLine(d)).toBe(
      't  unknown -> unknown  POST /api/orders :8080 -> 403  denied  ALLOW policies: no rule matched [inferred]  no ALLOW rule matched; nearest: AuthorizationPolicy poc-mesh/backend-allow-frontend-read rule 0: to[0].operation.methods wants GET, got POST',
    );
  });

  it('marks shadow denials, repeats and IP-only peers', () => {
    const d: Denial = {
      kind: 'Denial',
      time: 't0',
      lastTime: 't1',
      cause: 'rbac',
      layer: 'authz-deny',
      policyId: 'x',
      policyInSnapshot: null,
      enforcement: 'shadow',
      attribution: 'exact',
      confidence: 'certain',
      reporter: { kind: 'sidecar', pod: 'server-0' },
      count: 3,
      source: {
        namespace: 'a',
        name: 'client',
        kind: 'Pod',
        workload: null,
        ip: '10.0.0.5',
        principal: null,
        resolvedBy: 'ip',
        ipMayHaveChanged: true,
      },
      destination: 'unknown',
      request: { protocol: 'TCP', method: null, path: null, host: null, port: 9000, sni: null, status: null },
      policy: { kind: 'AuthorizationPolicy', namespace: 'b', name: 'p', rule: 2, ruleRef: 'x' },
      ruleRef: 'x',
      reason: 'why',
      nearestMiss: [],
      heuristicJoin: false,
      evidence: [],
    };
    expect(formatDenialLine(d)).toBe(
      't0  a/client (by IP 10.0.0.5, may have changed owner) -> unknown  TCP :9000  shadow-denied x3 by sidecar server-0  AuthorizationPolicy b/p rule 2 [exact]  why',
    );
  });
});

describe('meshdbg denials on the demo stream', () => {
  it('shows a rule YAML once, under its first denial; --verbose counts lines per file', async () => {
    const { printDemoLogs } = await import('../../src/sources/demo/print-logs.js');
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-denials-'));
    const file = join(dir, 'demo.log');
    let text = '';
    await printDemoLogs(example(''), 'np-test-authz-only', (c) => (text += c), { requests: 60 });
    writeFileSync(file, text);
    expect(await runDenials(['--from', example('np-test-authz-only'), '--logs', file, '--verbose'])).toBe(0);
    const lines = out.trimEnd().split('\n');
    const denialLines = lines.filter((l) =>
      l.includes('AuthorizationPolicy np-test-2/deny-all-ingress-using-authorizationpolicy rule 0'),
    );
    expect(denialLines.length).toBeGreaterThan(1);
    expect(lines.filter((l) => l === '    rules:')).toHaveLength(1);
    expect(err).toMatch(/demo\.log: \d+ lines, \d+ events, 0 lines in no known format/);
  });
});
