/**
 * istiod's ValidateRequestAuthentication (with validateJwtRule, warnPrivateJwksKeys) and
 * ValidatePeerAuthentication (istio/istio pkg/config/validation/validation.go), on the raw object,
 * with the CRD schema rules the API server applies first (istio/api customresourcedefinitions.gen.yaml).
 */
import { parseJwksUri } from './istio-validate-values.js';
import {
  Problems,
  objectAt,
  objectList,
  stringList,
  validateTargets,
  validateWorkloadSelector,
} from './istio-validate-common.js';
import { isRecord, type RawRecord } from './istio-raw.js';
import { quotedValue } from '../../util/cut-text.js';

const STRICT_HEADER = /^[-_A-Za-z0-9]+$/;

/**
 * lestrrat-go/jwx jwk.Parse, as istiod calls it: one JWK or a `{"keys": [...]}` set, each key of a
 * known `kty` with the members its type requires (RFC 7518 section 6). Returns the keys or an error.
 */
export function parseJwks(text: string): { keys: readonly RawRecord[] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `jwks parse error: ${(e as Error).message}` };
  }
  if (!isRecord(parsed)) return { error: 'jwks parse error: not a JSON object' };
  const keys = 'keys' in parsed ? parsed['keys'] : [parsed];
  if (!Array.isArray(keys)) return { error: 'jwks parse error: "keys" is not a list' };
  const required: Readonly<Record<string, readonly string[]>> = {
    RSA: ['n', 'e'],
    EC: ['crv', 'x', 'y'],
    OKP: ['crv', 'x'],
    oct: ['k'],
  };
  for (const key of keys) {
    const members = isRecord(key) && typeof key['kty'] === 'string' ? required[key['kty']] : undefined;
    if (!isRecord(key) || members === undefined) return { error: 'jwks parse error: a key has no known "kty"' };
    const missing = members.find((m) => typeof key[m] !== 'string');
    if (missing) return { error: `jwks parse error: ${String(key['kty'])} key without "${missing}"` };
  }
  return { keys: keys as RawRecord[] };
}

/** warnPrivateJwksKeys: RSA/EC/OKP keys with "d", and symmetric keys, are private material. */
function privateKeyIndexes(keys: readonly RawRecord[]): number[] {
  return keys.flatMap((k, i) => (k['kty'] === 'oct' || typeof k['d'] === 'string' ? [i] : []));
}

/** Go's time.ParseDuration units, as the CRD's `duration(self) >= duration('1ms')` and ValidateDuration read it. */
function durationMs(text: string): number | null {
  const unit: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((m) => m[0]).join('') !== text) return null;
  return parts.reduce((sum, m) => sum + Number(m[1]) * (unit[m[2] as string] as number), 0);
}

