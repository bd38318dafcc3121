/**
 * The cross-field checks Calico applies to one rule, each where Calico rejects it:
 * - the CRD's CEL rules on Rule, ICMPFields and EntityRule,
 *   projectcalico/calico:api/pkg/apis/projectcalico/v3/policy_common.go (+kubebuilder:validation:XValidation);
 * - libcalico-go/lib/validator/v3/validator.go validateRule (ports vs protocol, nets: CIDR, IP version,
 *   IPv4/IPv6 mix, catch-all notNets), validateEntityRule (global() in namespaceSelector),
 *   validateHTTPRule (methods, paths), validateRuleMetadata (annotation keys and size).
 * Checked on the raw rule (what is present, as CEL's has()) and the typed protocol.
 */
import { parseCidr } from '../../util/cidr.js';
import type { CalicoProtocol, CalicoRule } from '../calico/policy.js';
import { arrayAt, recordAt, stringAt, type ConvertContext, type Json } from './context.js';
import { labelKeyProblem } from './labels.js';

const POLICY_COMMON = 'policy_common.go';
const VALIDATE_RULE = 'validator.go validateRule';

/** numorstring Protocol.SupportsPorts: 6, 17, 132 by number; TCP, UDP, SCTP by name (not UDPLite). */
export function protocolSupportsPorts(p: CalicoProtocol): boolean {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP' || p === 6 || p === 17 || p === 132;
}

const isIcmp4 = (p: CalicoProtocol | null): boolean => p === 'ICMP' || p === 1;
const isIcmp6 = (p: CalicoProtocol | null): boolean => p === 'ICMPv6' || p === 58;

const present = (v: unknown): boolean => v !== undefined && v !== null;
const nonEmpty = (v: unknown): boolean =>
  typeof v === 'string' ? v.length > 0 : Array.isArray(v) ? v.length > 0 : present(v);

/** CEL on Rule: icmp needs protocol ICMP/ICMPv6; ICMP and ICMPv6 (also as notProtocol) need the matching ipVersion. */
function checkIcmp(raw: Json, rule: CalicoRule, field: string, ctx: ConvertContext): void {
  if (present(raw['icmp']) && !isIcmp4(rule.protocol) && !isIcmp6(rule.protocol))
    ctx.report(
      'invalid-field',
      `${field}.icmp`,
      `ICMP fields require protocol to be ICMP or ICMPv6 (${POLICY_COMMON} Rule): add protocol: ICMP (or ICMPv6)`,
      raw,
    );
  const version = raw['ipVersion'];
  for (const key of ['protocol', 'notProtocol'] as const) {
    const p = key === 'protocol' ? rule.protocol : rule.notProtocol;
    if (isIcmp4(p) && present(version) && version !== 4)
      ctx.report('invalid-field', `${field}.ipVersion`, `${key} ICMP requires ipVersion 4 (${POLICY_COMMON})`, raw);
    if (isIcmp6(p) && present(version) && version !== 6)
      ctx.report('invalid-field', `${field}.ipVersion`, `${key} ICMPv6 requires ipVersion 6 (${POLICY_COMMON})`, raw);
  }
}

/** validateRule: numeric ports need a protocol; any port needs one that has ports. */
function checkPorts(raw: Json, rule: CalicoRule, field: string, ctx: ConvertContext): void {
  for (const side of ['source', 'destination'] as const) {
    for (const key of ['ports', 'notPorts'] as const) {
      const ports = rule[side][key];
      const name = `${field}.${side}.${key}`;
      if (rule.protocol === null && ports.some((p) => 'min' in p))
        ctx.report(
          'invalid-port',
          name,
          `rules with numeric port or port range must set protocol to TCP or UDP or SCTP (${VALIDATE_RULE})`,
          raw,
        );
      else if (rule.protocol !== null && ports.length > 0 && !protocolSupportsPorts(rule.protocol))
        ctx.report(
          'invalid-port',
          name,
          `protocol ${rule.protocol} has no ports: rules that specify ports must set protocol to TCP or UDP or SCTP (${VALIDATE_RULE})`,
          raw,
        );
    }
  }
}

