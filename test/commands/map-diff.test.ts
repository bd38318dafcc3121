/**
 * `meshdbg map` and `meshdbg diff` as a user runs them (DESIGN.md "map and diff"): the
 * ConnectivityMap and ConnectivityDiff JSON contracts, every output format, --focus, and
 * diff's exit codes for CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, ROOT } from './cli-harness.js';

const DIR = join(ROOT, 'test/fixtures/manifests/map-diff');
const BEFORE = join(DIR, 'before.yaml');

beforeAll(() => ensureBuilt());

function mapJson(args: readonly string[]) {
  const r = runCli(['map', ...args, '-o', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as {
    kind: string;
    workloads: { id: string; kind: string }[];
    edges: {
      src: string;
      dst: string;
      connections: { protocol: string; ports: number[][]; verdict: string; by: string[] }[];
    }[];
  };
}

describe('meshdbg map', () => {
  it('lists what the NetworkPolicy admits, with the rule that decides it', () => {
    const map = mapJson(['--from', BEFORE]);
    expect(map.kind).toBe('ConnectivityMap');
    expect(map.workloads.map((w) => w.id)).toEqual(
      expect.arrayContaining(['shop/Deployment/client', 'shop/Deployment/server', 'external/0.0.0.0/0']),
    );
    const edge = map.edges.find((e) => e.src === 'shop/Deployment/client' && e.dst === 'shop/Deployment/server');
    const tcp = edge?.connections.filter((c) => c.protocol === 'TCP');
    expect(tcp).toEqual([
      {
        protocol: 'TCP',
        ports: [[8080, 8080]],
        verdict: 'allowed',
        http: null,
        mtls: false,
        by: ['NetworkPolicy:shop/server-ingress:ingress[0]'],
      },
    ]);
    // the server is isolated for ingress: nothing else reaches it, on any protocol
    const back = map.edges.find((e) => e.src === 'shop/Deployment/server' && e.dst === 'shop/Deployment/client');
    expect(back?.connections.map((c) => c.protocol)).toEqual(['TCP', 'UDP', 'SCTP']);
    expect(map.edges.some((e) => e.src === 'external/0.0.0.0/0' && e.dst === 'shop/Deployment/server')).toBe(false);
  });

  it('--focus keeps only the edges of one workload', () => {
    const map = mapJson(['--from', BEFORE, '--focus', 'shop/client']);
    expect(map.edges.length).toBeGreaterThan(0);
    expect(map.edges.every((e) => e.src === 'shop/Deployment/client' || e.dst === 'shop/Deployment/client')).toBe(true);
  });

  it('--focus on an unknown workload is bad input with the way to name one', () => {
    const r = runCli(['map', '--from', BEFORE, '--focus', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--focus nope: no such workload');
  });

  it('prints text grouped by source, csv, md and dot', () => {
    const text = runCli(['map', '--from', BEFORE]).stdout;
    expect(text).toMatch(/^shop\/Deployment\/client\n {2}-> shop\/Deployment\/server {2}TCP 8080$/m);
    const csv = runCli(['map', '--from', BEFORE, '-o', 'csv']).stdout.split('\n');
    expect(csv[0]).toBe('src,dst,protocol,ports,verdict,http,by');
    expect(csv).toContain(
      'shop/Deployment/client,shop/Deployment/server,TCP,8080,allowed,,NetworkPolicy:shop/server-ingress:ingress[0]',
    );
    const md = runCli(['map', '--from', BEFORE, '-o', 'md']).stdout;
    expect(md).toContain(
      '| shop/Deployment/client | shop/Deployment/server | TCP | 8080 | allowed |  | NetworkPolicy:shop/server-ingress:ingress[0] |',
    );
    const dot = runCli(['map', '--from', BEFORE, '-o', 'dot']).stdout;
    expect(dot).toMatch(/^digraph meshdbg \{/);
    expect(dot).toContain('"shop/Deployment/client" -> "shop/Deployment/server" [label="TCP 8080", style=solid];');
  });

  it('marks HTTP-restricted connections with the ALLOW rules that admit requests', () => {
    const map = mapJson(['--from', join(ROOT, 'examples/poc-mesh'), '--focus', 'poc-mesh/Deployment/backend']);
    const edge = map.edges.find(
      (e) => e.src === 'poc-mesh/Deployment/frontend' && e.dst === 'poc-mesh/Deployment/backend',
    );
    const tcp = edge?.connections.find((c) => c.protocol === 'TCP') as unknown as {
      verdict: string;
      mtls: boolean;
      http: { rules: { ruleRef: string; match: Record<string, unknown> }[] };
    };
    expect(tcp.verdict).toBe('conditional');
    expect(tcp.mtls).toBe(true);
    expect(tcp.http.rules).toEqual([
      {
        ruleRef: 'ns[poc-mesh]-policy[backend-allow-frontend-read]-rule[0]',
        match: {
          principals: ['cluster.local/ns/poc-mesh/sa/frontend-sa'],
          methods: ['GET'],
          paths: ['/api/orders', '/health'],
        },
      },
    ]);
  });
});

describe('meshdbg diff', () => {
  it('exits 0 when nothing changes', () => {
    const r = runCli(['diff', '--from', BEFORE, '--to', BEFORE]);
    expect(r.stdout).toBe('0 changes\n');
    expect(r.code).toBe(0);
  });

  it('reports a port a change opens as widened, with the rule, and exits 1', () => {
    const r = runCli(['diff', '--from', BEFORE, '--to', join(DIR, 'opened.yaml'), '-o', 'json']);
    expect(r.code).toBe(1);
    const diff = JSON.parse(r.stdout) as {
      kind: string;
      changes: {
        src: string;
        dst: string;
        protocol: string;
        ports: number[][];
        change: string;
        after: { by: string[] };
      }[];
    };
    expect(diff.kind).toBe('ConnectivityDiff');
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({
      src: 'shop/Deployment/client',
      dst: 'shop/Deployment/server',
      protocol: 'TCP',
      ports: [[9090, 9090]],
      change: 'widened',
    });
    expect(diff.changes[0]?.after.by).toEqual(['NetworkPolicy:shop/server-ingress:ingress[0]']);
  });

  it('reports closed ports as narrowed when the pair keeps other ports, and honours --fail-on', () => {
    const closed = join(DIR, 'closed.yaml');
    const r = runCli(['diff', '--from', BEFORE, '--to', closed]);
    expect(r.stdout).toMatch(
      /^narrowed +shop\/Deployment\/client -> shop\/Deployment\/server {2}TCP 8080 {2}allowed -> nothing /m,
    );
    expect(r.stdout).toMatch(
      /^widened +shop\/Deployment\/client -> shop\/Deployment\/server {2}TCP 9999 {2}nothing -> allowed /m,
    );
    expect(r.code).toBe(1);
    expect(runCli(['diff', '--from', BEFORE, '--to', join(DIR, 'opened.yaml'), '--fail-on', 'closed']).code).toBe(0);
    expect(runCli(['diff', '--from', BEFORE, '--to', closed, '--fail-on', 'closed']).code).toBe(1);
  });

  it('writes a JUnit report with one failing case per change', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'meshdbg-diff-')), 'diff.xml');
    runCli(['diff', '--from', BEFORE, '--to', join(DIR, 'opened.yaml'), '--junit', out]);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toContain('tests="1" failures="1"');
    expect(xml).toContain('widened: widened');
  });

  it('stops quietly when the reader goes away (| head)', () => {
    const script = `node dist/cli.js map --from examples/poc-mesh -o json 2>&1 >/dev/null | cat; node dist/cli.js map --from examples/poc-mesh -o json | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.stdout.trim()).toBe('exit=0');
    expect(r.stderr).toBe('');
  });

  it('streams its changes and stops quietly when the reader goes away (| head)', () => {
    // every edge of one example against another: hundreds of changes, written as they come
    const diff = 'node dist/cli.js diff --from examples/poc-mesh --to examples/kyma-netpol -o json';
    const script = `${diff} | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}"; ${diff} | node -e "let s='';process.stdin.on('data',(d)=>s+=d).on('end',()=>console.log(JSON.parse(s).changes.length > 100))"`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^exit=[01]$/), 'true']);
    expect(r.stderr).toBe('');
  });

  // issue 17's rule for every answer from a partial view (a list the cluster refused, replayed
  // from a snapshot's status.gaps): never a confident one. A diff from it is neither "no change"
  // nor "these changes": exit 4 (explain's conditional), with the gap named in every output
  it('a partial view on one side: changes listed, the gap in conditions, the JUnit report and exit 4', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdbg-diff-partial-'));
    const partial = join(dir, 'partial.yaml');
    const items = yaml.loadAll(readFileSync(join(DIR, 'opened.yaml'), 'utf8')).filter((d) => d !== null);
    const gap = { kind: 'AuthorizationPolicy.security.istio.io', namespace: null, reason: '403 Forbidden: no list' };
    writeFileSync(
      partial,
      yaml.dump({ apiVersion: 'v1', kind: 'List', items, status: { complete: false, gaps: [gap] } }),
    );
    const junit = join(dir, 'diff.xml');
    const r = runCli(['diff', '--from', BEFORE, '--to', partial, '-o', 'json', '--junit', junit]);
    expect(r.code).toBe(4);
    const diff = JSON.parse(r.stdout) as {
      changes: { change: string }[];
      conditions: { code: string; message: string }[];
    };
    expect(diff.changes.map((c) => c.change)).toEqual(['widened']);
    expect(diff.conditions).toEqual([
      { code: 'partial-view', message: expect.stringMatching(/^NEW: partial view: .*AuthorizationPolicy/) as unknown },
    ]);
    expect(r.stderr).toMatch(/^meshdbg: NEW: partial view/);
    expect(readFileSync(junit, 'utf8')).toContain('tests="2" failures="2"');
    // no change between two partial views is not "no change" either
    const same = runCli(['diff', '--from', partial, '--to', partial]);
    expect(same.code).toBe(4);
    expect(same.stdout).toMatch(/^0 changes\npartial-view: OLD: partial view: .*\npartial-view: NEW: partial view: /);
  });

  it('a whole view on both sides has no conditions', () => {
    const r = runCli(['diff', '--from', BEFORE, '--to', BEFORE, '-o', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({
      apiVersion: 'meshdbg.dev/v1alpha1',
      kind: 'ConnectivityDiff',
      changes: [],
      conditions: [],
    });
    expect(r.code).toBe(0);
  });

  it('refuses a bad --fail-on and a missing --from', () => {
    expect(runCli(['diff', '--from', BEFORE, '--to', BEFORE, '--fail-on', 'sometimes']).code).toBe(2);
    const r = runCli(['diff', '--to', BEFORE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('diff needs --from OLD');
  });

  it('names the flag of the side it cannot read: --from for OLD, --to for NEW', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'meshdbg-diff-missing-')), 'nothing-here');
    const newSide = runCli(['diff', '--from', BEFORE, '--to', missing]);
    expect(newSide.code).toBe(2);
    expect(newSide.stderr).toContain(`cannot read --to ${missing}: no such file or directory`);
    const oldSide = runCli(['diff', '--from', missing, '--to', BEFORE]);
    expect(oldSide.code).toBe(2);
    expect(oldSide.stderr).toContain(`cannot read --from ${missing}: no such file or directory`);
    const empty = mkdtempSync(join(tmpdir(), 'meshdbg-diff-empty-'));
    const emptyNew = runCli(['diff', '--from', BEFORE, '--to', empty]);
    expect(emptyNew.stderr).toContain(`--to ${empty}: no .yaml, .yml or .json files in this directory`);
    expect(emptyNew.stderr).toContain('point --to at the folder with your manifests');
  });

  it('refuses a bad --workers before reading anything, whether or not a second thread would run', () => {
    const r = runCli(['diff', '--from', BEFORE, '--to', BEFORE, '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workers 0: must be a whole number from 1 to 999');
    expect(runCli(['diff', '--from', BEFORE, '--to', BEFORE, '--workers', '2']).code).toBe(0);
  });
});
