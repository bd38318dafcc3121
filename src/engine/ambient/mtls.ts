/**
 * The `mtls` step at an ambient destination. Mesh peers (ambient, or sidecars that speak HBONE)
 * always use HBONE mTLS; PeerAuthentication DISABLE is ignored because ztunnel and HBONE imply mTLS
 * (https://istio.io/latest/docs/ambient/usage/l4-policy/, "Peer authentication"). Clients outside
 * the mesh send plaintext with no identity; an effective STRICT mode denies them at the destination
 * ztunnel (https://istio.io/latest/docs/ambient/usage/add-workloads/, "Pods outside the mesh"), through
 * istiod's static `istio_converted_static_strict` DENY policy
 * (istio/istio pilot/pkg/serviceregistry/ambient/authorization.go).
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { ExpectedResponse, ExplanationFinding, Fix, Step } from '../explanation.js';
import { peerAuthnLevels, serverMode } from '../istio/peer-authn.js';
import { permissivePortFix } from '../istio/fix.js';

export type ClientTransport = 'hbone' | 'plaintext' | 'probe';

export interface AmbientMtlsOutcome {
  readonly step: Step;
  readonly response: ExpectedResponse | null;
  readonly findings: readonly ExplanationFinding[];
  /** the client's identity reaches the authz steps */
  readonly mtls: boolean;
}

export const STATIC_STRICT_POLICY = 'istio_converted_static_strict';

export function evaluateAmbientMtls(
  snapshot: Snapshot,
  dst: Pod,
  port: number,
  transport: ClientTransport,
): AmbientMtlsOutcome {
  const server = serverMode(snapshot, dst, port);
  const mode = server.mode === 'DISABLE' ? 'PERMISSIVE' : server.mode;
  const step = (verdict: Step['verdict'], summary: string): Step => ({
    layer: 'mtls',
    verdict,
    effective: true,
    summary,
    policies: server.policies,
    serverMode: mode,
    clientTls: transport === 'hbone' ? 'istio-mutual' : 'plaintext',
    enforcer: 'ztunnel',
  });
  const disabled =
    server.mode === 'DISABLE' ? '; PeerAuthentication DISABLE is ignored in ambient mode (HBONE implies mTLS)' : '';
  const base = { findings: server.findings, response: null };
  if (transport === 'probe')
    return {
      ...base,
      mtls: false,
      step: step(
        'not-applicable',
        'kubelet probe (SNAT to 169.254.7.127): ztunnel lets it in as plaintext without policy',
      ),
    };
  if (transport === 'hbone')
    return { ...base, mtls: true, step: step('allowed', `HBONE mTLS to the destination ztunnel (${mode})${disabled}`) };
  if (mode !== 'STRICT')
    return {
      ...base,
      mtls: false,
      step: step('allowed', `plaintext from outside the mesh accepted (${mode}): no peer identity${disabled}`),
    };
  const root = snapshot.istio.mesh.rootNamespace;
  return {
    ...base,
    mtls: false,
    step: step('denied', 'STRICT mTLS: the destination ztunnel refuses plaintext from a client outside the mesh'),
    response: {
      status: 'connection-reset',
      body: null,
      flags: null,
      details: `connection closed due to policy rejection: explicitly denied by: ${root}/${STATIC_STRICT_POLICY}`,
    },
  };
}

/**
 * STRICT refused a plaintext client: the remedies are the sidecar ones (fix.ts permissivePortFix),
 * with the ambient way to give the client mTLS. ztunnel honours a port-level PERMISSIVE: istiod
 * converts STRICT with `portLevelMtls` PERMISSIVE into a DENY of unauthenticated traffic on every
 * other port (istio/istio architecture/ambient/peer-authentication.md, "PeerAuthentication and
 * ztunnel"); a client joins the mesh by its namespace's `istio.io/dataplane-mode: ambient` label
 * (https://istio.io/latest/docs/ambient/usage/add-workloads/).
 */
export function ambientPlaintextFix(snapshot: Snapshot, dst: Pod, port: number, refusal: string): Fix[] {
  const alternative =
    'or add the client to the mesh with the label istio.io/dataplane-mode=ambient on its namespace: it then sends HBONE mTLS';
  const fix = permissivePortFix(refusal, dst, port, peerAuthnLevels(snapshot, dst).workload, alternative);
  return fix ? [fix] : [];
}
