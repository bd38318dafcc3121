import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { printDemoLogs } from '../../../src/sources/demo/print-logs.js';
import { loadDemo, rbacAtDebug } from '../../../src/sources/demo/load-demo.js';
import type { Pod } from '../../../src/model/k8s.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

describe('printDemoLogs', () => {
  it('writes one line per chunk, kubectl --prefix style, recent Istio format with thread ids', async () => {
    const chunks: string[] = [];
    const n = await printDemoLogs(EXAMPLES, 'poc-mesh', (c) => chunks.push(c), { requests: 40 });
    expect(n).toBe(chunks.length);
    expect(n).toBeGreaterThan(0);
    expect(chunks.every((c) => c.endsWith('\n') && c.indexOf('\n') === c.length - 1)).toBe(true);
    expect(chunks.filter((c) => c.startsWith('[pod/')).length).toBe(n);
    expect(chunks.some((c) => / 403 - rbac_access_denied_matched_policy\[/.test(c))).toBe(true);
  });

  it('RBAC debug lines appear only for proxies whose rbac logger is at debug', async () => {
    const quiet: string[] = [];
    await printDemoLogs(EXAMPLES, 'poc-mesh', (c) => quiet.push(c), { requests: 60 });
    expect(quiet.some((c) => c.includes('envoy rbac'))).toBe(false);
    const demo = await loadDemo(`${EXAMPLES}poc-mesh`, 'poc-mesh');
    const backends = demo.topology.pods.filter((p) => p.deployment === 'backend').map((p) => p.name);
    const loud: string[] = [];
    await printDemoLogs(EXAMPLES, 'poc-mesh', (c) => loud.push(c), { requests: 60, rbacDebugPods: backends });
    const rbac = loud.filter((c) => c.includes('\tenvoy rbac '));
    expect(rbac.length).toBeGreaterThan(0);
    expect(rbac.every((c) => backends.some((b) => c.startsWith(`[pod/${b}/istio-proxy]`)))).toBe(true);
    expect(new Set(rbac.map((c) => /thread=(\d+)$/.exec(c.trimEnd())?.[1]).filter(Boolean))).toEqual(
      new Set(['20', '21']),
    );
  });

  it('np-test: access logging off, so drops show as Calico flows and proxies print only RBAC debug lines', async () => {
    const chunks: string[] = [];
    await printDemoLogs(EXAMPLES, 'np-test', (c) => chunks.push(c), { requests: 40 });
    const flows = chunks.filter((c) => !c.startsWith('[pod/'));
    expect(flows.length).toBeGreaterThan(0);
    expect(flows.every((c) => JSON.parse(c) !== null && c.includes('"action":"Deny"'))).toBe(true);
    expect(chunks.some((c) => / HTTP\/1\.1" \d{3} /.test(c))).toBe(false);
  });

  it('reads the rbac log level from the pod annotations (seed 004 logLevel: debug; proxyLogLevel is not Istio)', () => {
    const pod = (annotations: Record<string, string>) => ({ annotations }) as unknown as Pod;
    expect(rbacAtDebug(pod({ 'sidecar.istio.io/logLevel': 'debug' }))).toBe(true);
    expect(rbacAtDebug(pod({ 'sidecar.istio.io/componentLogLevel': 'misc:error,rbac:debug' }))).toBe(true);
    expect(rbacAtDebug(pod({ 'sidecar.istio.io/proxyLogLevel': 'rbac:debug' }))).toBe(false);
    expect(rbacAtDebug(pod({ 'sidecar.istio.io/logLevel': 'warning' }))).toBe(false);
  });
});
