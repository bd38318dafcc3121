/**
 * Calico rules as projectcalico.org/v3 defines and validates them:
 * projectcalico/calico:api/pkg/apis/projectcalico/v3/policy_common.go (fields),
 * api/pkg/lib/numorstring/{port,protocol}.go (ports "a:b", names; protocol names and numbers),
 * libcalico-go/lib/validator/v3/validator.go validateProtocol, validatePort, the `net` field validator,
 * and validateNetworkPolicySpec (http only on ingress rules); the cross-field checks are in
 * calico-rule-checks.ts.
 */
import { parseCidr, parseIp } from '../../util/cidr.js';
import type {
  CalicoAction,
  CalicoEntityRule,
  CalicoIcmp,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
} from '../calico/policy.js';
import { parseCalicoSelector, type CalicoSelectorNode } from '../calico/selector.js';
import { arrayAt, isRecord, recordAt, stringAt, type ConvertContext, type Json } from './context.js';
import { checkCalicoRule } from './calico-rule-checks.js';

const ACTIONS: readonly CalicoAction[] = ['Allow', 'Deny', 'Log', 'Pass'];
const PROTOCOL_NAMES = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'] as const;

/** A selector field; a syntax error is reported with its column. */
export function convertCalicoSelector(
  raw: unknown,
  field: string,
  ctx: ConvertContext,
  node: unknown,
): CalicoSelectorNode | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') {
    ctx.report('invalid-selector', field, 'a Calico selector is a string, e.g. app == "web"', node);
    return null;
  }
  const parsed = parseCalicoSelector(raw);
  if (parsed.ok) return parsed.node;
  ctx.report(
    'invalid-selector',
    field,
    `${parsed.error.message} (column ${parsed.error.column} of ${JSON.stringify(raw)})`,
    node,
  );
  return null;
}

export function convertCalicoProtocol(
  raw: unknown,
  field: string,
  ctx: ConvertContext,
  node: unknown,
): CalicoProtocol | null {
  if (raw === undefined || raw === null) return null;
  // validateProtocol: a number 1-255 (also written as a string), or a name exactly as protocolRegex spells it.
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 255) return raw;
  if (typeof raw === 'string') {
    const name = PROTOCOL_NAMES.find((n) => n === raw);
    if (name) return name;
    if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 255) return Number(raw);
    const spelt = PROTOCOL_NAMES.find((n) => n.toLowerCase() === raw.toLowerCase());
    if (spelt) {
      ctx.report(
        'invalid-protocol',
        field,
        `protocol name invalid: ${JSON.stringify(raw)} (names are case-sensitive, validator.go validateProtocol): write ${spelt}`,
        node,
      );
      return spelt;
    }
  }
  ctx.report(
    'invalid-protocol',
    field,
    `${JSON.stringify(raw)} is not a protocol: use ${PROTOCOL_NAMES.join(', ')} or a number 1-255 (validator.go validateProtocol)`,
    node,
  );
  return null;
}

function portNumber(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * port.go PortFromString: "80", "8000:8080" (min <= max), or a name ^[a-zA-Z0-9_.-]{1,128}$;
 * validatePort: numbers 1-65535.
 */
function convertPort(raw: unknown, field: string, ctx: ConvertContext, node: unknown): CalicoPort | null {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 1 && raw <= 65535) return { min: raw, max: raw };
  } else if (typeof raw === 'string') {
    const range = /^(\d+):(\d+)$/.exec(raw);
    const [min, max] = range
      ? [portNumber(range[1] as string), portNumber(range[2] as string)]
      : [portNumber(raw), portNumber(raw)];
    if (min !== null && max !== null && min <= max) return { min, max };
    if (!range && !/^\d+$/.test(raw) && /^[a-zA-Z0-9_.-]{1,128}$/.test(raw)) return { name: raw };
  }
  ctx.report(
    'invalid-port',
    field,
    `${JSON.stringify(raw)} is not a port 1-65535, a range "min:max" (min <= max) or a port name (validator.go validatePort)`,
    node,
  );
  return null;
}

function convertPorts(raw: unknown, field: string, ctx: ConvertContext): CalicoPort[] {
  const list = arrayAt(raw) ?? [];
  return list.flatMap((p, i) => convertPort(p, `${field}[${i}]`, ctx, list) ?? []);
}

/**
 * NetworkSet `nets` (the `cidr` validator): a CIDR, not necessarily masked, or a bare address.
 * Rule `nets`/`notNets` (`strict`): the `net` validator wants it strictly masked and validateRule
 * parses it with cnet.ParseCIDR, which refuses a bare address.
 */
export function convertCalicoNets(raw: unknown, field: string, ctx: ConvertContext, strict = false): string[] {
  const list = arrayAt(raw) ?? [];
  return list.flatMap((n, i) => {
    const cidr = typeof n === 'string' ? parseCidr(n.includes('/') ? n : `${n}/${n.includes(':') ? 128 : 32}`) : null;
    const problem = !cidr
      ? 'is not an IP network (e.g. 10.0.0.0/8)'
      : !strict
        ? null
        : !(n as string).includes('/')
          ? `is an address, not a CIDR (validator.go validateRule): write ${String(n)}/${cidr.family === 4 ? 32 : 128}`
          : parseIp((n as string).slice(0, (n as string).indexOf('/')))?.value !== cidr.base
            ? 'is not strictly masked (validator.go `net`): clear the host bits'
            : null;
    if (!problem) return [n as string];
    ctx.report('invalid-cidr', `${field}[${i}]`, `${JSON.stringify(n)} ${problem}`, list);
    return [];
  });
}

