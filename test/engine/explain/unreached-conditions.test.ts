/**
 * DESIGN "Scope": an unmodelled thing makes the verdict `conditional` only when it "could change
 * the answer". Traffic that a layer denies never reaches the layers after it: a NetworkPolicy
 * drops the packet before the destination's sidecar sees it (Kubernetes: NetworkPolicy is enforced
 * on the pod's network interface, https://kubernetes.io/docs/concepts/services-networking/network-policies/;
 * Istio's CUSTOM, JWT, DENY and ALLOW checks run in the destination's Envoy,
 * https://istio.io/latest/docs/concepts/security/#authorization-architecture). So what is unknown
 * about those later layers leaves a denial a denial; it stays listed, marked as not reached.
 * Conditions about the source's routing (the mesh layer: EnvoyFilter, Sidecar, ServiceEntry) and
 * flow-level ones (unmodelled CNI policy) still count: they could change whether the packet is dropped.
 */
import { describe, expect, it } from 'vitest';
import { collectLayers, type LayerResult } from '../../../src/engine/layer.js';
import type { Step } from '../../../src/engine/explanation.js';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { SAMPLE_EXT_AUTHZ_MESH, SLEEP_AND_HTTPBIN } from '../../helpers/ext-authz-mesh.js';

const doc = (text: string): string => `${text.trim()}\n---\n`;

const MESH = SAMPLE_EXT_AUTHZ_MESH;
const PODS = SLEEP_AND_HTTPBIN;
/** CUSTOM with a provider meshdbg cannot ask: ext-authz-unknown for requests to /headers */
const EXT_AUTHZ = doc(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: foo}
spec: {action: CUSTOM, provider: {name: sample-ext-authz}, selector: {matchLabels: {app: httpbin}}, rules: [{to: [{operation: {paths: ["/headers"]}}]}]}
`);
/** A NetworkPolicy that isolates `app` in `direction` and allows nothing. */
const closed = (app: string, direction: 'Ingress' | 'Egress'): string =>
  doc(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${app}-closed, namespace: foo}
spec: {podSelector: {matchLabels: {app: ${app}}}, policyTypes: [${direction}]}
`);
const DENY_INGRESS = closed('httpbin', 'Ingress');
const DENY_EGRESS = closed('sleep', 'Egress');
const ENVOY_FILTER_ON_SOURCE = doc(`
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: lua, namespace: foo}
spec: {workloadSelector: {labels: {app: sleep}}, configPatches: []}
`);
const CILIUM = doc(`
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: extra, namespace: foo}
spec: {endpointSelector: {matchLabels: {app: httpbin}}, ingress: [{fromEndpoints: [{matchLabels: {app: sleep}}]}]}
`);

const ask = (yaml: string) =>
  explainOk(snapshotFromYaml(yaml), {
    src: 'foo/sleep',
    dst: 'foo/httpbin',
    port: 8000,
    http: { method: 'GET', path: '/headers', host: null, headers: {} },
  });
const codes = (e: ReturnType<typeof ask>): string[] => e.conditions.map((c) => c.code);

describe('conditions of layers that traffic never reaches', () => {
  it('reached, an unknown ext_authz makes the answer conditional', () => {
    const e = ask(MESH + PODS + EXT_AUTHZ);
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.find((c) => c.code === 'ext-authz-unknown')?.message).not.toMatch(/not reached/);
  });

  it('behind a NetworkPolicy ingress drop, it leaves the denial a denial and is listed as not reached', () => {
    const e = ask(MESH + PODS + EXT_AUTHZ + DENY_INGRESS);
    expect(e.verdict).toBe('denied');
    expect(e.decidedBy?.layer).toBe('networkpolicy-ingress');
    expect(e.steps.find((s) => s.layer === 'authz-custom')).toMatchObject({ verdict: 'conditional', effective: false });
    const condition = e.conditions.find((c) => c.code === 'ext-authz-unknown');
    expect(condition?.message).toMatch(/\(not reached: networkpolicy-ingress denies first\)$/);
  });

  it('behind a NetworkPolicy egress drop at the source too', () => {
    const e = ask(MESH + PODS + EXT_AUTHZ + DENY_EGRESS);
    expect(e.verdict).toBe('denied');
    expect(e.decidedBy?.layer).toBe('networkpolicy-egress');
    expect(codes(e)).toContain('ext-authz-unknown');
  });

  it("an EnvoyFilter on the source (the mesh layer: the source's routing) still makes a drop conditional", () => {
    const e = ask(MESH + PODS + DENY_INGRESS + ENVOY_FILTER_ON_SOURCE);
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.find((c) => c.code === 'unmodelled-policy')?.message).toMatch(/^EnvoyFilter foo\/lua/);
  });

  it('an unmodelled CNI policy (Cilium allows what either policy allows) still makes a drop conditional', () => {
    const e = ask(MESH + PODS + DENY_INGRESS + CILIUM);
    expect(e.verdict).toBe('conditional');
    expect(e.conditions.find((c) => c.code === 'unmodelled-policy')?.message).toMatch(
      /^CiliumNetworkPolicy foo\/extra/,
    );
  });
});

describe('collectLayers: the conditions that can change the verdict', () => {
  const result = (layer: Step['layer'], verdict: Step['verdict'], code: string): LayerResult => ({
    step: { layer, verdict, effective: true, summary: '', policies: [] },
    response: null,
    conditions: [{ code, message: `${layer} ${code}` }],
  });

  it("every layer's up to and including the first denial, and the mesh layer's after it", () => {
    const p = collectLayers([
      result('networkpolicy-egress', 'conditional', 'undefined-order'),
      result('networkpolicy-ingress', 'denied', 'partial-view'),
      result('mesh', 'allowed', 'unmodelled-policy'),
      result('authz-custom', 'conditional', 'ext-authz-unknown'),
      result('jwt', 'conditional', 'jwks-unresolved'),
    ]);
    expect(p.conditions.map((c) => c.code)).toEqual([
      'undefined-order',
      'partial-view',
      'unmodelled-policy',
      'ext-authz-unknown',
      'jwks-unresolved',
    ]);
    expect(p.verdictConditions.map((c) => c.code)).toEqual(['undefined-order', 'partial-view', 'unmodelled-policy']);
  });

  it('all of them when no layer denies', () => {
    const p = collectLayers([
      result('networkpolicy-ingress', 'allowed', 'partial-view'),
      result('authz-custom', 'conditional', 'ext-authz-unknown'),
    ]);
    expect(p.verdictConditions).toEqual(p.conditions);
  });
});
