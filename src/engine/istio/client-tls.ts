/**
 * What the client sends (auto mTLS: https://istio.io/latest/docs/concepts/security/#auto-mutual-tls): Istio mTLS iff the source has a sidecar that
 * captures the connection and either a DestinationRule sets ISTIO_MUTUAL, or no DestinationRule
 * TLS setting exists, auto-mTLS is on, the destination carries security.istio.io/tlsMode: istio
 * and the mesh/namespace PeerAuthentication is not DISABLE. A DR TLS setting always wins
 * (istio/api:mesh/v1alpha1/config.proto, enable_auto_mtls comment), except a SIMPLE/MUTUAL one
 * naming a credentialName without workloadSelector, which istiod ignores for sidecars; a headless
 * Service gets mTLS only when all its endpoints have sidecars (see the functions below). Checked
 * against Istio's own tables: test/fixtures/istio-authz/client-tls-cases.json.
 */
import type { Pod, Service } from '../../model/k8s.js';
import { serviceSelects } from '../../model/service-selection.js';
import type { ClientTlsMode, DestinationRule } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { RequestInfo } from '../explanation.js';
import type { FlowContext } from '../flow.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { outboundCapture } from './capture.js';
import { selectorMatches } from './labels.js';
import type { EffectiveMode } from './peer-authn.js';

export type ClientTls = NonNullable<RequestInfo['clientTls']>;

export interface ClientTlsDecision {
  readonly tls: ClientTls;
  readonly reason: string;
  readonly destinationRule: DestinationRule | null;
}

/** The address and port the client dials: ClusterIP:servicePort, or the pod/IP and port. */
export function dialedAddress(flow: FlowContext): { ip: string | null; port: number } {
  const svc = flow.service;
  if (svc && svc.clusterIP && svc.clusterIP !== 'None' && flow.servicePort !== null)
    return { ip: svc.clusterIP, port: flow.servicePort };
  if (flow.destination.type === 'ip') return { ip: flow.destination.ip, port: flow.port };
  return { ip: flow.destination.pod.ip, port: flow.port };
}

