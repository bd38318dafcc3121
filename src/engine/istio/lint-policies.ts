/** Lint checks over AuthorizationPolicy/PeerAuthentication/RequestAuthentication scope and rules. */
import type { Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy, AuthzRule } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import { istioFinding, type IstioFinding } from '../../model/convert/istio-findings.js';
import { isWorkloadSelector, selectorMatches } from './labels.js';
import { findWaypoint, waypointFor } from '../ambient/waypoints.js';
import { GATEWAY_NAME_LABEL } from './policy-index.js';
import { serverMode } from './peer-authn.js';
import { httpOnlyFields } from './rule-match.js';
import { servicesSelecting } from '../../model/service-selection.js';
import { targetPortOn } from '../explain/ports.js';

type Scoped = {
  namespace: string;
  name: string;
  selector: AuthorizationPolicy['selector'];
  loc: AuthorizationPolicy['loc'];
};

/** Pods a namespace/root-scoped selector policy selects. */
export function selectedPods(snapshot: Snapshot, p: Scoped): readonly Pod[] {
  const root = snapshot.istio.mesh.rootNamespace;
  const pool = p.namespace === root ? snapshot.pods : (snapshot.index.podsByNamespace.get(p.namespace) ?? []);
  return isWorkloadSelector(p.selector)
    ? pool.filter((pod) => selectorMatches(p.selector as NonNullable<Scoped['selector']>, pod.labels))
    : pool;
}

/** A Service whose ambient pods send their traffic through a waypoint: targetRefs to it are enforced there. */
function servedByWaypoint(snapshot: Snapshot, namespace: string, name: string): boolean {
  const svc = (snapshot.index.servicesByNamespace.get(namespace) ?? []).find((s) => s.name === name);
  const sel = svc?.selector;
  if (!svc || !sel) return false;
  const pod = (snapshot.index.podsByNamespace.get(namespace) ?? []).find((x) =>
    Object.entries(sel).every(([k, v]) => x.labels[k] === v),
  );
  return pod !== undefined && waypointFor(snapshot, pod, svc).type === 'waypoint';
}

export function lintSelectors(
  snapshot: Snapshot,
  kind: string,
  policies: readonly (Scoped & { targetRefs?: AuthorizationPolicy['targetRefs'] })[],
): IstioFinding[] {
  const out: IstioFinding[] = [];
  for (const p of policies) {
    const object = { kind, namespace: p.namespace, name: p.name };
    for (const r of p.targetRefs ?? []) {
      if ((r.kind === 'Service' || r.kind === 'ServiceEntry') && !servedByWaypoint(snapshot, p.namespace, r.name)) {
        out.push(
          istioFinding(
            'targetref-waypoint-only',
            `${kind} ${p.namespace}/${p.name} targets ${r.kind} ${r.name}: only a waypoint (ambient) enforces it, never a sidecar`,
            { object, field: 'spec.targetRefs', loc: p.loc },
          ),
        );
      }
      const exists =
        r.kind === 'Gateway'
          ? (snapshot.index.podsByNamespace.get(p.namespace) ?? []).some(
              (pod) => pod.labels[GATEWAY_NAME_LABEL] === r.name,
            ) || findWaypoint(snapshot, { namespace: p.namespace, name: r.name }) !== null
          : r.kind === 'Service'
            ? (snapshot.index.servicesByNamespace.get(p.namespace) ?? []).some((s) => s.name === r.name)
            : r.kind === 'ServiceEntry'
              ? (snapshot.istio.detected ?? []).some(
                  (d) => d.kind === 'ServiceEntry' && d.namespace === p.namespace && d.name === r.name,
                )
              : true;
      if (!exists)
        out.push(
          istioFinding(
            'targetref-matches-nothing',
            `${kind} ${p.namespace}/${p.name}: targetRef ${r.kind} ${r.name} matches nothing in the input`,
            { object, field: 'spec.targetRefs', loc: p.loc },
          ),
        );
    }
    // AuthorizationPolicy: IST0127 no-matching-workloads (analyzers.ts) as istioctl analyze reports it
    if (
      kind !== 'AuthorizationPolicy' &&
      (p.targetRefs ?? []).length === 0 &&
      isWorkloadSelector(p.selector) &&
      selectedPods(snapshot, p).length === 0
    ) {
      out.push(
        istioFinding(
          'selector-matches-nothing',
          `${kind} ${p.namespace}/${p.name}: the selector matches no pod in the input`,
          { object, field: 'spec.selector', loc: p.loc },
        ),
      );
    }
  }
  return out;
}

export function identityFields(rule: AuthzRule): boolean {
  return (rule.from ?? []).some(
    (s) =>
      s.principals || s.notPrincipals || s.namespaces || s.notNamespaces || s.serviceAccounts || s.notServiceAccounts,
  );
}

function tcpPorts(snapshot: Snapshot, pod: Pod): Set<number> {
  const out = new Set<number>();
  for (const svc of servicesSelecting(snapshot, pod)) {
    for (const sp of svc.ports) {
      const declared = (sp.appProtocol ?? sp.name?.split('-')[0] ?? '').toLowerCase();
      if (!['tcp', 'tls', 'https', 'mongo', 'mysql', 'redis'].includes(declared)) continue;
      const target = targetPortOn(pod, sp);
      if (target !== null) out.add(target);
    }
  }
  return out;
}

/** Service ports that target another container port, for the pods a policy selects. */
function servicePortsOnly(snapshot: Snapshot, pods: readonly Pod[]): Map<number, { service: string; target: number }> {
  const out = new Map<number, { service: string; target: number }>();
  for (const pod of pods) {
    const listening = new Set(pod.containers.flatMap((c) => c.ports.map((cp) => cp.containerPort)));
    for (const svc of servicesSelecting(snapshot, pod)) {
      for (const sp of svc.ports) {
        const target = targetPortOn(pod, sp);
        if (target !== null && target !== sp.port && !listening.has(sp.port))
          out.set(sp.port, { service: svc.name, target });
      }
    }
  }
  return out;
}

