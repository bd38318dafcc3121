/**
 * Calico policy objects (projectcalico.org/v3 and crd.projectcalico.org/v1, same spec) to typed values:
 * projectcalico/calico:api/pkg/apis/projectcalico/v3/networkpolicy.go (tier default "default", order
 * none = applied last, Types defaulted from the rules present), globalnetworkpolicy.go (namespaceSelector),
 * stagednetworkpolicy.go (stagedAction), tier.go (order, defaultAction Deny|Pass, well-known tier rules),
 * networkset.go / globalnetworkset.go (labels + nets).
 */
import type { Finding } from '../findings.js';
import type { RawObject } from '../raw.js';
import type { CalicoNetworkSet, CalicoPolicy, CalicoPolicyKind, CalicoRule, CalicoTier } from '../calico/policy.js';
import { ConvertContext, arrayAt, metadataOf, recordAt, stringAt, stringMap, type Json } from './context.js';
import { convertCalicoNets, convertCalicoRule, convertCalicoSelector } from './calico-rule.js';
import { nameOf, namespaceOf } from './core.js';
import { checkCalicoPolicyName, checkCalicoPolicySpec } from './calico-policy-checks.js';

/** tier.go well-known tiers: name -> [order, defaultAction] the CRD's CEL rules require. */
export const WELL_KNOWN_TIERS: Readonly<Record<string, readonly [number, 'Deny' | 'Pass']>> = {
  'kube-admin': [1_000, 'Pass'],
  default: [1_000_000, 'Deny'],
  'kube-baseline': [10_000_000, 'Pass'],
};

const GLOBAL_KINDS = new Set<CalicoPolicyKind>(['GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy']);

function orderOf(spec: Json, ctx: ConvertContext): number | null {
  const order = spec['order'];
  if (order === undefined || order === null) return null;
  if (typeof order === 'number' && Number.isFinite(order)) return order;
  ctx.report('invalid-field', 'spec.order', `${JSON.stringify(order)} is not a number`, spec);
  return null;
}

function rulesOf(spec: Json, direction: 'ingress' | 'egress', ctx: ConvertContext): CalicoRule[] {
  const list = arrayAt(spec[direction]) ?? [];
  return list.flatMap((r, i) => convertCalicoRule(r, `spec.${direction}[${i}]`, direction, ctx) ?? []);
}

/** networkpolicy.go Types: defaulted from the rules present; a repeat is refused (validateNetworkPolicySpec). */
function typesOf(spec: Json, ingress: number, egress: number, ctx: ConvertContext): ('Ingress' | 'Egress')[] {
  const raw = arrayAt(spec['types']);
  if (!raw || raw.length === 0) return egress === 0 ? ['Ingress'] : ingress === 0 ? ['Egress'] : ['Ingress', 'Egress'];
  const types: ('Ingress' | 'Egress')[] = [];
  for (const [i, t] of raw.entries()) {
    if (t !== 'Ingress' && t !== 'Egress')
      ctx.report('invalid-field', `spec.types[${i}]`, `${JSON.stringify(t)} is not Ingress or Egress`, raw);
    else if (types.includes(t)) ctx.report('invalid-field', 'spec.types', `'${t}' type specified more than once`, raw);
    else types.push(t);
  }
  return types;
}

export function stagedActionOf(spec: Json, kind: string, ctx: ConvertContext): 'Set' | 'Delete' | null {
  if (!kind.startsWith('Staged')) return null;
  const action = spec['stagedAction'] || 'Set';
  if (action === 'Set' || action === 'Delete') return action;
  // policy_common.go StagedAction enum also has Learn and Ignore; Calico's update processors
  // (libcalico-go/lib/backend/syncersv1/updateprocessors/staged*processor.go) treat every value but Delete as Set.
  if (action === 'Learn' || action === 'Ignore') return 'Set';
  ctx.report(
    'invalid-field',
    'spec.stagedAction',
    `${JSON.stringify(action)} is not Set, Delete, Learn or Ignore`,
    spec,
  );
  return 'Set';
}

