/** The layer pipeline (src/engine/layer.ts) and the sidecar data plane's Istio layers on it. */
import { describe, expect, it } from 'vitest';
import {
  collectLayers,
  enforcedBy,
  firstDenialResponse,
  notApplicable,
  once,
  runLayers,
  type PipelineLayer,
} from '../../src/engine/layer.js';
import { LAYERS, type ExpectedResponse, type Layer } from '../../src/engine/explanation.js';
import { SIDECAR_ISTIO_LAYERS } from '../../src/engine/istio/sidecar-layers.js';
import { sidecarContext } from '../../src/engine/istio/sidecar-context.js';
import { flow, pod, reachAll, snapshotOf } from './istio/helpers.js';
import { ambientLayers } from '../../src/engine/ambient/layers.js';
import { interopLayers, outOfMeshLayers } from '../../src/engine/ambient/interop.js';

const response = (status: number): ExpectedResponse => ({ status, body: null, flags: null, details: null });
const layer = (name: Layer, verdict: 'allowed' | 'denied', note: string): PipelineLayer<string[]> => ({
  name,
  enforcer: null,
  evaluate: (seen) => {
    seen.push(name);
    return {
      step: { layer: name, verdict, effective: true, summary: note, policies: [] },
      response: verdict === 'denied' ? response(name === 'authz-deny' ? 403 : 503) : null,
      notes: [note],
    };
  },
});

describe('runLayers', () => {
  it('evaluates every layer in order, also after a denial, and concatenates contributions in layer order', () => {
    const seen: string[] = [];
    const p = runLayers(
      [layer('mesh', 'allowed', 'a'), layer('authz-deny', 'denied', 'b'), layer('authz-allow', 'denied', 'c')],
      seen,
    );
    expect(seen).toEqual(['mesh', 'authz-deny', 'authz-allow']);
    expect(p.steps.map((s) => s.layer)).toEqual(['mesh', 'authz-deny', 'authz-allow']);
    expect(p.notes).toEqual(['a', 'b', 'c']);
    expect(firstDenialResponse(p)?.status).toBe(403);
    expect(firstDenialResponse(collectLayers([]))).toBeNull();
  });

  it("enforcedBy names the layer's enforcer on its step; notApplicable says why, naming the enforcer when given", () => {
    const named = enforcedBy({ ...layer('mesh', 'allowed', 'a'), enforcer: 'sidecar' });
    expect(named.evaluate([]).step.enforcer).toBe('sidecar');
    expect(enforcedBy(layer('mesh', 'allowed', 'a')).evaluate([]).step).not.toHaveProperty('enforcer');
    expect(notApplicable('jwt', 'why', 'waypoint').step).toEqual({
      layer: 'jwt',
      verdict: 'not-applicable',
      effective: true,
      summary: 'why',
      policies: [],
      enforcer: 'waypoint',
    });
    expect(notApplicable('jwt', 'why').step).not.toHaveProperty('enforcer');
  });

  it('once: a shared outcome is computed on first use only', () => {
    let n = 0;
    const f = once(() => ++n);
    expect([f(), f(), f()]).toEqual([1, 1, 1]);
  });
});

describe('the sidecar Istio layers', () => {
  it('are mesh, mtls, authz-custom, jwt, authz-deny, authz-allow, enforced by the sidecar, each reporting its own step', () => {
    expect(SIDECAR_ISTIO_LAYERS.map((l) => l.name)).toEqual(LAYERS.slice(2));
    expect(SIDECAR_ISTIO_LAYERS.every((l) => l.enforcer === 'sidecar')).toBe(true);
    const a = pod('ns-a', 'client', { ports: [80] });
    const b = pod('ns-b', 'server', { ports: [80] });
    const c = sidecarContext(snapshotOf({ pods: [a, b] }), flow(a, b, { port: 80 }), reachAll);
    for (const l of SIDECAR_ISTIO_LAYERS) expect(l.evaluate(c).step.layer).toBe(l.name);
  });
});

/** Every layer of an ambient flow, as enforcer:name, in the order traffic meets them. */
const AMBIENT_ORDER = [
  'cni:networkpolicy-egress',
  'cni:networkpolicy-ingress',
  'ztunnel:mesh',
  'ztunnel:mtls',
  'waypoint:authz-custom',
  'waypoint:jwt',
  'waypoint:authz-deny',
  'waypoint:authz-allow',
  'ztunnel:authz-deny',
  'ztunnel:authz-allow',
];

describe('the ambient layers', () => {
  it("are each hop's NetworkPolicy (CNI), mesh and mtls (ztunnel), the waypoint's L7 layers, then ztunnel's L4 authz", () => {
    const a = pod('ns-a', 'client', { ports: [80] });
    const hop = {
      name: 'source -> destination',
      from: { type: 'pod', pod: a } as const,
      to: { type: 'pod', pod: a } as const,
      protocol: 'TCP' as const,
      port: 15008,
    };
    const layers = ambientLayers([hop]);
    expect(layers.map((l) => `${l.enforcer ?? 'cni'}:${l.name}`)).toEqual(AMBIENT_ORDER);
  });
});

describe('the ambient interop layers', () => {
  const a = pod('ns-a', 'client', { ports: [80] });
  const hop = (port: number) => ({
    name: 'source -> destination',
    from: { type: 'pod', pod: a } as const,
    to: { type: 'pod', pod: a } as const,
    protocol: 'TCP' as const,
    port,
  });

  // https://istio.io/latest/docs/ambient/architecture/data-plane/ "Outbound": HBONE to a sidecar
  it("to a sidecar: the HBONE hop's NetworkPolicy, then the sidecar's six Istio layers", () => {
    expect(interopLayers(hop(15008)).map((l) => `${l.enforcer ?? 'cni'}:${l.name}`)).toEqual([
      'cni:networkpolicy-egress',
      'cni:networkpolicy-ingress',
      ...LAYERS.slice(2).map((l) => `sidecar:${l}`),
    ]);
  });

  it("to a pod outside the mesh: the hop's NetworkPolicy, then every mesh layer, not applicable, with the reason", () => {
    const layers = outOfMeshLayers(hop(8080), 'outside');
    expect(layers.map((l) => `${l.enforcer ?? 'cni'}:${l.name}`)).toEqual(AMBIENT_ORDER);
    const steps = layers
      .slice(2)
      .map((l) => l.evaluate({ snapshot: snapshotOf({ pods: [a] }), cni: 'calico', verdictOnly: false }).step);
    expect(steps.map((s) => [s.verdict, s.enforcer, s.summary.endsWith('outside')])).toEqual(
      layers.slice(2).map((l) => ['not-applicable', l.enforcer, true]),
    );
  });
});