function lintPortsAndPrincipals(snapshot: Snapshot, p: AuthorizationPolicy, pods: readonly Pod[]): IstioFinding[] {
  const out: IstioFinding[] = [];
  const object = { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name };
  const servicePorts = servicePortsOnly(snapshot, pods);
  p.rules.forEach((rule, i) => {
    for (const port of (rule.to ?? []).flatMap((o) => [...(o.ports ?? []), ...(o.notPorts ?? [])])) {
      const hit = servicePorts.get(Number(port));
      if (hit)
        out.push(
          istioFinding(
            'authz-port-is-service-port',
            `${p.namespace}/${p.name} rule ${i}: port ${port} is the port of Service ${hit.service}; the sidecar sees the container port ${hit.target}`,
            { object, field: `spec.rules[${i}].to`, loc: p.loc },
          ),
        );
    }
    for (const pr of (rule.from ?? []).flatMap((s) => [...(s.principals ?? []), ...(s.notPrincipals ?? [])])) {
      if (pr.startsWith('spiffe://'))
        out.push(
          istioFinding(
            'principal-spiffe-prefix',
            `${p.namespace}/${p.name} rule ${i}: principal "${pr}" must not start with spiffe:// (write ${pr.slice('spiffe://'.length)})`,
            { object, field: `spec.rules[${i}].from`, loc: p.loc },
          ),
        );
    }
  });
  return out;
}

export function lintRules(snapshot: Snapshot, p: AuthorizationPolicy): IstioFinding[] {
  const out: IstioFinding[] = [];
  const object = { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name };
  const pods = p.targetRefs.length === 0 ? selectedPods(snapshot, p) : [];
  p.rules.forEach((rule, i) => {
    const plaintext = identityFields(rule)
      ? pods.find((pod) => serverMode(snapshot, pod, pod.containers[0]?.ports[0]?.containerPort ?? 0).mode !== 'STRICT')
      : undefined;
    if (plaintext)
      out.push(
        istioFinding(
          'identity-without-mtls',
          `${p.namespace}/${p.name} rule ${i} matches on peer identity, but ${plaintext.namespace}/${plaintext.name} also accepts plaintext, which carries no identity (set PeerAuthentication STRICT)`,
          { object, field: `spec.rules[${i}].from`, loc: p.loc },
        ),
      );
    const http = httpOnlyFields(rule);
    const ports = (rule.to ?? []).flatMap((o) => o.ports ?? []).map(Number);
    const tcp =
      http.length > 0
        ? pods.flatMap((pod) => [...tcpPorts(snapshot, pod)]).find((port) => ports.length === 0 || ports.includes(port))
        : undefined;
    if (tcp !== undefined)
      out.push(
        istioFinding(
          'http-field-on-tcp-port',
          `${p.namespace}/${p.name} rule ${i} uses HTTP-only fields (${http.join(', ')}) and port ${tcp} is declared TCP: ${p.action === 'ALLOW' ? 'the rule never matches there' : 'those fields are ignored there (wider match)'}`,
          { object, field: `spec.rules[${i}]`, loc: p.loc },
        ),
      );
  });
  return [...out, ...lintPortsAndPrincipals(snapshot, p, pods)];
}

const EXACT_PRINCIPAL = /^[^*]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/;

export function lintIdentities(snapshot: Snapshot, p: AuthorizationPolicy): IstioFinding[] {
  const out: IstioFinding[] = [];
  const object = { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name };
  const seen = new Set<string>();
  const report = (ns: string, sa: string | null, field: string): void => {
    const key = `${ns}/${sa ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (!snapshot.namespaces.has(ns)) {
      if (seen.has(`ns:${ns}`)) return;
      seen.add(`ns:${ns}`);
      out.push(
        istioFinding('unknown-rule-namespace', `${p.namespace}/${p.name}: namespace ${ns} is not in the input`, {
          object,
          field,
          loc: p.loc,
        }),
      );
      return;
    }
    const pods = snapshot.index.podsByNamespace.get(ns) ?? [];
    // waypoint pods run as their Gateway's service account even when the input has no pod for them
    const waypointSa = (snapshot.waypoints ?? []).some((w) => w.namespace === ns && w.serviceAccount === sa);
    if (sa !== null && pods.length > 0 && !waypointSa && !pods.some((pod) => pod.serviceAccount === sa)) {
      out.push(
        istioFinding(
          'unknown-rule-service-account',
          `${p.namespace}/${p.name}: no pod in ${ns} runs as service account ${sa}`,
          { object, field, loc: p.loc },
        ),
      );
    }
  };
  p.rules.forEach((rule, i) =>
    (rule.from ?? []).forEach((s, j) => {
      const field = `spec.rules[${i}].from[${j}].source`;
      for (const pr of [...(s.principals ?? []), ...(s.notPrincipals ?? [])]) {
        const m = EXACT_PRINCIPAL.exec(pr);
        if (m) report(m[1] ?? '', m[2] ?? '', field);
      }
      // source namespaces/notNamespaces: IST0101 namespace-not-found (analyzers.ts)
      for (const sa of [...(s.serviceAccounts ?? []), ...(s.notServiceAccounts ?? [])]) {
        const [ns, name] = sa.includes('/') ? sa.split('/') : [p.namespace, sa];
        report(ns ?? '', name ?? '', field);
      }
    }),
  );
  return out;
}