export function convertCalicoPolicy(
  raw: RawObject,
  kind: CalicoPolicyKind,
  defaultNamespace: string,
  sink: Finding[],
): CalicoPolicy {
  const global = GLOBAL_KINDS.has(kind);
  const namespace = global ? null : namespaceOf(raw.object, defaultNamespace);
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind, namespace, name }, sink);
  const spec = recordAt(raw.object['spec']) ?? {};
  const selectorText = stringAt(spec['selector']) ?? '';
  checkCalicoPolicyName(name, global, String(raw.object['apiVersion'] ?? ''), ctx);
  checkCalicoPolicySpec(spec, global, ctx);
  const ingress = rulesOf(spec, 'ingress', ctx);
  const egress = rulesOf(spec, 'egress', ctx);
  return {
    kind,
    namespace,
    name,
    tier: stringAt(spec['tier']) || 'default',
    order: orderOf(spec, ctx),
    selector: convertCalicoSelector(selectorText, 'spec.selector', ctx, spec) ?? { op: 'all' },
    selectorText,
    namespaceSelector: global
      ? convertCalicoSelector(spec['namespaceSelector'], 'spec.namespaceSelector', ctx, spec)
      : null,
    serviceAccountSelector: convertCalicoSelector(
      spec['serviceAccountSelector'],
      'spec.serviceAccountSelector',
      ctx,
      spec,
    ),
    types: typesOf(spec, ingress.length, egress.length, ctx),
    ingress,
    egress,
    stagedAction: stagedActionOf(spec, kind, ctx),
    loc: raw.loc,
  };
}

export function convertCalicoTier(raw: RawObject, sink: Finding[]): CalicoTier {
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind: 'Tier', namespace: null, name }, sink);
  const spec = recordAt(raw.object['spec']) ?? {};
  const order = orderOf(spec, ctx);
  const rawAction = spec['defaultAction'] ?? 'Deny';
  const defaultAction = rawAction === 'Pass' ? 'Pass' : 'Deny';
  if (rawAction !== 'Pass' && rawAction !== 'Deny')
    ctx.report('invalid-field', 'spec.defaultAction', `${JSON.stringify(rawAction)} is not Pass or Deny`, spec);
  // validator.go validateTier: a DNS label (no dots, at most 63 characters), as tiers prefix policy names.
  if (name.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    ctx.report(
      'invalid-name',
      'metadata.name',
      "a tier name must consist of lower case alphanumeric characters or '-', at most 63 (validator.go validateTier)",
      raw.object,
      'error',
    );
  const known = WELL_KNOWN_TIERS[name];
  if (known && order !== known[0])
    ctx.report('invalid-field', 'spec.order', `${name} tier order must be ${known[0]} (tier.go)`, spec);
  if (known && defaultAction !== known[1])
    ctx.report(
      'invalid-field',
      'spec.defaultAction',
      `The '${name}' tier must have default action '${known[1]}' (tier.go)`,
      spec,
    );
  return { name, order, defaultAction, loc: raw.loc };
}

export function convertCalicoNetworkSet(
  raw: RawObject,
  global: boolean,
  defaultNamespace: string,
  sink: Finding[],
): CalicoNetworkSet {
  const name = nameOf(raw.object);
  const namespace = global ? null : namespaceOf(raw.object, defaultNamespace);
  const ctx = new ConvertContext(raw, { kind: global ? 'GlobalNetworkSet' : 'NetworkSet', namespace, name }, sink);
  const nets = convertCalicoNets(recordAt(raw.object['spec'])?.['nets'], 'spec.nets', ctx);
  const labels = stringMap(metadataOf(raw.object)['labels']);
  // validator.go validateNetworkSet / validateGlobalNetworkSet: the label is Calico's own, for the v1 datamodel.
  if ('projectcalico.org/namespace' in labels)
    ctx.report(
      'invalid-field',
      'metadata.labels',
      'projectcalico.org/namespace is not a valid label name (validator.go validateNetworkSet): remove it',
      metadataOf(raw.object)['labels'],
    );
  return { global, namespace, name, labels, nets, loc: raw.loc };
}
