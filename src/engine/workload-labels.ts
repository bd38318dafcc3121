/** The labels to select a workload's pods by, in generated policies (fixes). */
import type { Labels, Pod } from '../model/k8s.js';

/** Labels the system adds per pod or per injection: never a stable selector. */
const GENERATED =
  /^(pod-template-hash|controller-revision-hash|statefulset\.kubernetes\.io\/pod-name|security\.istio\.io\/tlsMode|service\.istio\.io\/.*|batch\.kubernetes\.io\/.*|job-name|controller-uid)$/;

/** `app` (or app.kubernetes.io/name, k8s-app) when present, else the pod's stable labels. */
export function workloadLabels(pod: Pod): Labels {
  for (const key of ['app', 'app.kubernetes.io/name', 'k8s-app']) {
    const value = pod.labels[key];
    if (value !== undefined) return { [key]: value };
  }
  return Object.fromEntries(Object.entries(pod.labels).filter(([k]) => !GENERATED.test(k)));
}