/** validateRule scanNets: IP version of the rule and of every net agree; no v4/v6 mix; no catch-all notNets. */
function checkNets(raw: Json, rule: CalicoRule, field: string, ctx: ConvertContext): void {
  const seen = new Set<4 | 6>();
  for (const side of ['source', 'destination'] as const) {
    for (const key of ['nets', 'notNets'] as const) {
      const name = `${field}.${side}.${key}`;
      const families = new Set<4 | 6>();
      for (const n of rule[side][key]) {
        const cidr = parseCidr(n);
        if (!cidr) continue;
        families.add(cidr.family);
        if (key === 'notNets' && cidr.prefix === 0)
          ctx.report(
            'invalid-cidr',
            name,
            `${n}: catch-all CIDR in negation creates logical contradiction (matches no traffic) (${VALIDATE_RULE}): remove it`,
            raw,
          );
      }
      if (rule.ipVersion !== null && [...families].some((f) => f !== rule.ipVersion))
        ctx.report('invalid-cidr', name, `rule IP version doesn't match CIDR version (${VALIDATE_RULE})`, raw);
      const [v4, v6] = [families.has(4), families.has(6)];
      if ((v4 && seen.has(6)) || (v6 && seen.has(4)) || (v4 && v6))
        ctx.report(
          'invalid-cidr',
          name,
          `rule contains both IPv4 and IPv6 CIDRs (${VALIDATE_RULE}): split it into one rule per IP version`,
          raw,
        );
      for (const f of families) seen.add(f);
    }
  }
}

/** CEL on Rule (http only on Allow, with TCP or no protocol) and validateHTTPRule (methods, paths). */
function checkHttp(raw: Json, rule: CalicoRule, field: string, ctx: ConvertContext): void {
  const http = recordAt(raw['http']);
  if (!http) return;
  if (raw['action'] !== 'Allow')
    ctx.report('invalid-field', `${field}.http`, `HTTP match is only valid on Allow rules (${POLICY_COMMON})`, raw);
  if (rule.protocol !== null && rule.protocol !== 'TCP' && rule.protocol !== 6)
    ctx.report(
      'invalid-field',
      `${field}.http`,
      `rules with HTTP match must have protocol TCP or unset (${POLICY_COMMON})`,
      raw,
    );
  const methods = (arrayAt(http['methods']) ?? []).filter((m) => typeof m === 'string');
  if (new Set(methods).size !== methods.length)
    ctx.report(
      'invalid-field',
      `${field}.http.methods`,
      `Invalid methods (duplicates) (validator.go validateHTTPRule)`,
      http,
    );
  for (const [i, p] of (arrayAt(http['paths']) ?? []).entries()) {
    const path = recordAt(p) ?? {};
    const [exact, prefix] = [stringAt(path['exact']) ?? '', stringAt(path['prefix']) ?? ''];
    const v = exact || prefix;
    const problem =
      exact && prefix
        ? "Both 'exact' and 'prefix' are set"
        : !v
          ? "Either 'exact' or 'prefix' must be set"
          : !v.startsWith('/') || /[? #]/.test(v)
            ? `path ${v} must start with / and not contain ?, # or a space`
            : null;
    if (problem)
      ctx.report('invalid-field', `${field}.http.paths[${i}]`, `${problem} (validator.go validateHTTPRule)`, http);
  }
}

/** CEL on EntityRule (global() only in namespaceSelector; services alone) and validateEntityRule. */
function checkEntity(raw: unknown, field: string, ctx: ConvertContext): void {
  const e = recordAt(raw) ?? {};
  const selector = stringAt(e['selector']);
  if (selector?.includes('global('))
    ctx.report(
      'invalid-selector',
      `${field}.selector`,
      `global() can only be used in an EntityRule namespaceSelector (${POLICY_COMMON})`,
      e,
    );
  const nsSelector = stringAt(e['namespaceSelector']);
  if (nsSelector?.includes('global(') && nsSelector.trim() !== 'global()')
    ctx.report(
      'invalid-selector',
      `${field}.namespaceSelector`,
      'global() cannot be combined with other selectors (validator.go validateEntityRule)',
      e,
    );
  const services = recordAt(e['services']);
  if (!present(e['services'])) return;
  if (!nonEmpty(services?.['name']))
    ctx.report('invalid-field', `${field}.services.name`, `services must specify a service name (${POLICY_COMMON})`, e);
  const conflicts: [string, boolean][] = [
    ['namespaceSelector', nonEmpty(e['namespaceSelector'])],
    ['serviceAccounts', present(e['serviceAccounts'])],
    ['selector', nonEmpty(e['selector']) || nonEmpty(e['notSelector'])],
    ['nets', nonEmpty(e['nets']) || nonEmpty(e['notNets'])],
  ];
  for (const [name, conflict] of conflicts)
    if (conflict)
      ctx.report(
        'invalid-field',
        `${field}.services`,
        `cannot specify ${name} and services on the same rule (${POLICY_COMMON})`,
        e,
      );
}

/** validateObjectMetaAnnotations, as validateRuleMetadata applies it to metadata.annotations: the total size. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;
const UTF8 = new TextEncoder();

/**
 * validateRuleMetadata -> validateObjectMetaAnnotations: every key, lowercased, is a Kubernetes
 * qualified name (IsQualifiedName), and keys plus values are at most 256 KiB
 * (projectcalico/calico@87c15906f20c libcalico-go/lib/validator/v3/validator.go; validator_test.go
 * "should reject Rule with invalid annotations": the key `...`).
 */
function checkRuleMetadata(raw: Json, field: string, ctx: ConvertContext): void {
  const annotations = recordAt(recordAt(raw['metadata'])?.['annotations']);
  if (!annotations) return;
  const bytes = (s: string): number => UTF8.encode(s).length;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    size += bytes(key) + (typeof value === 'string' ? bytes(value) : 0);
    const problem = labelKeyProblem(key.toLowerCase());
    if (problem)
      ctx.report(
        'invalid-field',
        `${field}.metadata.annotations`,
        `${problem.replace(/^label key/, 'annotation key')} (validator.go validateRuleMetadata)`,
        annotations,
      );
  }
  if (size > ANNOTATIONS_MAX_BYTES)
    ctx.report(
      'invalid-field',
      `${field}.metadata.annotations`,
      `total size of annotations is too large by ${size - ANNOTATIONS_MAX_BYTES} bytes (validator.go validateRuleMetadata)`,
      annotations,
    );
}

