/**
 * Istio's injection.Analyzer (istio/istio pkg/config/analysis/analyzers/injection/injection.go):
 * IST0123 NamespaceMultipleInjectionLabels, IST0102 NamespaceNotInjected, IST0103 PodMissingProxy.
 * Only Namespace objects of the input are read (not the ones meshdbg assumed), and only live
 * Pods for IST0103: a workload template never carries the proxy the injector adds at admission.
 * Not modelled: the injector ConfigMap's enableNamespacesByDefault (IST0147 instead of IST0102).
 */
import type { Namespace, Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { PROXY_CONTAINER } from '../../model/convert/sidecar.js';
import { istioFinding, type IstioFinding } from '../../model/convert/istio-findings.js';

const INJECTION = 'istio-injection';
const REV = 'istio.io/rev';
const DATAPLANE_MODE = 'istio.io/dataplane-mode';

function nsRef(ns: Namespace) {
  return { object: { kind: 'Namespace', namespace: null, name: ns.name }, field: 'metadata.labels', loc: ns.loc };
}

function analyzeNamespace(ns: Namespace): IstioFinding[] {
  const out: IstioFinding[] = [];
  const injection = ns.labels[INJECTION];
  const labels = injection !== undefined ? [`${INJECTION}=${injection}`] : [];
  for (const l of [REV, DATAPLANE_MODE])
    if (ns.labels[l] !== undefined && (injection === undefined || injection === 'enabled'))
      labels.push(`${l}=${ns.labels[l]}`);
  if (labels.length > 1)
    out.push(
      istioFinding(
        'namespace-multiple-injection-labels',
        `Namespace ${ns.name}: The namespace has more than one type of injection labels [${labels.join(' ')}], which may lead to undefined behavior. Make sure only one injection label exists.`,
        nsRef(ns),
      ),
    );
  if (ns.labels[DATAPLANE_MODE] === 'ambient') return out;
  if ((injection === undefined || injection === '') && ns.labels[REV] === undefined)
    out.push(
      istioFinding(
        'namespace-not-injected',
        `Namespace ${ns.name}: The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${ns.name} istio-injection=enabled' to enable it, or 'kubectl label namespace ${ns.name} istio-injection=disabled' to explicitly mark it as not needing injection.`,
        nsRef(ns),
      ),
    );
  return out;
}

function missingProxy(pod: Pod): IstioFinding[] {
  const inject = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'] ?? '';
  if (pod.fromTemplate || inject.toLowerCase() === 'false' || pod.hostNetwork) return [];
  if ([...pod.containers, ...pod.initContainers].some((c) => c.name === PROXY_CONTAINER)) return [];
  return [
    istioFinding(
      'pod-missing-proxy',
      `Pod ${pod.namespace}/${pod.name}: The pod ${pod.namespace}/${pod.name} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.`,
      { object: { kind: 'Pod', namespace: pod.namespace, name: pod.name }, loc: pod.loc },
    ),
  ];
}

export function analyzeInjection(snapshot: Snapshot): IstioFinding[] {
  const declared = [...snapshot.namespaces.values()].filter((ns) => !ns.synthesized && ns.name !== 'istio-system');
  const injected = new Set(
    declared
      .filter((ns) => ns.labels[INJECTION] === 'enabled' && ns.labels[DATAPLANE_MODE] !== 'ambient')
      .map((ns) => ns.name),
  );
  return [
    ...declared.flatMap(analyzeNamespace),
    ...snapshot.pods.filter((pod) => injected.has(pod.namespace)).flatMap(missingProxy),
  ];
}
