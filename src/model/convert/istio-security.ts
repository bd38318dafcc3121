/** security.istio.io v1/v1beta1: AuthorizationPolicy, PeerAuthentication, RequestAuthentication. */
import type { SourceLocation } from '../k8s.js';
import type {
  AuthorizationPolicy,
  AuthzAction,
  AuthzCondition,
  AuthzOperation,
  AuthzRule,
  AuthzSource,
  JwtRule,
  MtlsMode,
  PeerAuthentication,
  RequestAuthentication,
  TargetRef,
} from '../istio.js';
import type { IstioFinding } from './istio-findings.js';
import {
  AUTHZ_OPERATION_FIELDS,
  AUTHZ_SOURCE_FIELDS,
  isRecord,
  list,
  meta,
  rec,
  str,
  strList,
  workloadSelector,
  type RawRecord,
} from './istio-raw.js';

const ACTIONS: readonly AuthzAction[] = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'];
const MODES: readonly MtlsMode[] = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

export interface ConvertContext {
  readonly defaultNamespace: string;
  readonly findings: IstioFinding[];
}

function pickFields<K extends string>(raw: RawRecord, fields: readonly K[]): Partial<Record<K, readonly string[]>> {
  const out: Partial<Record<K, readonly string[]>> = {};
  for (const f of fields) {
    const v = strList(raw[f]);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

function convertRule(raw: unknown): AuthzRule {
  if (raw === null || raw === undefined)
    return {
      from: null,
      to: null,
      when: null,
      skipped: 'a null rule (an empty list item): istiod skips it ("skipped nil rule")',
    };
  const r = rec(raw);
  const from = Array.isArray(r['from'])
    ? r['from'].map((f): AuthzSource => pickFields(rec(rec(f)['source']), AUTHZ_SOURCE_FIELDS))
    : null;
  const to = Array.isArray(r['to'])
    ? r['to'].map((t): AuthzOperation => pickFields(rec(rec(t)['operation']), AUTHZ_OPERATION_FIELDS))
    : null;
  const when = Array.isArray(r['when'])
    ? r['when'].map((w): AuthzCondition => {
        const c = rec(w);
        return {
          key: str(c['key']) ?? '',
          values: strList(c['values']) ?? null,
          notValues: strList(c['notValues']) ?? null,
        };
      })
    : null;
  return {
    from: from && from.length > 0 ? from : null,
    to: to && to.length > 0 ? to : null,
    when: when && when.length > 0 ? when : null,
  };
}

function targetRefs(spec: RawRecord): readonly TargetRef[] {
  const refs = [...list(spec['targetRefs'])];
  if (isRecord(spec['targetRef'])) refs.push(spec['targetRef']);
  return refs.map((t) => {
    const r = rec(t);
    return {
      group: str(r['group']) ?? '',
      kind: str(r['kind']) ?? '',
      name: str(r['name']) ?? '',
      namespace: str(r['namespace']),
    };
  });
}

export function convertAuthorizationPolicy(
  object: RawRecord,
  loc: SourceLocation | null,
  ctx: ConvertContext,
): AuthorizationPolicy {
  const m = meta(object);
  const spec = rec(object['spec']);
  const namespace = m.namespace ?? ctx.defaultNamespace;
  const rawAction = str(spec['action']) ?? 'ALLOW';
  // an unknown action is an error finding of istio-validate-authz.ts; read as ALLOW meanwhile
  const action: AuthzAction = (ACTIONS as readonly string[]).includes(rawAction) ? (rawAction as AuthzAction) : 'ALLOW';
  const refs = targetRefs(spec);
  const selector = workloadSelector(spec['selector']);
  const provider = str(rec(spec['provider'])['name']);
  return {
    namespace,
    name: m.name,
    action,
    provider,
    selector,
    targetRefs: refs,
    rules: list(spec['rules']).map(convertRule),
    dryRun: m.annotations['istio.io/dry-run'] === 'true',
    raw: object,
    loc,
  };
}

/** A valid mode, else null (an invalid one is an error finding of istio-validate-authn.ts). */
function mode(value: unknown): MtlsMode | null {
  const s = str(value);
  return s !== null && (MODES as readonly string[]).includes(s) ? (s as MtlsMode) : null;
}

export function convertPeerAuthentication(
  object: RawRecord,
  loc: SourceLocation | null,
  ctx: ConvertContext,
): PeerAuthentication {
  const m = meta(object);
  const spec = rec(object['spec']);
  const namespace = m.namespace ?? ctx.defaultNamespace;
  const ports = new Map<number, MtlsMode>();
  // bad keys and modes are error findings of istio-validate-authn.ts
  for (const [port, setting] of Object.entries(rec(spec['portLevelMtls']))) {
    const n = Number(port);
    const md = mode(rec(setting)['mode']);
    if (/^\d+$/.test(port) && n > 0 && n < 65536 && md !== null) ports.set(n, md);
  }
  const selector = workloadSelector(spec['selector']);
  return {
    namespace,
    name: m.name,
    selector,
    mode: mode(rec(spec['mtls'])['mode']),
    portLevelMtls: ports,
    creationTimestamp: m.creationTimestamp,
    raw: object,
    loc,
  };
}

function jwtRule(raw: unknown): JwtRule {
  const r = rec(raw);
  return {
    issuer: str(r['issuer']) ?? '',
    audiences: strList(r['audiences']) ?? [],
    jwksUri: str(r['jwksUri']),
    hasInlineJwks: typeof r['jwks'] === 'string' && r['jwks'].length > 0,
    spaceDelimitedClaims: strList(r['spaceDelimitedClaims']) ?? [],
  };
}

export function convertRequestAuthentication(
  object: RawRecord,
  loc: SourceLocation | null,
  ctx: ConvertContext,
): RequestAuthentication {
  const m = meta(object);
  const spec = rec(object['spec']);
  return {
    namespace: m.namespace ?? ctx.defaultNamespace,
    name: m.name,
    selector: workloadSelector(spec['selector']),
    targetRefs: targetRefs(spec),
    jwtRules: list(spec['jwtRules']).map(jwtRule),
    raw: object,
    loc,
  };
}
