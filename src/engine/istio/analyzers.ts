/**
 * Istio's analyzers (`istioctl analyze`) for what meshdbg reads, as warnings carrying the IST code
 * (istio/istio pkg/config/analysis/msg/messages.yaml), each following the analyzer named on it.
 */
import type { Namespace, Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy, DestinationRule } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import { dataplaneMode } from '../../model/ambient.js';
import { PROXY_CONTAINER } from '../../model/convert/sidecar.js';
import { istioFinding, type IstioFinding } from '../../model/convert/istio-findings.js';
import { selectorMatches } from './labels.js';

const INJECT = 'sidecar.istio.io/inject';

/**
 * util.PodInMesh / PodInAmbientMode (analyzers/util/in_mesh.go): an istio-proxy container, else the
 * pod's own sidecar.istio.io/inject label or annotation, else its Namespace's istio-injection=enabled;
 * or the CNI's ambient.istio.io/redirection=enabled. A workload template (which Istio's analyzers do
 * not read) is in the mesh as meshdbg's injection and ambient inference put it.
 */
export function podInMesh(pod: Pod, ns: Namespace | undefined): boolean {
  if ([...pod.containers, ...pod.initContainers].some((c) => c.name === PROXY_CONTAINER)) return true;
  if (pod.annotations['ambient.istio.io/redirection'] === 'enabled') return true;
  if (pod.fromTemplate) return dataplaneMode(pod, ns) === 'ambient';
  const own = pod.labels[INJECT] ?? pod.annotations[INJECT];
  if (own !== undefined) return own === 'true';
  return ns !== undefined && !ns.synthesized && ns.labels['istio-injection'] === 'enabled';
}

/** klabels.SelectorFromSet(...).String(): sorted key=value pairs joined by commas. */
function selectorString(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(',');
}

/** IST0127 NoMatchingWorkloadsFound (analyzers/authz/authorizationpolicies.go analyzeNoMatchingWorkloads). */
function noMatchingWorkloads(snapshot: Snapshot, p: AuthorizationPolicy): IstioFinding[] {
  if (p.targetRefs.length > 0) return []; // targetRefs: see targetref-matches-nothing
  const inMesh = (pod: Pod) => podInMesh(pod, snapshot.namespaces.get(pod.namespace));
  const root = p.namespace === snapshot.istio.mesh.rootNamespace;
  if (root && p.selector === null) return [];
  const pool = (root ? snapshot.pods : (snapshot.index.podsByNamespace.get(p.namespace) ?? [])).filter(inMesh);
  const selector = p.selector;
  if (selector === null ? pool.length > 0 : pool.some((pod) => selectorMatches(selector, pod.labels))) return [];
  const labels = selector === null ? '' : selectorString(selector.matchLabels);
  return [
    istioFinding(
      'no-matching-workloads',
      `AuthorizationPolicy ${p.namespace}/${p.name}: No matching workloads for this resource with the following labels: ${labels}${selector === null ? ' (a namespace-wide policy in a namespace without in-mesh pods)' : ''}`,
      {
        object: { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name },
        field: 'spec.selector',
        loc: p.loc,
      },
    ),
  ];
}

/** namespaceMatch of authorizationpolicies.go: `*`, a `*` prefix or suffix, else equal ignoring case. */
export function analyzerNamespaceMatch(ns: string, exp: string): boolean {
  if (exp === '*') return true;
  if (exp.startsWith('*')) return ns.endsWith(exp.slice(1));
  if (exp.endsWith('*')) return ns.startsWith(exp.slice(0, -1));
  return ns.toLowerCase() === exp.toLowerCase();
}

/** IST0101 ReferencedResourceNotFound (authorizationpolicies.go analyzeNamespaceNotFound). */
function namespacesNotFound(snapshot: Snapshot, p: AuthorizationPolicy): IstioFinding[] {
  const names = [...snapshot.namespaces.keys()];
  return p.rules.flatMap((rule, i) =>
    (rule.from ?? []).flatMap((s, j) =>
      [...(s.namespaces ?? []), ...(s.notNamespaces ?? [])]
        .filter((exp) => !names.some((ns) => analyzerNamespaceMatch(ns, exp)))
        .map((exp) =>
          istioFinding(
            'namespace-not-found',
            `AuthorizationPolicy ${p.namespace}/${p.name}: Referenced namespace not found: "${exp}"`,
            {
              object: { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name },
              field: `spec.rules[${i}].from[${j}].source`,
              loc: p.loc,
            },
          ),
        ),
    ),
  );
}

export function analyzeAuthorizationPolicies(snapshot: Snapshot): IstioFinding[] {
  return snapshot.istio.authorizationPolicies.flatMap((p) => [
    ...noMatchingWorkloads(snapshot, p),
    ...namespacesNotFound(snapshot, p),
  ]);
}

function tlsWithoutCa(tls: unknown, hasSelector: boolean): string | null {
  const t = tls !== null && typeof tls === 'object' ? (tls as Record<string, unknown>) : {};
  const mode = t['mode'];
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return null;
  const credential = typeof t['credentialName'] === 'string' && t['credentialName'] !== '';
  return (typeof t['caCertificates'] !== 'string' || t['caCertificates'] === '') && !(credential && hasSelector)
    ? mode
    : null;
}

/**
 * IST0128 / IST0129 NoServerCertificateVerification{DestinationLevel,PortLevel}
 * (analyzers/destinationrule/ca-certificates.go): TLS mode SIMPLE or MUTUAL with no caCertificates
 * (a credentialName counts only with a workloadSelector).
 */
function analyzeDestinationRule(dr: DestinationRule): IstioFinding[] {
  const spec = (dr.raw as { spec?: Record<string, unknown> }).spec ?? {};
  const policy = (spec['trafficPolicy'] ?? {}) as Record<string, unknown>;
  const object = { kind: 'DestinationRule', namespace: dr.namespace, name: dr.name };
  const hasSelector = spec['workloadSelector'] !== undefined && spec['workloadSelector'] !== null;
  const out: IstioFinding[] = [];
  const top = tlsWithoutCa(policy['tls'], hasSelector);
  const head = `DestinationRule ${dr.namespace}/${dr.name}: DestinationRule ${dr.namespace}/${dr.name} in namespace ${dr.namespace}`;
  if (top)
    out.push(
      istioFinding(
        'dr-no-ca-certificates',
        `${head} has TLS mode set to ${top} but no caCertificates are set to validate server identity for host: ${dr.host}`,
        { object, field: 'spec.trafficPolicy.tls', loc: dr.loc },
      ),
    );
  const ports = Array.isArray(policy['portLevelSettings']) ? (policy['portLevelSettings'] as unknown[]) : [];
  ports.forEach((raw, i) => {
    const setting = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const mode = tlsWithoutCa(setting['tls'], hasSelector);
    const port = (setting['port'] ?? {}) as Record<string, unknown>;
    if (mode)
      out.push(
        istioFinding(
          'dr-port-no-ca-certificates',
          `${head} has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${dr.host} at port number:${String(port['number'] ?? '')}`,
          { object, field: `spec.trafficPolicy.portLevelSettings[${i}].tls`, loc: dr.loc },
        ),
      );
  });
  return out;
}

export function analyzeDestinationRules(snapshot: Snapshot): IstioFinding[] {
  return snapshot.istio.destinationRules.flatMap(analyzeDestinationRule);
}
