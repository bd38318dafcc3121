/**
 * What istiod's validating webhook checks on every security.istio.io object (istio/istio
 * pkg/config/validation/validation.go, the function named on each), plus the CRD schema types the
 * API server checks first (istio/api kubernetes/customresourcedefinitions.gen.yaml), on the raw object.
 */
import type { FindingCode, Severity } from '../findings.js';
import { isRecord, type RawRecord } from './istio-raw.js';
import { quoteHint } from './labels.js';

export interface Problem {
  readonly code: FindingCode;
  readonly field: string;
  readonly message: string;
  /** the rejecting rule, e.g. `istiod ValidateAuthorizationPolicy` */
  readonly rule: string;
  readonly severity?: Severity;
}

export const CRD_SCHEMA = 'API server: CRD schema, istio/api kubernetes/customresourcedefinitions.gen.yaml';

export class Problems {
  readonly list: Problem[] = [];
  /** `istiod ValidateX, istio/istio pkg/config/validation/validation.go` */
  readonly rule: string;
  constructor(validateFunction: string) {
    this.rule = `istiod ${validateFunction}, istio/istio pkg/config/validation/validation.go`;
  }

  add(code: FindingCode, field: string, message: string | null, severity?: Severity): void {
    if (message !== null) this.list.push({ code, field, message, rule: this.rule, ...(severity ? { severity } : {}) });
  }

  /** A type or shape the API server rejects before the webhook runs. */
  schema(field: string, message: string, code: FindingCode = 'invalid-field'): void {
    this.list.push({ code, field, message, rule: CRD_SCHEMA });
  }
}

/**
 * A list of strings as the CRD schema types it (`type: array`, items `type: string`): a scalar or
 * a non-string item is rejected by the API server before the webhook runs.
 */
export function stringList(value: unknown, field: string, problems: Problems): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) {
    problems.schema(field, 'must be a list of strings');
    return null;
  }
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string') return void out.push(v);
    const hint = quoteHint(v);
    problems.schema(`${field}[${i}]`, `${JSON.stringify(v)} must be a string${hint === null ? '' : `: ${hint}`}`);
  });
  return out;
}

/** An object-typed field: null/absent is null; anything but a map is a CRD schema error. */
export function objectAt(value: unknown, field: string, problems: Problems): RawRecord | null {
  if (value === undefined || value === null) return null;
  if (isRecord(value)) return value;
  problems.schema(field, 'must be an object');
  return null;
}

/** A list of objects: a null item is rejected by the API server ("must be of type object"). */
export function objectList(value: unknown, field: string, problems: Problems): readonly RawRecord[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) {
    problems.schema(field, 'must be a list');
    return null;
  }
  const out: RawRecord[] = [];
  value.forEach((v, i) => {
    if (isRecord(v)) out.push(v);
    else problems.schema(`${field}[${i}]`, 'must be of type object (a null list item too)');
  });
  return out;
}

const ALWAYS_REJECT = 'internal.istio.io/webhook-always-reject';
const INTERNAL = ['internal.istio.io/parent-namespace', 'internal.istio.io/parents'];

/** validateMetadata + checkDryRunAnnotation: istio.io/dry-run only on ALLOW/DENY AuthorizationPolicy, a bool. */
export function validateAnnotations(
  annotations: Readonly<Record<string, string>>,
  kind: string,
  action: string,
  problems: Problems,
): void {
  const dryRun = annotations['istio.io/dry-run'];
  const field = 'metadata.annotations';
  if (dryRun !== undefined && kind !== 'AuthorizationPolicy')
    problems.add('invalid-istio-annotation', field, 'unsupported annotation istio.io/dry-run, please remove it');
  else if (dryRun !== undefined && action !== 'ALLOW' && action !== 'DENY')
    problems.add(
      'invalid-istio-annotation',
      field,
      `istio.io/dry-run only supports action ALLOW/DENY, found ${action}`,
    );
  else if (dryRun !== undefined && !GO_BOOLS.has(dryRun))
    problems.add('invalid-istio-annotation', field, `istio.io/dry-run has an invalid value (${dryRun}): not a bool`);
  if (annotations[ALWAYS_REJECT] !== undefined)
    problems.add('invalid-istio-annotation', field, `"${ALWAYS_REJECT}" annotation found, rejecting`);
  for (const key of INTERNAL)
    if (annotations[key] !== undefined)
      problems.add('invalid-istio-annotation', field, `"${key}" annotation found, this may not be set by users`);
}

