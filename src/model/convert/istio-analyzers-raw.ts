/**
 * Istio analyzers that read kinds meshdbg keeps only as raw objects (Deployments' env,
 * VirtualService matches, networking.istio.io Gateways), so they run on the raw input:
 * IST0175 JwksUriFetchUnrestricted (analyzers/authn/blockedcidrs.go) and IST0149
 * JwtClaimBasedRoutingWithoutRequestAuthN (analyzers/virtualservice/jwtclaimroute.go).
 */
import type { RawObject } from '../raw.js';
import { istioFinding, type IstioFinding } from './istio-findings.js';
import { apiGroup, labelMap, list, meta, rec, str, type RawRecord } from './istio-raw.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

function ofKind(objects: readonly RawObject[], group: string, kind: string): RawObject[] {
  return objects.filter((o) => o.object['kind'] === kind && apiGroup(str(o.object['apiVersion']) ?? '') === group);
}

/** IST0175: RequestAuthentications exist and an istiod Deployment (label app=istiod) sets no BLOCKED_CIDRS_IN_JWKS_URIS. */
function blockedCidrs(objects: readonly RawObject[], defaultNamespace: string): IstioFinding[] {
  const ras = ofKind(objects, 'security.istio.io', 'RequestAuthentication').map((o) => {
    const m = meta(o.object);
    return `${m.namespace ?? defaultNamespace}/${m.name}`;
  });
  if (ras.length === 0) return [];
  const names = ras.length <= 5 ? ras.join(', ') : `${ras.slice(0, 5).join(', ')}, and ${ras.length - 5} more`;
  return ofKind(objects, 'apps', 'Deployment')
    .filter((o) => meta(o.object).labels['app'] === 'istiod')
    .filter((o) => {
      const containers = list(rec(rec(rec(o.object['spec'])['template'])['spec'])['containers']);
      return !containers.some((c) =>
        list(rec(c)['env']).some((e) => rec(e)['name'] === 'BLOCKED_CIDRS_IN_JWKS_URIS' && !!str(rec(e)['value'])),
      );
    })
    .map((o) => {
      const m = meta(o.object);
      const ns = m.namespace ?? defaultNamespace;
      return istioFinding(
        'jwks-fetch-unrestricted',
        `Deployment ${ns}/${m.name}: BLOCKED_CIDRS_IN_JWKS_URIS is not configured but ${ras.length} RequestAuthentication resource(s) exist (${names}). Consider configuring it to restrict JWKS URI fetches to trusted networks.`,
        {
          object: { kind: 'Deployment', namespace: ns, name: m.name },
          field: 'spec.template.spec.containers',
          loc: o.loc,
        },
      );
    });
}

/** jwt.ToRoutingClaim (istio/istio pkg/jwt/routing.go): `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`. */
export function isJwtClaimRouteHeader(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.toLowerCase().startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

function claimRouteKey(vs: RawRecord): string | null {
  for (const route of list(rec(vs['spec'])['http']))
    for (const match of list(rec(route)['match']))
      for (const field of ['headers', 'withoutHeaders'])
        for (const key of Object.keys(rec(rec(match)[field]))) if (isJwtClaimRouteHeader(key)) return key;
  return null;
}

interface LabelledPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Pods of the input, and (which Istio's analyzer does not read) the pod templates of workloads. */
function podsOf(objects: readonly RawObject[], defaultNamespace: string): LabelledPod[] {
  return objects.flatMap((o): LabelledPod[] => {
    const m = meta(o.object);
    const namespace = m.namespace ?? defaultNamespace;
    if (o.object['kind'] === 'Pod') return [{ namespace, name: m.name, labels: m.labels }];
    if (!WORKLOAD_KINDS.has(String(o.object['kind']))) return [];
    const template = rec(rec(o.object['spec'])['template']);
    return [{ namespace, name: m.name, labels: labelMap(rec(template['metadata'])['labels']) }];
  });
}

const matches = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/**
 * IST0149: a VirtualService routing on a JWT claim at a gateway whose pods no RequestAuthentication
 * selects. Istio's analyzer looks for RequestAuthentications in istio-system; meshdbg reads the
 * configured root namespace (istio-system by default), where istiod applies them mesh-wide.
 */
function jwtClaimRoutes(
  objects: readonly RawObject[],
  defaultNamespace: string,
  rootNamespace: string,
): IstioFinding[] {
  const ras = ofKind(objects, 'security.istio.io', 'RequestAuthentication').map((o) => ({
    namespace: meta(o.object).namespace ?? defaultNamespace,
    selector: labelMap(rec(rec(o.object['spec'])['selector'])['matchLabels']),
  }));
  const gateways = ofKind(objects, 'networking.istio.io', 'Gateway');
  const pods = podsOf(objects, defaultNamespace);
  return ofKind(objects, 'networking.istio.io', 'VirtualService').flatMap((o) => {
    const key = claimRouteKey(o.object);
    if (key === null) return [];
    const m = meta(o.object);
    const vsNs = m.namespace ?? defaultNamespace;
    return list(rec(o.object['spec'])['gateways']).flatMap((g) => {
      const gw = str(g);
      if (gw === null || gw === 'mesh') return [];
      const [gwNs, gwName] = gw.includes('/') ? gw.split('/', 2) : [vsNs, gw];
      const found = gateways.find(
        (x) => meta(x.object).name === gwName && (meta(x.object).namespace ?? defaultNamespace) === gwNs,
      );
      if (!found) return [];
      const selector = labelMap(rec(found.object['spec'])['selector']);
      return pods
        .filter((p) => matches(selector, p.labels))
        .filter(
          (p) =>
            !ras.some(
              (r) => (r.namespace === rootNamespace || r.namespace === p.namespace) && matches(r.selector, p.labels),
            ),
        )
        .map((p) =>
          istioFinding(
            'jwt-claim-route-without-requestauthn',
            `VirtualService ${vsNs}/${m.name}: The virtual service uses the JWT claim based routing (key: ${key}) but found no request authentication for the gateway (${gwNs}/${gwName}) pod (${p.name}). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.`,
            { object: { kind: 'VirtualService', namespace: vsNs, name: m.name }, field: 'spec.http', loc: o.loc },
          ),
        );
    });
  });
}

export function analyzeRawIstio(
  objects: readonly RawObject[],
  options: { defaultNamespace: string; rootNamespace: string },
): IstioFinding[] {
  return [
    ...blockedCidrs(objects, options.defaultNamespace),
    ...jwtClaimRoutes(objects, options.defaultNamespace, options.rootNamespace),
  ];
}
