/**
 * The waypoint's authz-custom, jwt, authz-deny and authz-allow steps (enforcer `waypoint`): the
 * policies bound to it with targetRefs, with full L7 semantics and the client's identity as source
 * (https://istio.io/latest/docs/ambient/usage/l4-policy/, attachment table: `targetRefs` -> source
 * identity "client pod", enforced by the waypoint). Evaluated with the same rule engine as a sidecar;
 * a denial answers 403 `RBAC: access denied` on HTTP.
 */
import type { Pod, Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Fix, Layer, Step } from '../explanation.js';
import { notApplicable, type LayerResult } from '../layer.js';
import type { FlowContext } from '../flow.js';
import type { Waypoint } from '../../model/ambient.js';
import type { ReachabilityCheck } from '../istio/types.js';
import { attributes } from '../istio/request-attributes.js';
import { evaluateAllow, evaluateDeny } from '../istio/authz.js';
import { evaluateCustom } from '../istio/authz-custom.js';
import { evaluateJwt } from '../istio/jwt.js';
import { istiodFor } from '../istio/istiod.js';
import { manualFix } from '../istio/fix.js';
import { createFix, fixObjectName } from '../fix-manifest.js';
import { waypointAuthzPolicies, waypointRequestAuthentications } from './binding.js';

/** The waypoint's four L7 layers for one flow, each its own result (the ALLOW layer lists the authz fixes). */
export interface WaypointAuthzOutcome {
  readonly custom: LayerResult;
  readonly jwt: LayerResult;
  readonly deny: LayerResult;
  readonly allow: LayerResult;
  /** the JWT as echoed in the request (never the raw token) */
  readonly echo: Record<string, unknown> | null;
}

/** A waypoint layer, not applicable: no waypoint in the path. */
export function noWaypoint(layer: Layer, reason: string): LayerResult {
  return notApplicable(layer, `no waypoint: ${reason}`, 'waypoint');
}

const slug = (text: string): string => fixObjectName(text, 50);

/** A new ALLOW bound to the waypoint (Service targetRef for Service traffic, else the Gateway). */
function waypointAllowFix(w: Waypoint, service: Service | null, principal: string | null, flow: FlowContext): Fix {
  const target = service
    ? { group: '', kind: 'Service', name: service.name }
    : { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: w.name };
  const namespace = service ? service.namespace : w.namespace;
  const name = slug(
    `allow-${flow.source.type === 'pod' ? (flow.source.pod.owners[0]?.name ?? flow.source.pod.name) : 'external'}-via-${w.name}-${flow.port}`,
  );
  const operation: Record<string, readonly string[]> = { ports: [String(flow.port)] };
  if (flow.http?.method) operation['methods'] = [flow.http.method];
  if (flow.http?.path) operation['paths'] = [flow.http.path.split('?')[0] ?? flow.http.path];
  const rule: Record<string, unknown> = { to: [{ operation }] };
  if (principal) rule['from'] = [{ source: { principals: [principal] } }];
  return createFix(
    `no ALLOW rule bound to waypoint ${w.namespace}/${w.name} matches; allow ${principal ?? 'this client'} with a policy bound to the waypoint with targetRefs`,
    { kind: 'AuthorizationPolicy', namespace, name },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name, namespace },
      spec: { targetRefs: [target], action: 'ALLOW', rules: [rule] },
    },
  );
}

export function evaluateWaypointAuthz(
  snapshot: Snapshot,
  flow: FlowContext,
  w: Waypoint,
  wpPod: Pod,
  service: Service | null,
  clientHasIdentity: boolean,
  http: boolean,
  reach: ReachabilityCheck,
): WaypointAuthzOutcome {
  const policies = waypointAuthzPolicies(snapshot, w, service);
  const attrs = attributes(snapshot, flow, http, clientHasIdentity);
  const custom = evaluateCustom(policies, attrs, snapshot.istio.mesh.extensionProviders, flow.extAuthz);
  const istiod = istiodFor(snapshot, wpPod.annotations['istio.io/rev'] ?? 'default').pod;
  const ras = waypointRequestAuthentications(snapshot, w, service);
  const jwt = evaluateJwt(snapshot, flow, wpPod, http, istiod, reach, ras);
  const withJwt = { ...attrs, requestPrincipal: jwt.requestPrincipal, claims: jwt.claims };
  const deny = evaluateDeny(policies, withJwt, snapshot.istio.mesh.rootNamespace);
  const allow = evaluateAllow(policies, withJwt);
  const tag = (s: Step): Step => ({ ...s, enforcer: 'waypoint', waypoint: { namespace: w.namespace, name: w.name } });
  const fix: Fix[] = [];
  if (allow.step.verdict === 'denied') fix.push(waypointAllowFix(w, service, withJwt.principal, flow));
  const denying = deny.step.policies[0];
  if (deny.step.verdict === 'denied' && denying)
    fix.push(
      manualFix(
        `DENY rule ${denying.ruleRef} matches at waypoint ${w.namespace}/${w.name}`,
        { kind: 'AuthorizationPolicy', namespace: denying.namespace, name: denying.name },
        'Narrow the DENY rule or delete it; meshdbg does not guess which traffic it is meant to stop.',
      ),
    );
  return {
    custom: { step: tag(custom.step), response: custom.response, conditions: custom.conditions },
    jwt: { step: tag(jwt.step), response: jwt.response, conditions: jwt.conditions },
    deny: { step: tag(deny.step), response: deny.response, conditions: deny.conditions },
    allow: { ...allow, step: tag(allow.step), fix },
    echo: jwt.echo,
  };
}