// strconv.ParseBool
const GO_BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * validateWorkloadSelector (and ValidateAlphaWorkloadSelector for Sidecar's `workloadSelector.labels`):
 * no empty key, no `*`; no labels is only a warning (IST0133).
 */
export function validateWorkloadSelector(
  selector: unknown,
  problems: Problems,
  where: { field: string; key: string } = { field: 'spec.selector', key: 'matchLabels' },
): void {
  const sel = objectAt(selector, where.field, problems);
  if (sel === null) return;
  const field = `${where.field}.${where.key}`;
  const labels = objectAt(sel[where.key], field, problems) ?? {};
  for (const [k, v] of Object.entries(labels)) {
    // the CRD schema types matchLabels values as strings: `app: 5` or `app: true` is refused
    if (typeof v !== 'string') {
      const hint = quoteHint(v);
      problems.schema(`${field}.${k}`, `${JSON.stringify(v)} must be a string${hint === null ? '' : `: ${hint}`}`);
    }
    if (k === '')
      problems.add('invalid-workload-selector', field, `empty key is not supported in selector: "=${String(v)}"`);
    if (k.includes('*') || (typeof v === 'string' && v.includes('*')))
      problems.add('invalid-workload-selector', field, `wildcard is not supported in selector: "${k}=${String(v)}"`);
  }
  if (Object.keys(labels).length === 0)
    problems.add('empty-workload-selector', where.field, 'workload selector specified without labels');
}

const ALLOWED_TARGETS = new Set([
  'core/Service',
  'networking.istio.io/ServiceEntry',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass',
]);

/** validatePolicyTargetReference and validateOneOfSelectorType (selector, targetRef, targetRefs: at most one). */
export function validateTargets(spec: RawRecord, problems: Problems): void {
  const set = ['selector', 'targetRef', 'targetRefs'].filter((k) =>
    k === 'targetRefs' ? Array.isArray(spec[k]) && spec[k].length > 0 : spec[k] !== undefined && spec[k] !== null,
  );
  if (set.length > 1)
    problems.add(
      'selector-and-targetrefs',
      `spec.${set[1] as string}`,
      'only one of targetRefs or workloadSelector can be set',
    );
  const one = objectAt(spec['targetRef'], 'spec.targetRef', problems);
  const refs = [
    ...(one ? [['spec.targetRef', one] as const] : []),
    ...(objectList(spec['targetRefs'], 'spec.targetRefs', problems) ?? []).map(
      (r, i) => [`spec.targetRefs[${i}]`, r] as const,
    ),
  ];
  for (const [field, ref] of refs) {
    const name = typeof ref['name'] === 'string' ? ref['name'] : '';
    const group = typeof ref['group'] === 'string' && ref['group'] !== '' ? ref['group'] : 'core';
    const kind = typeof ref['kind'] === 'string' ? ref['kind'] : '';
    if (name === '') problems.add('invalid-targetref', field, 'targetRef name must be set');
    if (typeof ref['namespace'] === 'string' && ref['namespace'] !== '')
      problems.add(
        'invalid-targetref',
        field,
        'targetRef namespace must not be set; cross namespace referencing is not supported',
      );
    if (!ALLOWED_TARGETS.has(`${group}/${kind}`))
      problems.add(
        'invalid-targetref',
        field,
        `targetRef must be to a Service, ServiceEntry, Gateway or GatewayClass but was ${String(ref['group'] ?? '')}/${kind}`,
      );
  }
}