function fqdn(host: string, ns: string): string {
  if (host === '*' || host.startsWith('*.')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${ns}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  return host;
}

function hostScore(drHost: string, target: string): number {
  if (drHost === target) return 1000;
  if (drHost === '*') return 1;
  if (drHost.startsWith('*.') && target.endsWith(drHost.slice(1))) return drHost.length;
  return 0;
}

function visible(dr: DestinationRule, clientNs: string): boolean {
  if (dr.exportTo.length === 0 || dr.exportTo.includes('*')) return true;
  return dr.exportTo.includes(clientNs) || (dr.exportTo.includes('.') && dr.namespace === clientNs);
}

/** Istio's lookup: client namespace, then the service's namespace, then the root namespace. */
export function destinationRuleFor(snapshot: Snapshot, client: Pod, flow: FlowContext): DestinationRule | null {
  const svc = flow.service;
  if (!svc) return null;
  const target = `${svc.name}.${svc.namespace}.svc.cluster.local`;
  const order = [client.namespace, svc.namespace, snapshot.istio.mesh.rootNamespace];
  for (const ns of order) {
    let best: DestinationRule | null = null;
    let bestScore = 0;
    for (const dr of snapshot.istio.destinationRules) {
      if (dr.namespace !== ns || !visible(dr, client.namespace)) continue;
      if (
        dr.workloadSelector &&
        !(dr.namespace === client.namespace && selectorMatches(dr.workloadSelector, client.labels))
      )
        continue;
      const score = hostScore(fqdn(dr.host, dr.namespace), target);
      if (score > bestScore) [best, bestScore] = [dr, score];
    }
    if (best) return best;
  }
  return null;
}

/** credentials.KubernetesConfigMapTypeURI: a ConfigMap credential any proxy may read (pilot/pkg/model/credentials/resource.go). */
const CONFIGMAP_CREDENTIAL = 'configmap://';

/**
 * A gateway (or waypoint) proxy, not a sidecar: istiod's sidecar-only rules skip it. Gateway pods run
 * the proxy as their only container (istio/istio manifests/charts/gateway/templates/deployment.yaml:
 * one container istio-proxy, started with `router` by
 * manifests/charts/istio-control/istio-discovery/files/gateway-injection-template.yaml); Gateway API
 * deployments carry the gateway-name label.
 */
function isGatewayProxy(pod: Pod): boolean {
  if (pod.labels['gateway.networking.k8s.io/gateway-name'] !== undefined) return true;
  return pod.containers.length === 1 && pod.containers[0]?.name === 'istio-proxy';
}

/**
 * Auto-mTLS for a headless Service (a passthrough cluster, ORIGINAL_DST): istiod infers DISABLE for
 * the whole Service when any of its endpoints lacks the sidecar label (or it has none), else the
 * mesh/namespace mode (istio/istio pilot/pkg/model/push_context.go BestEffortInferServiceMTLSMode,
 * "If ALL instances have a sidecar, we enable TLS, otherwise we disable"; push_context_test.go
 * TestBestEffortInferServiceMTLSMode). With it on, the cluster's TLS goes to every endpoint: no
 * per-endpoint socket match and no EDS mTLS marking apply to ORIGINAL_DST clusters
 * (pilot/pkg/networking/core/cluster_tls.go applyUpstreamTLSSettings).
 */
/** Per Snapshot and headless Service (a Service object may serve Snapshots of other pods): its endpoint count and first endpoint without a sidecar. */
const headlessEndpoints = new WeakMap<
  Snapshot,
  WeakMap<Service, { readonly count: number; readonly plain: Pod | undefined }>
>();

function headlessAutoMtls(snapshot: Snapshot, svc: Service, namespaceMode: EffectiveMode | null): ClientTlsDecision {
  let bySvc = headlessEndpoints.get(snapshot);
  if (!bySvc) headlessEndpoints.set(snapshot, (bySvc = new WeakMap()));
  let endpoints = bySvc.get(svc);
  if (!endpoints) {
    const pods = (snapshot.index.podsByNamespace.get(svc.namespace) ?? []).filter((p) => serviceSelects(svc, p));
    endpoints = { count: pods.length, plain: pods.find((p) => p.labels['security.istio.io/tlsMode'] !== 'istio') };
    bySvc.set(svc, endpoints);
  }
  const { plain } = endpoints;
  const none = (reason: string): ClientTlsDecision => ({ tls: 'plaintext', reason, destinationRule: null });
  if (endpoints.count === 0) return none(`auto-mTLS: headless Service ${svc.namespace}/${svc.name} has no endpoints`);
  if (plain)
    return none(
      `auto-mTLS: headless Service ${svc.namespace}/${svc.name} has an endpoint without sidecar (${plain.name}), so istiod disables mTLS for all of its endpoints`,
    );
  if (namespaceMode === 'DISABLE') return none('auto-mTLS: the mesh/namespace PeerAuthentication is DISABLE');
  return {
    tls: 'istio-mutual',
    reason: `auto-mTLS: every endpoint of headless Service ${svc.namespace}/${svc.name} has a sidecar`,
    destinationRule: null,
  };
}

const FROM_DR: Readonly<Record<ClientTlsMode, ClientTls>> = {
  ISTIO_MUTUAL: 'istio-mutual',
  DISABLE: 'plaintext',
  SIMPLE: 'simple',
  MUTUAL: 'mutual',
};

export function clientTls(
  snapshot: Snapshot,
  flow: FlowContext,
  namespaceMode: EffectiveMode | null,
  endpointMode: EffectiveMode | null = null,
): ClientTlsDecision {
  const none = (reason: string): ClientTlsDecision => ({ tls: 'plaintext', reason, destinationRule: null });
  if (flow.mtlsOverride !== null) {
    return {
      tls: flow.mtlsOverride ? 'istio-mutual' : 'plaintext',
      reason: `set by ${flow.mtlsOverride ? '--mtls' : '--no-mtls'} (overrides the computed value)`,
      destinationRule: null,
    };
  }
  if (flow.source.type === 'ip') return none('the source is outside the mesh');
  const client = flow.source.pod;
  if (!podHasSidecar(client)) return none('the source has no sidecar');
  const dialed = dialedAddress(flow);
  const capture = outboundCapture(client, dialed.ip, dialed.port);
  if (!capture.captured) return none(`the source sidecar does not capture this connection (${capture.reason})`);
  const dr = destinationRuleFor(snapshot, client, flow);
  const portMode = dr && flow.servicePort !== null ? dr.portTlsModes.get(flow.servicePort) : undefined;
  const drMode = dr ? (portMode ?? dr.tlsMode) : null;
  // the credentialName of the tls setting in force (a port-level tls replaces the top-level one)
  const credential =
    dr && portMode !== undefined && flow.servicePort !== null
      ? (dr.portTlsCredentialNames.get(flow.servicePort) ?? null)
      : (dr?.tlsCredentialName ?? null);
  if (
    dr &&
    (drMode === 'SIMPLE' || drMode === 'MUTUAL') &&
    credential !== null &&
    !credential.startsWith(CONFIGMAP_CREDENTIAL) &&
    dr.workloadSelector === null &&
    !isGatewayProxy(client)
  ) {
    // istiod builds no TLS context for a sidecar from a credentialName of a DestinationRule without
    // workloadSelector (istio/istio pilot/pkg/networking/core/cluster_tls.go buildUpstreamClusterTLSContext,
    // "Hack to avoid egress sds cluster config generation for sidecar"; cluster_tls_test.go
    // TestBuildUpstreamClusterTLSContext "tls mode SIMPLE, credentialName is set with proxy type Sidecar")
    return {
      tls: 'plaintext',
      reason: `DestinationRule ${dr.namespace}/${dr.name} sets tls.mode ${drMode} with credentialName ${credential} but no workloadSelector, which istiod ignores for sidecars: no TLS is originated`,
      destinationRule: dr,
    };
  }
  if (dr && drMode)
    return {
      tls: FROM_DR[drMode],
      reason: `DestinationRule ${dr.namespace}/${dr.name} sets tls.mode ${drMode}`,
      destinationRule: dr,
    };
  if (!snapshot.istio.mesh.enableAutoMtls) return none('enableAutoMtls is off and no DestinationRule sets TLS');
  const svc = flow.service;
  if (svc !== null && svc.clusterIP === 'None') return headlessAutoMtls(snapshot, svc, namespaceMode);
  if (flow.destination.type === 'ip' || flow.destination.pod.labels['security.istio.io/tlsMode'] !== 'istio') {
    return none('auto-mTLS: the destination does not carry security.istio.io/tlsMode: istio');
  }
  // the cluster's TLS comes from the mesh/namespace mode only (istio/istio:pilot/pkg/model/push_context.go,
  // BestEffortInferServiceMTLSMode "uses only mesh and namespace level PeerAuthentication"; cluster_tls.go
  // buildUpstreamTLSSettings: no TLS when it is DISABLE)
  if (namespaceMode === 'DISABLE') return none('auto-mTLS: the mesh/namespace PeerAuthentication is DISABLE');
  // each endpoint is marked plaintext when the PeerAuthentication composed for its workload and port
  // (workload-level and portLevelMtls included) is DISABLE (pilot/pkg/xds/endpoints/mtls_checker.go,
  // checkMtlsEnabled: NewMtlsPolicy(...).GetMutualTLSModeForPort(ep.EndpointPort) != MTLSDisable)
  if (endpointMode === 'DISABLE')
    return none(`auto-mTLS: the destination's PeerAuthentication makes port ${flow.port} DISABLE`);
  return {
    tls: 'istio-mutual',
    reason: 'auto-mTLS: the destination has a sidecar (security.istio.io/tlsMode: istio)',
    destinationRule: null,
  };
}