function validateJwtRule(rule: RawRecord, at: string, p: Problems): void {
  const str = (k: string) => (typeof rule[k] === 'string' ? (rule[k] as string) : '');
  const bad = (field: string, message: string) => p.add('invalid-jwt-rule', `${at}.${field}`, message);
  if ((stringList(rule['audiences'], `${at}.audiences`, p) ?? []).some((a) => a === ''))
    bad('audiences', 'audience must be non-empty string');
  if ('issuer' in rule && str('issuer') === '')
    p.schema(`${at}.issuer`, 'must be at least 1 character', 'invalid-jwt-rule');
  if (str('issuer') === '' && str('jwksUri') === '') bad('issuer', 'issuer or jwksUri must be non-empty string');
  if (str('jwksUri') !== '') p.add('invalid-jwt-rule', `${at}.jwksUri`, parseJwksUri(str('jwksUri')));
  if (str('jwksUri') !== '' && str('jwks') !== '')
    p.schema(`${at}`, 'only one of jwks or jwksUri can be set', 'invalid-jwt-rule');
  if (str('jwks') !== '') {
    const jwks = parseJwks(str('jwks'));
    if ('error' in jwks) bad('jwks', jwks.error);
    else
      for (const i of privateKeyIndexes(jwks.keys))
        p.add(
          'jwks-private-key',
          `${at}.jwks`,
          `jwks key at index ${i} contains private key material; only public keys are used for verification`,
        );
  }
  (objectList(rule['fromHeaders'], `${at}.fromHeaders`, p) ?? []).forEach((h, i) => {
    if (typeof h['name'] !== 'string' || h['name'] === '')
      bad(`fromHeaders[${i}].name`, 'location header name must be non-empty string');
  });
  if ((stringList(rule['fromParams'], `${at}.fromParams`, p) ?? []).includes(''))
    bad('fromParams', 'location query must be non-empty string');
  if ((stringList(rule['fromCookies'], `${at}.fromCookies`, p) ?? []).includes(''))
    bad('fromCookies', 'cookie name must be non-empty string');
  (objectList(rule['outputClaimToHeaders'], `${at}.outputClaimToHeaders`, p) ?? []).forEach((c, i) => {
    const header = typeof c['header'] === 'string' ? c['header'] : '';
    if (header === '' || typeof c['claim'] !== 'string' || c['claim'] === '')
      bad(`outputClaimToHeaders[${i}]`, 'outputClaimToHeaders header and claim value must be non-empty string');
    else if (!STRICT_HEADER.test(header))
      bad(`outputClaimToHeaders[${i}].header`, `header name ${header} is not a valid header name`);
  });
  if (rule['presence'] !== undefined && rule['presence'] !== 'OPTIONAL' && rule['presence'] !== 'REQUIRED')
    p.schema(`${at}.presence`, `${quotedValue(rule['presence'])} is not OPTIONAL or REQUIRED`, 'invalid-jwt-rule');
  if ((stringList(rule['spaceDelimitedClaims'], `${at}.spaceDelimitedClaims`, p) ?? []).includes(''))
    p.schema(`${at}.spaceDelimitedClaims`, 'a claim name must be at least 1 character', 'invalid-jwt-rule');
  if (rule['timeout'] !== undefined && rule['timeout'] !== null) {
    const ms = typeof rule['timeout'] === 'string' ? durationMs(rule['timeout']) : null;
    if (ms === null || ms < 1) bad('timeout', 'must be a valid duration greater than 1ms');
    else if (!Number.isInteger(ms)) bad('timeout', 'only durations to ms precision are supported');
  }
}

export function validateRequestAuthentication(
  spec: RawRecord,
  p = new Problems('ValidateRequestAuthentication'),
): Problems {
  validateTargets(spec, p);
  validateWorkloadSelector(spec['selector'], p);
  (objectList(spec['jwtRules'], 'spec.jwtRules', p) ?? []).forEach((r, i) =>
    validateJwtRule(r, `spec.jwtRules[${i}]`, p),
  );
  return p;
}

const MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

function validateMode(value: unknown, field: string, p: Problems): void {
  const mode = objectAt(value, field, p)?.['mode'];
  if (mode !== undefined && mode !== null && (typeof mode !== 'string' || !MODES.includes(mode)))
    p.schema(`${field}.mode`, `mTLS mode ${quotedValue(mode)} is not UNSET, DISABLE, PERMISSIVE or STRICT`);
}

export function validatePeerAuthentication(spec: RawRecord, p = new Problems('ValidatePeerAuthentication')): Problems {
  const selector = objectAt(spec['selector'], 'spec.selector', p);
  const labels = selector && isRecord(selector['matchLabels']) ? selector['matchLabels'] : {};
  const ports = objectAt(spec['portLevelMtls'], 'spec.portLevelMtls', p);
  validateMode(spec['mtls'], 'spec.mtls', p);
  if (ports !== null && Object.keys(labels).length === 0 && Object.keys(ports).length > 0)
    p.add('invalid-field', 'spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS');
  if (ports !== null && Object.keys(ports).length === 0)
    p.add('invalid-field', 'spec.portLevelMtls', 'port level mTLS, if defined, must have at least one element');
  for (const [port, setting] of Object.entries(ports ?? {})) {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)
      p.add('invalid-port', `spec.portLevelMtls.${port}`, `port "${port}" must be in range 1..65535`);
    validateMode(setting, `spec.portLevelMtls.${port}`, p);
  }
  validateWorkloadSelector(spec['selector'], p);
  return p;
}
