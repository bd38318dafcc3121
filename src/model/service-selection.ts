/**
 * Which pods a Service selects: those in its namespace whose labels hold every key/value of its
 * selector; a Service without a selector selects none (its endpoints are managed by hand:
 * https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors).
 */
import type { Pod, Service } from './k8s.js';
import type { Snapshot } from './snapshot.js';

export function serviceSelects(service: Service, pod: Pod): boolean {
  const selector = service.selector;
  return (
    selector !== null &&
    service.namespace === pod.namespace &&
    Object.entries(selector).every(([k, v]) => pod.labels[k] === v)
  );
}

/** The Services of the pod's namespace that select it. */
export function servicesSelecting(snapshot: Snapshot, pod: Pod): Service[] {
  return (snapshot.index.servicesByNamespace.get(pod.namespace) ?? []).filter((s) => serviceSelects(s, pod));
}
