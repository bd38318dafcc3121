/**
 * Istio's validation of the security.istio.io kinds and Sidecar, as findings: what the API server (CRD schema)
 * or istiod's validating webhook rejects is an error; the webhook's warnings are warnings.
 */
import { lineOnPath } from './field-line.js';
import type { SourceLocation } from '../k8s.js';
import type { Finding } from '../findings.js';
import { istioFinding, type IstioFinding } from './istio-findings.js';
import { meta, rec, type RawRecord } from './istio-raw.js';
import { Problems, validateAnnotations } from './istio-validate-common.js';
import { validateAuthorizationPolicy } from './istio-validate-authz.js';
import { validatePeerAuthentication, validateRequestAuthentication } from './istio-validate-authn.js';
import { validateSidecar } from './istio-validate-sidecar.js';

const VALIDATORS: Readonly<
  Record<string, { rule: string; run: (spec: RawRecord, p: Problems, namespace: string) => Problems }>
> = {
  AuthorizationPolicy: { rule: 'ValidateAuthorizationPolicy', run: validateAuthorizationPolicy },
  RequestAuthentication: { rule: 'ValidateRequestAuthentication', run: validateRequestAuthentication },
  PeerAuthentication: { rule: 'ValidatePeerAuthentication', run: validatePeerAuthentication },
  Sidecar: { rule: 'ValidateSidecar', run: validateSidecar },
};

export function validateIstioSecurity(
  object: RawRecord,
  namespace: string,
  loc: SourceLocation | null,
  lines: WeakMap<object, number> | null,
): IstioFinding[] {
  const kind = String(object['kind']);
  const validator = VALIDATORS[kind];
  if (!validator) return [];
  const m = meta(object);
  const spec = rec(object['spec']);
  const problems = new Problems(validator.rule);
  const action = typeof spec['action'] === 'string' ? spec['action'] : 'ALLOW';
  validateAnnotations(m.annotations, kind, action, problems);
  validator.run(spec, problems, namespace);
  const object_ = { kind, namespace, name: m.name };
  return problems.list.map((p) =>
    istioFinding(p.code, `${kind} ${namespace}/${m.name}: ${p.field}: ${p.message} (${p.rule})`, {
      object: object_,
      field: p.field,
      loc: loc ? { ...loc, line: lineOnPath(object, p.field, lines) ?? loc.line } : null,
      rule: p.rule,
    }),
  );
}

/**
 * For objects read from a live cluster: the API server and (if it ran) the webhook admitted them,
 * so an admission error meshdbg finds is not a refusal: the webhook was off, or older than the
 * rule, when the object was applied. It stays visible as a warning, and the object is evaluated as
 * istiod evaluates it, instead of refusing the whole cluster.
 */
export function admittedByCluster(findings: readonly Finding[]): Finding[] {
  return findings.map((f) =>
    f.rule !== undefined && f.severity === 'error'
      ? {
          ...f,
          severity: 'warning' as const,
          message: `${f.message}; the cluster admitted it (the webhook was off or older when it was applied): evaluated as istiod does`,
        }
      : f,
  );
}
