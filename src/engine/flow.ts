/**
 * What the engine evaluates once peers are resolved: one connection between two endpoints.
 * Shared by the NetworkPolicy and Istio layers and the explain orchestrator.
 */
import type { Pod, Protocol, Service } from '../model/k8s.js';
import type { Cni } from '../model/snapshot.js';
import type { HttpRequestSpec, JwtSpec } from './explanation.js';

export type Endpoint = { readonly type: 'pod'; readonly pod: Pod } | { readonly type: 'ip'; readonly ip: string };

export interface FlowContext {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly protocol: Protocol;
  /** the port the destination pod receives (after Service port -> targetPort mapping) */
  readonly port: number;
  /** the Service port the client used, when the destination resolved to a Service with a ClusterIP */
  readonly servicePort: number | null;
  readonly service: Service | null;
  /** appProtocol or the name-derived protocol of the Service port, when known */
  readonly appProtocol: string | null;
  readonly http: HttpRequestSpec | null;
  readonly mtlsOverride: boolean | null;
  readonly jwt: JwtSpec | null;
  readonly extAuthz: 'allow' | 'deny' | null;
  readonly now: string | null;
  readonly resolve: Readonly<Record<string, readonly string[]>>;
  readonly cni: Cni;
  /**
   * A verdict-only evaluation (`map`): the same layers, steps, conditions and verdict, without the
   * parts only an explanation prints (fixes, per-flow findings).
   */
  readonly verdictOnly?: boolean;
}

/**
 * The port as the user asked for it: the Service port, with the pod port it reaches when they
 * differ (`port 80 (pod port 8080)`), or the pod port when the query went to a pod.
 */
export function portAsAsked(flow: Pick<FlowContext, 'port' | 'servicePort'>): string {
  return flow.servicePort !== null && flow.servicePort !== flow.port
    ? `port ${flow.servicePort} (pod port ${flow.port})`
    : `port ${flow.port}`;
}

/**
 * A connection with nothing asked beyond its endpoints, protocol and port: no Service, request,
 * JWT, mTLS override or ext_authz answer (what `map` evaluates per class pair; `appProtocol` is
 * the destination port's declared protocol when the caller knows it).
 */
export function connectionFlow(
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
  options: { readonly cni: Cni; readonly appProtocol?: string | null; readonly verdictOnly?: boolean },
): FlowContext {
  return {
    source,
    destination,
    protocol,
    port,
    servicePort: null,
    service: null,
    appProtocol: options.appProtocol ?? null,
    http: null,
    mtlsOverride: null,
    jwt: null,
    extAuthz: null,
    now: null,
    resolve: {},
    cni: options.cni,
    verdictOnly: options.verdictOnly ?? false,
  };
}
