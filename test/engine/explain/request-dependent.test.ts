/**
 * explain on an HTTP port without a request (issue 16, point 6): conditional, listing what the
 * ALLOW rules admit, instead of DENIED with the reason far below. examples/poc-mesh: backend's
 * Service port 80 is named `http` (Istio protocol selection by port name,
 * https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../../../src/engine/explain.js';
import type { ExplainQuery, Explanation } from '../../../src/engine/explanation.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { loadExampleSnapshot } from '../map/example-snapshot.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await loadExampleSnapshot('poc-mesh');
});

function query(dst: string, port: number, http: ExplainQuery['http'] = null, src = 'poc-mesh/frontend'): ExplainQuery {
  return {
    id: null,
    src,
    dst,
    port,
    protocol: null,
    http,
    mtls: null,
    jwt: null,
    extAuthz: null,
    now: null,
    resolve: {},
    namespace: null,
    cni: null,
  };
}

function run(q: ExplainQuery): Explanation {
  const result = explain(snapshot, q);
  if (result.kind !== 'Explanation') throw new Error(result.message);
  return result;
}

describe('explain on an HTTP port without a request', () => {
  it('is conditional and lists the methods, paths and principals the ALLOW rule admits', () => {
    const e = run(query('poc-mesh/backend', 80));
    expect(e.verdict).toBe('conditional');
    const condition = e.conditions.find((c) => c.code === 'http-request-unspecified');
    expect(condition?.message).toContain('methods GET');
    expect(condition?.message).toContain('paths /api/orders|/health');
    expect(condition?.message).toContain('ns[poc-mesh]-policy[backend-allow-frontend-read]-rule[0]');
  });

  it('names the port as asked: the Service port, with the pod port it reaches (issue 16)', () => {
    const viaService = run(query('poc-mesh/backend', 80));
    const message = viaService.conditions.find((c) => c.code === 'http-request-unspecified')?.message ?? '';
    expect(message).toMatch(/^port 80 \(pod port 8080\) is HTTP and no request was given/);
    expect(viaService.notes.join('\n')).toContain('port 80 (pod port 8080) is HTTP');
    // straight to the workload, the pod port is the port asked
    const direct = run(query('deployment/backend.poc-mesh', 8080));
    const directMessage = direct.conditions.find((c) => c.code === 'http-request-unspecified')?.message ?? '';
    expect(directMessage).toMatch(/^port 8080 is HTTP/);
  });

  it('stays definite once the request is given', () => {
    const get = { method: 'GET', path: '/api/orders', host: null, headers: {} };
    expect(run(query('poc-mesh/backend', 80, get)).verdict).toBe('allowed');
    expect(run(query('poc-mesh/backend', 80, { ...get, method: 'POST' })).verdict).toBe('denied');
  });

  it('stays denied when no request could pass (payments: a DENY rule, no ALLOW rule for it)', () => {
    const e = run(query('poc-mesh/backend', 80, null, 'poc-mesh/payments'));
    expect(e.verdict).toBe('denied');
    expect(e.conditions.map((c) => c.code)).not.toContain('http-request-unspecified');
  });
});