/**
 * A selector field of an EntityRule: `""` is no selector at all (not all()). Calico checks each of
 * them against "" before using it: projectcalico/calico
 * libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go getEndpointSelector (`namespaceSelector
 * != ""`, `endpointSelector != ""`) and parseServiceAccounts (`sam.Selector != ""`), and
 * felix/calc/rule_scanner.go extractSelectors (parseAndAppendSelectorIfNonZero skips "" for the
 * selector and notSelector); conversion_test.go expects a NetworkPolicy peer with only a podSelector
 * to convert to `namespaceSelector: ""`, which keeps the rule in the policy's namespace.
 */
function entitySelector(raw: unknown, field: string, ctx: ConvertContext, node: unknown): CalicoSelectorNode | null {
  return raw === '' ? null : convertCalicoSelector(raw, field, ctx, node);
}

function convertEntity(raw: unknown, field: string, ctx: ConvertContext): CalicoEntityRule {
  const e: Json = recordAt(raw) ?? {};
  const sa = recordAt(e['serviceAccounts']);
  const svc = recordAt(e['services']);
  const names = arrayAt(sa?.['names']) ?? [];
  return {
    nets: convertCalicoNets(e['nets'], `${field}.nets`, ctx, true),
    notNets: convertCalicoNets(e['notNets'], `${field}.notNets`, ctx, true),
    selector: entitySelector(e['selector'], `${field}.selector`, ctx, raw),
    notSelector: entitySelector(e['notSelector'], `${field}.notSelector`, ctx, raw),
    namespaceSelector: entitySelector(e['namespaceSelector'], `${field}.namespaceSelector`, ctx, raw),
    serviceAccountNames: names.flatMap((n) => (typeof n === 'string' ? [n] : [])),
    serviceAccountSelector: entitySelector(sa?.['selector'], `${field}.serviceAccounts.selector`, ctx, sa),
    ports: convertPorts(e['ports'], `${field}.ports`, ctx),
    notPorts: convertPorts(e['notPorts'], `${field}.notPorts`, ctx),
    service: svc ? { name: stringAt(svc['name']) ?? '', namespace: stringAt(svc['namespace']) } : null,
  };
}

function convertIcmp(raw: unknown, field: string, ctx: ConvertContext): CalicoIcmp | null {
  const r = recordAt(raw);
  if (!r) return null;
  // policy_common.go ICMPFields: type 0-254, code 0-255.
  const bounded = (v: unknown, max: number, name: string): number | null => {
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
    ctx.report('invalid-field', `${field}.${name}`, `${JSON.stringify(v)} must be an integer 0-${max}`, r);
    return null;
  };
  const icmp = { type: bounded(r['type'], 254, 'type'), code: bounded(r['code'], 255, 'code') };
  if (r['code'] !== undefined && r['code'] !== null && (r['type'] === undefined || r['type'] === null))
    ctx.report(
      'invalid-field',
      `${field}.code`,
      'ICMP code specified without an ICMP type (policy_common.go): add type',
      r,
    );
  return icmp;
}

export function convertCalicoRule(
  raw: unknown,
  field: string,
  direction: 'ingress' | 'egress',
  ctx: ConvertContext,
): CalicoRule | null {
  if (!isRecord(raw)) {
    ctx.report('invalid-field', field, 'a rule is an object with an action', raw);
    return null;
  }
  const action = ACTIONS.find((a) => a === raw['action']);
  if (!action)
    ctx.report(
      'invalid-field',
      `${field}.action`,
      `${JSON.stringify(raw['action'] ?? null)} is not Allow, Deny, Log or Pass`,
      raw,
    );
  const http = recordAt(raw['http']);
  const ipVersion = raw['ipVersion'] === 4 || raw['ipVersion'] === 6 ? raw['ipVersion'] : null;
  if (raw['ipVersion'] !== undefined && raw['ipVersion'] !== null && ipVersion === null)
    ctx.report(
      'invalid-field',
      `${field}.ipVersion`,
      `${JSON.stringify(raw['ipVersion'])} is not 4 or 6 (policy_common.go)`,
      raw,
    );
  const rule: CalicoRule = {
    action: action ?? 'Deny',
    ipVersion,
    protocol: convertCalicoProtocol(raw['protocol'], `${field}.protocol`, ctx, raw),
    notProtocol: convertCalicoProtocol(raw['notProtocol'], `${field}.notProtocol`, ctx, raw),
    icmp: convertIcmp(raw['icmp'], `${field}.icmp`, ctx),
    notIcmp: convertIcmp(raw['notICMP'], `${field}.notICMP`, ctx),
    source: convertEntity(raw['source'], `${field}.source`, ctx),
    destination: convertEntity(raw['destination'], `${field}.destination`, ctx),
    http: http ? { methods: stringsOf(http['methods']), paths: pathsOf(http['paths']) } : null,
  };
  checkCalicoRule(raw, rule, field, direction, ctx);
  return action ? rule : null;
}

function stringsOf(v: unknown): string[] {
  return (arrayAt(v) ?? []).flatMap((s) => (typeof s === 'string' ? [s] : []));
}

function pathsOf(v: unknown): string[] {
  return (arrayAt(v) ?? []).flatMap((p) => {
    const r = recordAt(p);
    const exact = stringAt(r?.['exact']);
    const prefix = stringAt(r?.['prefix']);
    return exact ? [exact] : prefix ? [`${prefix}*`] : [];
  });
}
