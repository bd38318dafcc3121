/**
 * A pod meshdbg assumes when the input lacks it (a standard istiod, ztunnel, a waypoint's proxy):
 * the representative pod of a workload template that was never read, with no address, node or status.
 */
import type { Container, Labels, Pod, WorkloadRef } from './k8s.js';

export interface AssumedPodSpec {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly serviceAccount: string;
  readonly containers: readonly Container[];
  readonly owner: WorkloadRef;
}

export function assumedPod(spec: AssumedPodSpec): Pod {
  return {
    namespace: spec.namespace,
    name: spec.name,
    labels: spec.labels,
    annotations: {},
    ip: null,
    hostNetwork: false,
    serviceAccount: spec.serviceAccount,
    containers: spec.containers,
    initContainers: [],
    owners: [spec.owner],
    fromTemplate: true,
    nodeName: null,
    phase: null,
    ready: null,
    restarts: 0,
    loc: null,
  };
}
