/** The `mtls` step: server PeerAuthentication mode for the port against what the client sends. */
import type { Snapshot } from '../../model/snapshot.js';
import type { Condition, ExpectedResponse, ExplanationFinding, Step, StepExtras } from '../explanation.js';
import type { FlowContext } from '../flow.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import type { DestinationRule } from '../../model/istio.js';
import { clientTls, type ClientTls } from './client-tls.js';
import { mtlsMismatch } from './responses.js';
import { serverMode, type EffectiveMode } from './peer-authn.js';

export interface MtlsOutcome {
  readonly step: Step;
  readonly clientTls: ClientTls;
  /** the DestinationRule that set the client's TLS, if one did */
  readonly destinationRule: DestinationRule | null;
  /** peer identity is available to later steps */
  readonly mtls: boolean;
  readonly serverMode: EffectiveMode | null;
  readonly response: ExpectedResponse | null;
  readonly findings: readonly ExplanationFinding[];
  readonly notes: readonly string[];
  readonly conditions?: readonly Condition[];
}

function clientHasSidecar(flow: FlowContext): boolean {
  return flow.source.type === 'pod' && podHasSidecar(flow.source.pod);
}

/** `bypass`: why the destination's sidecar is not in the path (null when it is). */
export function evaluateMtls(snapshot: Snapshot, flow: FlowContext, bypass: string | null): MtlsOutcome {
  const dst = flow.destination.type === 'pod' ? flow.destination.pod : null;
  const server = dst ? serverMode(snapshot, dst, flow.port) : null;
  const client = clientTls(snapshot, flow, server?.namespaceMode ?? null, server?.mode ?? null);
  const notes = flow.mtlsOverride !== null ? [`client TLS ${client.reason}`] : [];
  const base = {
    clientTls: client.tls,
    destinationRule: client.destinationRule,
    findings: server?.findings ?? [],
    notes,
  };
  const step = (verdict: Step['verdict'], summary: string, extra: StepExtras = {}): Step => ({
    layer: 'mtls',
    verdict,
    effective: true,
    summary,
    policies: server?.policies ?? [],
    serverMode: server?.mode ?? null,
    clientTls: client.tls,
    ...extra,
  });
  if (bypass !== null) {
    if (client.tls === 'istio-mutual' && (dst === null || !podHasSidecar(dst))) {
      return {
        ...base,
        step: step(
          'denied',
          `the client sends Istio mTLS (${client.reason}) but the destination has no sidecar to terminate it`,
        ),
        mtls: false,
        serverMode: null,
        response: mtlsMismatch(true),
      };
    }
    if (client.tls === 'istio-mutual' && flow.protocol === 'TCP') {
      // auto-mTLS looks at the endpoint's tlsMode label, not at capture annotations
      return {
        ...base,
        step: step(
          'conditional',
          `${bypass}, yet the client sends Istio mTLS (${client.reason}): the application receives TLS it may not expect (a DestinationRule tls.mode DISABLE for this port avoids it)`,
        ),
        mtls: false,
        serverMode: null,
        response: null,
        conditions: [
          { code: 'partial-view', message: 'Istio mTLS sent to a port the destination sidecar does not capture' },
        ],
      };
    }
    return {
      ...base,
      step: step('not-applicable', `${bypass}; the client sends ${client.tls}`),
      mtls: false,
      serverMode: null,
      response: null,
    };
  }
  const mode = server?.mode ?? 'PERMISSIVE';
  const from =
    server && server.policies[0] ? ` (${server.policies[0].ruleRef})` : ' (no PeerAuthentication: PERMISSIVE)';
  if (mode === 'STRICT' && client.tls !== 'istio-mutual') {
    return {
      ...base,
      step: step('denied', `server mode STRICT${from} refuses ${client.tls}: ${client.reason}`),
      mtls: false,
      serverMode: mode,
      response: mtlsMismatch(clientHasSidecar(flow)),
    };
  }
  if (mode === 'DISABLE' && client.tls === 'istio-mutual') {
    return {
      ...base,
      step: step('denied', `server mode DISABLE${from} but the client sends Istio mTLS (${client.reason})`),
      mtls: false,
      serverMode: mode,
      response: mtlsMismatch(true),
    };
  }
  const mtls = client.tls === 'istio-mutual' && mode !== 'DISABLE';
  const summary = mtls
    ? `mutual TLS: server mode ${mode}${from}, ${client.reason}`
    : `plaintext accepted: server mode ${mode}${from}, ${client.reason}; no peer identity for later steps`;
  return { ...base, step: step('allowed', summary), mtls, serverMode: mode, response: null };
}
