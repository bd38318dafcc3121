/** The request attributes AuthorizationPolicy rules match on, from a flow (sidecar and ambient waypoint). */
import { addHeader } from '../../util/header-map.js';
import type { MeshConfig } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import { principalOf, type AuthzAttributes } from './attributes.js';
import { normalizeRequestPath } from './path-normalization.js';

/** Per mesh config (immutable, one per Snapshot): its trust domain and aliases, one list shared by every flow. */
const bundles = new WeakMap<MeshConfig, readonly string[]>();

function trustDomainsOf(mesh: MeshConfig): readonly string[] {
  let bundle = bundles.get(mesh);
  if (!bundle) bundles.set(mesh, (bundle = [mesh.trustDomain, ...mesh.trustDomainAliases]));
  return bundle;
}

/** `http`: the HTTP filter chain sees the request; `mtls`: the peer identity is known (the client's, or a waypoint's client's). */
export function attributes(snapshot: Snapshot, flow: FlowContext, http: boolean, mtls: boolean): AuthzAttributes {
  const mesh = snapshot.istio.mesh;
  const src = flow.source.type === 'pod' ? flow.source.pod : null;
  const sourceIp = flow.source.type === 'ip' ? flow.source.ip : (src?.ip ?? null);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(flow.http?.headers ?? {})) addHeader(headers, k, v);
  const h = flow.http;
  if (h?.method) headers[':method'] = h.method;
  if (h?.path) headers[':path'] = h.path;
  if (h?.host) headers[':authority'] = h.host;
  const xff = headers['x-forwarded-for']?.split(',').map((s) => s.trim());
  const remoteIp =
    mesh.numTrustedProxies > 0 && xff && xff.length > 0
      ? (xff[Math.max(0, xff.length - mesh.numTrustedProxies)] ?? sourceIp)
      : sourceIp;
  const svc = flow.service;
  return {
    http,
    principal: mtls && src ? principalOf(mesh.trustDomain, src.namespace, src.serviceAccount) : null,
    sourceIp,
    remoteIp,
    requestPrincipal: null,
    claims: null,
    method: http ? (h?.method ?? null) : null,
    path: http && h?.path ? normalizeRequestPath(h.path, mesh.pathNormalization).path : null,
    host: http ? (h?.host ?? null) : null,
    headers: http ? headers : {},
    port: flow.port,
    destinationIp: flow.destination.type === 'ip' ? flow.destination.ip : flow.destination.pod.ip,
    sni:
      mtls && svc && flow.servicePort !== null
        ? `outbound_.${flow.servicePort}_._.${svc.name}.${svc.namespace}.svc.cluster.local`
        : null,
    trustDomains: trustDomainsOf(mesh),
  };
}
