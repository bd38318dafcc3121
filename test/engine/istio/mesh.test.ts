/** seed 003: deny-all NetworkPolicies that an Istio mesh needs opened (istiod 15012, DNS). */
import { describe, expect, it } from 'vitest';
import { evaluateIstioLayers } from '../../helpers/istio-layers.js';
import { flow, npMention, pod, reachAll, reachUnless, snapshotOf } from './helpers.js';
import type { Endpoint } from '../../../src/engine/flow.js';

const a = pod('namespace-a', 'nginx', { ports: [80] });
const b = pod('namespace-b', 'nginx', { ports: [80] });
const istiod = pod('istio-system', 'istiod-abc', { labels: { app: 'istiod', istio: 'pilot' }, sidecar: false });
const canary = pod('istio-system', 'istiod-canary-abc', {
  labels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'canary' },
  sidecar: false,
});
const isPod = (e: Endpoint, ns: string, name?: string) =>
  e.type === 'pod' && e.pod.namespace === ns && (name === undefined || e.pod.name === name);

describe('mesh step: sidecars must reach istiod on 15012', () => {
  it('a source sidecar whose egress to istiod is blocked: denied, side and policy named, connection refused', () => {
    const reach = reachUnless((from, to, _p, port) =>
      isPod(from, 'namespace-a') && port === 15012 ? npMention('namespace-a', 'default-deny', 'egress') : null,
    );
    const r = evaluateIstioLayers(snapshotOf({ pods: [a, b, istiod] }), flow(a, b, { port: 80 }), reach);
    expect(r.steps[0]).toMatchObject({
      layer: 'mesh',
      verdict: 'denied',
      policies: [{ ruleRef: 'NetworkPolicy:namespace-a/default-deny:egress' }],
    });
    expect(r.steps[0]?.summary).toMatch(/source sidecar namespace-a\/nginx cannot reach istiod on TCP 15012/);
    expect(r.expectedResponse?.status).toBe('connection-refused');
    expect(r.fix).toHaveLength(1);
    expect(r.fix[0]).toMatchObject({ action: 'create', target: { kind: 'NetworkPolicy', namespace: 'namespace-a' } });
    expect(r.fix[0]?.yaml).toContain('port: 15012');
    expect(r.fix[0]?.yaml).toContain('kubernetes.io/metadata.name: istio-system');
  });

  it('a destination sidecar without config: 503 no healthy upstream for a meshed client; fix on istiod ingress', () => {
    const reach = reachUnless((from, to, _p, port) =>
      isPod(from, 'namespace-b') && isPod(to, 'istio-system') && port === 15012
        ? npMention('istio-system', 'default-deny', 'ingress')
        : null,
    );
    const r = evaluateIstioLayers(snapshotOf({ pods: [a, b, istiod] }), flow(a, b, { port: 80 }), reach);
    expect(r.steps[0]?.summary).toMatch(/^destination sidecar namespace-b\/nginx/);
    expect(r.expectedResponse).toMatchObject({ status: 503, flags: 'UH' });
    expect(r.fix[0]).toMatchObject({
      target: { kind: 'NetworkPolicy', namespace: 'istio-system', name: 'allow-xds-from-sidecars' },
    });
  });

  it('blocked DNS is a finding and a condition, never a denial (seed 003 works without DNS rules)', () => {
    const reach = reachUnless((_from, _to, proto, port) =>
      proto === 'UDP' && port === 53 ? npMention('namespace-a', 'default-deny', 'egress') : null,
    );
    const r = evaluateIstioLayers(snapshotOf({ pods: [a, b, istiod] }), flow(a, b, { port: 80 }), reach);
    expect(r.steps[0]?.verdict).toBe('allowed');
    expect(r.findings.filter((f) => f.code === 'dns-egress-blocked')).toHaveLength(2);
    expect(r.conditions.map((c) => c.code)).toContain('dns-egress-blocked');
  });

  it('checks the istiod of the sidecar revision', () => {
    const rev = pod('namespace-a', 'nginx', { ports: [80], labels: { 'istio.io/rev': 'canary' } });
    const seen: string[] = [];
    const reach = reachUnless((_from, to, _p, port) => {
      if (port === 15012 && to.type === 'pod') seen.push(to.pod.name);
      return null;
    });
    evaluateIstioLayers(snapshotOf({ pods: [rev, b, istiod, canary] }), flow(rev, b, { port: 80 }), reach);
    expect(seen).toEqual(['istiod-canary-abc', 'istiod-abc']);
  });

  it('assumes a standard istiod when none is in the input, and says so', () => {
    const r = evaluateIstioLayers(snapshotOf({ pods: [a, b] }), flow(a, b, { port: 80 }), reachAll);
    expect(r.notes.join(' ')).not.toMatch(/no istiod in the input/); // stated once, as an assumption
    expect(r.assumptions).toEqual([
      {
        code: 'istiod-assumed',
        message: expect.stringMatching(
          /no istiod in the input: assumed a standard one in istio-system .*revision default/,
        ),
      },
    ]);
    expect(r.steps[0]?.verdict).toBe('allowed');
  });

  it('is not-applicable without any sidecar in the path', () => {
    const plainA = pod('x', 'a', { sidecar: false });
    const plainB = pod('x', 'b', { sidecar: false });
    const r = evaluateIstioLayers(snapshotOf({ pods: [plainA, plainB] }), flow(plainA, plainB, {}), reachAll);
    expect(r.steps.map((s) => s.verdict)).toEqual(Array(6).fill('not-applicable'));
    expect(r.steps[2]?.summary).toBe('the destination has no sidecar');
  });

  it('an out-of-cluster destination has no Istio authz; the source sidecar still needs istiod', () => {
    const reach = reachUnless((from, _to, _p, port) =>
      isPod(from, 'namespace-a') && port === 15012 ? npMention('namespace-a', 'default-deny', 'egress') : null,
    );
    const r = evaluateIstioLayers(snapshotOf({ pods: [a, istiod] }), flow(a, '203.0.113.5', { port: 443 }), reach);
    expect(r.steps[0]?.verdict).toBe('denied');
    expect(r.steps[5]?.verdict).toBe('not-applicable');
  });
});