/** validateNetworkPolicySpec / validateGlobalNetworkPolicySpec: where services and http may appear. */
function checkDirection(raw: Json, field: string, direction: 'ingress' | 'egress', ctx: ConvertContext): void {
  const wrongSide = direction === 'egress' ? 'source' : 'destination';
  if (present(recordAt(raw[wrongSide])?.['services']))
    ctx.report(
      'invalid-field',
      `${field}.${wrongSide}.services`,
      `not allowed in ${direction} rule ${wrongSide} (validator.go validateNetworkPolicySpec)`,
      raw,
    );
  if (present(raw['http']) && direction === 'egress')
    ctx.report(
      'invalid-field',
      `${field}.http`,
      'not allowed in egress rule (validator.go validateNetworkPolicySpec)',
      raw,
    );
}

export function checkCalicoRule(
  raw: Json,
  rule: CalicoRule,
  field: string,
  direction: 'ingress' | 'egress',
  ctx: ConvertContext,
): void {
  checkDirection(raw, field, direction, ctx);
  checkIcmp(raw, rule, field, ctx);
  checkPorts(raw, rule, field, ctx);
  checkNets(raw, rule, field, ctx);
  checkHttp(raw, rule, field, ctx);
  checkRuleMetadata(raw, field, ctx);
  const destination = recordAt(raw['destination']);
  if (present(destination?.['services']) && (nonEmpty(destination?.['ports']) || nonEmpty(destination?.['notPorts'])))
    ctx.report(
      'invalid-port',
      `${field}.destination.services`,
      `ports and notPorts cannot be specified with services (${POLICY_COMMON})`,
      raw,
    );
  checkEntity(raw['source'], `${field}.source`, ctx);
  checkEntity(raw['destination'], `${field}.destination`, ctx);
}
