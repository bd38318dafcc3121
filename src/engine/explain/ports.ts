/** Service port -> targetPort mapping and protocol choice for a query. */
import type { Pod, Protocol, Service, ServicePort } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { resolveNamedPort } from '../network-policy/endpoint.js';
import { serviceSelects, servicesSelecting } from '../../model/service-selection.js';

export interface PortChoice {
  readonly protocol: Protocol;
  /** the port the client used */
  readonly requested: number;
  readonly servicePort: ServicePort | null;
}

export type PortError = { readonly code: 'port-required' | 'bad-query'; readonly message: string };

function listPorts(service: Service): string {
  return service.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ');
}

/** Picks the Service port a query means; null servicePort when the Service is headless or not involved. */
export function chooseServicePort(
  service: Service | null,
  port: number | null,
  protocol: Protocol | null,
): PortChoice | PortError | 'not-a-service-port' {
  const mapped = service !== null && service.clusterIP !== 'None';
  if (port === null) {
    if (service && service.ports.length === 1) {
      const only = service.ports[0] as ServicePort;
      return { protocol: protocol ?? only.protocol, requested: only.port, servicePort: mapped ? only : null };
    }
    const hint = service
      ? ` (Service ${service.namespace}/${service.name} has ports ${listPorts(service) || 'none'})`
      : '';
    return { code: 'port-required', message: `--port is required${hint}` };
  }
  if (!mapped || !service) return { protocol: protocol ?? 'TCP', requested: port, servicePort: null };
  const candidates = service.ports.filter((p) => p.port === port && (protocol === null || p.protocol === protocol));
  if (candidates.length > 1) {
    return {
      code: 'port-required',
      message: `Service ${service.namespace}/${service.name} has port ${port} for ${candidates.map((c) => c.protocol).join(' and ')}; give --protocol`,
    };
  }
  const sp = candidates[0];
  if (!sp) return 'not-a-service-port';
  return { protocol: protocol ?? sp.protocol, requested: port, servicePort: sp };
}

/** The pod port a Service port reaches on one pod; null when a named targetPort is missing there. */
export function targetPortOn(pod: Pod, sp: ServicePort): number | null {
  return typeof sp.targetPort === 'number' ? sp.targetPort : resolveNamedPort(pod, sp.targetPort, sp.protocol);
}

/** appProtocol, else the protocol a port name prefix declares (`http-web` -> http). */
export function declaredAppProtocol(sp: ServicePort | null): string | null {
  if (!sp) return null;
  if (sp.appProtocol) return sp.appProtocol.toLowerCase();
  if (!sp.name) return null;
  const prefix = sp.name.split('-')[0]?.toLowerCase() ?? '';
  return prefix || null;
}

/** For a destination that is not a Service: the Service port that targets this pod port, if any. */
export function servicePortTargeting(
  services: readonly Service[],
  pod: Pod,
  port: number,
  protocol: Protocol,
): ServicePort | null {
  for (const s of services) {
    if (!serviceSelects(s, pod)) continue;
    for (const sp of s.ports) if (sp.protocol === protocol && targetPortOn(pod, sp) === port) return sp;
  }
  return null;
}

/**
 * Per Snapshot (immutable, so never stale) and pod: the Services that select it, found once. Every
 * query to a pod port asks which Service port declares its protocol.
 */
const selectingServices = new WeakMap<Snapshot, WeakMap<Pod, readonly Service[]>>();

function servicesOf(snapshot: Snapshot, pod: Pod): readonly Service[] {
  let byPod = selectingServices.get(snapshot);
  if (!byPod) selectingServices.set(snapshot, (byPod = new WeakMap()));
  let services = byPod.get(pod);
  if (!services) byPod.set(pod, (services = servicesSelecting(snapshot, pod)));
  return services;
}

/** The Service port of the pod's namespace that targets this pod port, if any: what declares its protocol. */
export function servicePortOfPodPort(
  snapshot: Snapshot,
  pod: Pod,
  port: number,
  protocol: Protocol,
): ServicePort | null {
  return servicePortTargeting(servicesOf(snapshot, pod), pod, port, protocol);
}
