/**
 * istiod's ValidateAuthorizationPolicy (istio/istio pkg/config/validation/validation.go), on the
 * raw object. As the webhook decodes YAML (golang/protobuf jsonpb, pkg/util/protomarshal ApplyJSON),
 * an empty list `[]` is the same as an absent one.
 */
import {
  checkEmptyValues,
  checkServiceAccount,
  checkTrustDomainValues,
  checkValidPathTemplate,
  validateAttribute,
  validateIps,
  validatePorts,
} from './istio-validate-values.js';
import {
  Problems,
  objectAt,
  objectList,
  stringList,
  validateTargets,
  validateWorkloadSelector,
} from './istio-validate-common.js';
import { AUTHZ_OPERATION_FIELDS, AUTHZ_SOURCE_FIELDS, type RawRecord } from './istio-raw.js';
import { quotedValue } from '../../util/cut-text.js';

const RULE = 'ValidateAuthorizationPolicy';
type Lists = Readonly<Record<string, readonly string[]>>;

/** The string lists of a source/operation; an empty list reads as absent (jsonpb). */
function lists(raw: RawRecord, fields: readonly string[], at: string, problems: Problems): Lists {
  const out: Record<string, readonly string[]> = {};
  for (const f of fields) {
    const v = stringList(raw[f], `${at}.${f}`, problems);
    // a non-empty list counts as set even when an item had the wrong type (reported already)
    if (v && Array.isArray(raw[f]) && raw[f].length > 0) out[f] = v;
  }
  return out;
}

const SOURCE_TCP = [
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
];
const CUSTOM_UNSUPPORTED = [
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'trustDomains',
  'notTrustDomains',
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
];

function validateSource(s: Lists, at: string, custom: boolean, p: Problems): void {
  const has = (f: string) => s[f] !== undefined;
  if (
    ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].some(has) &&
    ['serviceAccounts', 'notServiceAccounts'].some(has)
  )
    p.add('invalid-field', at, 'cannot set serviceAccounts with namespaces or principals');
  if (!AUTHZ_SOURCE_FIELDS.some(has)) p.add('empty-rule-part', at, '`from.source` must not be empty');
  for (const f of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'])
    p.add('invalid-cidr', `${at}.${f}`, validateIps(s[f] ?? []));
  for (const f of AUTHZ_SOURCE_FIELDS) {
    const v = s[f] ?? [];
    if (f === 'serviceAccounts' || f === 'notServiceAccounts')
      p.add('invalid-field', `${at}.${f}`, checkServiceAccount(f, v));
    else if (f === 'trustDomains' || f === 'notTrustDomains')
      p.add('invalid-field', `${at}.${f}`, checkTrustDomainValues(f, v));
    else p.add('empty-value', `${at}.${f}`, checkEmptyValues(f, v));
    if (custom && CUSTOM_UNSUPPORTED.includes(f) && has(f))
      p.add('invalid-field', `${at}.${f}`, `${f} is currently not supported with CUSTOM action`);
  }
}

function validateOperation(o: Lists, at: string, p: Problems): void {
  if (!AUTHZ_OPERATION_FIELDS.some((f) => o[f] !== undefined))
    p.add('empty-rule-part', at, '`to.operation` must not be empty');
  for (const f of ['ports', 'notPorts']) p.add('invalid-port', `${at}.${f}`, validatePorts(o[f] ?? []));
  for (const f of AUTHZ_OPERATION_FIELDS) p.add('empty-value', `${at}.${f}`, checkEmptyValues(f, o[f] ?? []));
  for (const f of ['paths', 'notPaths'])
    p.add('invalid-path-template', `${at}.${f}`, checkValidPathTemplate(f, o[f] ?? []));
}

const CUSTOM_UNSUPPORTED_KEYS = ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'];

