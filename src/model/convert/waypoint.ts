/**
 * Gateways of class istio-waypoint -> Waypoints. Other Gateways play no part in the answer.
 * Field semantics: https://istio.io/latest/docs/ambient/usage/waypoint/ and
 * istio/istio pilot/pkg/serviceregistry/ambient/waypoints.go (traffic type, readiness, allowedRoutes).
 */
import type { RawObject } from '../raw.js';
import type { Finding } from '../findings.js';
import {
  WAYPOINT_CLASS,
  WAYPOINT_FOR_LABEL,
  WAYPOINT_FOR_VALUES,
  type Waypoint,
  type WaypointFor,
} from '../ambient.js';
import { ConvertContext, arrayAt, isRecord, metadataOf, recordAt, stringAt, stringMap, type Json } from './context.js';
import { convertSelector } from './labels.js';
import { apiGroup } from './kinds.js';
import { nameOf, namespaceOf } from './core.js';

/** annotation gateway.istio.io/service-account overrides the pods' service account (deploymentcontroller.go). */
const SERVICE_ACCOUNT_ANNOTATION = 'gateway.istio.io/service-account';

export function isGateway(raw: RawObject): boolean {
  return raw.object['kind'] === 'Gateway' && apiGroup(String(raw.object['apiVersion'])) === 'gateway.networking.k8s.io';
}

function conditionStatus(status: Json | null, type: string): boolean | null {
  const c = (arrayAt(status?.['conditions']) ?? []).filter(isRecord).find((x) => x['type'] === type);
  return c ? c['status'] === 'True' : null;
}

function trafficFor(labels: Record<string, string>, ctx: ConvertContext): WaypointFor {
  const value = labels[WAYPOINT_FOR_LABEL];
  if (value === undefined) return 'service';
  if ((WAYPOINT_FOR_VALUES as readonly string[]).includes(value)) return value as WaypointFor;
  ctx.report(
    'invalid-field',
    `metadata.labels["${WAYPOINT_FOR_LABEL}"]`,
    `"${value}" is not one of ${WAYPOINT_FOR_VALUES.join(', ')}; istiod matches it against none of them, so no traffic can use this waypoint`,
    undefined,
    'warning',
  );
  return 'none';
}

/** allowedRoutes of the HBONE listener (port 15008), else of the first listener. */
function allowedRoutes(spec: Json, ctx: ConvertContext): Waypoint['allowedRoutes'] {
  const listeners = (arrayAt(spec['listeners']) ?? []).filter(isRecord);
  const i = Math.max(
    0,
    listeners.findIndex((l) => l['protocol'] === 'HBONE'),
  );
  const ns = recordAt(recordAt(listeners[i]?.['allowedRoutes'])?.['namespaces']);
  const from = stringAt(ns?.['from']) ?? 'Same';
  if (from === 'All' || from === 'Same') return { from, selector: null };
  if (from === 'Selector')
    return {
      from,
      selector: convertSelector(ns?.['selector'], `spec.listeners[${i}].allowedRoutes.namespaces.selector`, ctx),
    };
  ctx.report(
    'invalid-field',
    `spec.listeners[${i}].allowedRoutes.namespaces.from`,
    `"${from}" is not All, Same or Selector`,
  );
  return { from: 'Same', selector: null };
}

export function convertWaypoint(raw: RawObject, defaultNamespace: string, sink: Finding[]): Waypoint | null {
  const spec = recordAt(raw.object['spec']) ?? {};
  if (spec['gatewayClassName'] !== WAYPOINT_CLASS) return null;
  const namespace = namespaceOf(raw.object, defaultNamespace);
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind: 'Gateway', namespace, name }, sink);
  const meta = metadataOf(raw.object);
  const status = recordAt(raw.object['status']);
  const addresses = arrayAt(status?.['addresses']);
  return {
    namespace,
    name,
    trafficFor: trafficFor(stringMap(meta['labels']), ctx),
    serviceAccount: stringMap(meta['annotations'])[SERVICE_ACCOUNT_ANNOTATION] ?? name,
    ready: status === null ? null : (addresses?.length ?? 0) > 0,
    programmed: conditionStatus(status, 'Programmed'),
    allowedRoutes: allowedRoutes(spec, ctx),
    loc: raw.loc,
  };
}

export function convertWaypoints(objects: readonly RawObject[], defaultNamespace: string, sink: Finding[]): Waypoint[] {
  return objects
    .filter(isGateway)
    .map((raw) => convertWaypoint(raw, defaultNamespace, sink))
    .filter((w): w is Waypoint => w !== null);
}