function validateWhen(when: readonly RawRecord[], at: string, custom: boolean, p: Problems): void {
  when.forEach((c, j) => {
    const field = `${at}.when[${j}]`;
    const key = typeof c['key'] === 'string' ? c['key'] : '';
    const values = stringList(c['values'], `${field}.values`, p) ?? [];
    const notValues = stringList(c['notValues'], `${field}.notValues`, p) ?? [];
    if (custom && (CUSTOM_UNSUPPORTED_KEYS.includes(key) || key.startsWith('request.auth.')))
      p.add('invalid-field', `${field}.key`, `${key} is currently not supported with CUSTOM action`);
    if (key === '') return p.add('invalid-when', `${field}.key`, '`key` must not be empty');
    if (values.length === 0 && notValues.length === 0)
      return p.add('invalid-when', field, `at least one of \`values\` or \`notValues\` must be set for key ${key}`);
    // Istio checks both lists; an empty one can only repeat the other's key error, so it is skipped
    for (const [name, vs] of [
      ['value', values],
      ['notValue', notValues],
    ] as const) {
      if (vs.length === 0) continue;
      const problem = validateAttribute(key, vs);
      const code = problem?.startsWith('unknown attribute') ? 'unknown-when-key' : 'invalid-when';
      p.add(code, `${field}.${name}s`, problem && `invalid \`${name}\` for \`key\` ${key}: ${problem}`);
    }
  });
}

/** One rule; returns whether it uses only HTTP attributes (for the DENY warning). */
function validateRule(rule: RawRecord, at: string, custom: boolean, p: Problems): boolean {
  let fromExists = false;
  let tcpInFrom = false;
  let toExists = false;
  let tcpInTo = false;
  (objectList(rule['from'], `${at}.from`, p) ?? []).forEach((from, j) => {
    const src = objectAt(from['source'], `${at}.from[${j}].source`, p);
    if (src === null) return p.add('empty-rule-part', `${at}.from[${j}]`, '`from.source` must not be nil');
    fromExists = true;
    const s = lists(src, AUTHZ_SOURCE_FIELDS, `${at}.from[${j}].source`, p);
    validateSource(s, `${at}.from[${j}].source`, custom, p);
    tcpInFrom ||= SOURCE_TCP.some((f) => s[f] !== undefined);
  });
  (objectList(rule['to'], `${at}.to`, p) ?? []).forEach((to, j) => {
    const op = objectAt(to['operation'], `${at}.to[${j}].operation`, p);
    if (op === null) return p.add('empty-rule-part', `${at}.to[${j}]`, '`to.operation` must not be nil');
    toExists = true;
    const o = lists(op, AUTHZ_OPERATION_FIELDS, `${at}.to[${j}].operation`, p);
    validateOperation(o, `${at}.to[${j}].operation`, p);
    tcpInTo ||= o['ports'] !== undefined || o['notPorts'] !== undefined;
  });
  validateWhen(objectList(rule['when'], `${at}.when`, p) ?? [], at, custom, p);
  return (fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo);
}

const ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'];

export function validateAuthorizationPolicy(spec: RawRecord, p = new Problems(RULE)): Problems {
  validateTargets(spec, p);
  validateWorkloadSelector(spec['selector'], p);
  const action = spec['action'] === undefined || spec['action'] === null ? 'ALLOW' : spec['action'];
  if (typeof action !== 'string' || !ACTIONS.includes(action))
    p.schema('spec.action', `${quotedValue(action)} is not ALLOW, DENY, AUDIT or CUSTOM`);
  const rawRules = objectList(spec['rules'], 'spec.rules', p);
  const rules = rawRules && rawRules.length > 0 ? rawRules : null;
  const provider = objectAt(spec['provider'], 'spec.provider', p);
  const meaningless = (a: string) =>
    `${a} action without \`rules\` is meaningless as it will never be triggered, add an empty rule \`{}\` if you want it be triggered for every request`;
  if (action === 'CUSTOM' && rules === null) p.add('missing-field', 'spec.rules', meaningless('CUSTOM'));
  else if (
    action === 'CUSTOM' &&
    (provider === null || typeof provider['name'] !== 'string' || provider['name'] === '')
  )
    p.add('missing-field', 'spec.provider.name', '`provider.name` must not be empty');
  if (provider !== null && action !== 'CUSTOM')
    p.add('invalid-field', 'spec.provider', `\`provider\` must not be with non CUSTOM action, found ${String(action)}`);
  if (action === 'DENY' && rules === null) p.add('missing-field', 'spec.rules', meaningless('DENY'));
  (rules ?? []).forEach((rule, i) => {
    const httpOnly = validateRule(rule, `spec.rules[${i}]`, action === 'CUSTOM', p);
    if (httpOnly && action === 'DENY')
      p.add(
        'deny-http-only',
        `spec.rules[${i}]`,
        'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port',
      );
  });
  return p;
}
