/** AdminNetworkPolicy / BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1). */
import type { AdminAction, AdminNetworkPolicy, AdminPeer, AdminPort, AdminRule, AdminSubject } from '../k8s.js';
import type { RawObject } from '../raw.js';
import type { Finding } from '../findings.js';
import { parseCidr } from '../../util/cidr.js';
import { ConvertContext, arrayAt, isRecord, recordAt, stringAt, type Json } from './context.js';
import { convertSelector } from './labels.js';
import { convertProtocol, portNameProblem } from './ports.js';
import { nameOf } from './core.js';

const MAX_RULES = 100;

/** Exactly one key of `keys` must be set in `obj`; returns it or null (reported). */
function oneOf(
  obj: Json,
  keys: readonly string[],
  field: string,
  what: string,
  ctx: ConvertContext,
  code?: 'invalid-subject',
): string | null {
  const set = keys.filter((k) => obj[k] !== undefined && obj[k] !== null);
  if (set.length === 1) return set[0] as string;
  ctx.report(
    code ?? (set.length === 0 ? 'empty-peer' : 'invalid-peer'),
    field,
    set.length === 0
      ? `${what} must set one of ${keys.join(', ')}`
      : `${what} must set exactly one of ${keys.join(', ')}, not ${set.join(' and ')}`,
    obj,
  );
  return null;
}

function convertPodsSelector(
  raw: unknown,
  field: string,
  ctx: ConvertContext,
): { namespaceSelector: ReturnType<typeof convertSelector>; podSelector: ReturnType<typeof convertSelector> } {
  const pods = recordAt(raw) ?? {};
  return {
    namespaceSelector: convertSelector(pods['namespaceSelector'] ?? {}, `${field}.namespaceSelector`, ctx),
    podSelector: convertSelector(pods['podSelector'] ?? {}, `${field}.podSelector`, ctx),
  };
}

function convertSubject(raw: unknown, ctx: ConvertContext): AdminSubject | null {
  if (!isRecord(raw)) {
    ctx.report('invalid-subject', 'spec.subject', 'subject is required (namespaces or pods)', raw);
    return null;
  }
  const key = oneOf(raw, ['namespaces', 'pods'], 'spec.subject', 'subject', ctx, 'invalid-subject');
  if (key === null) return null;
  if (key === 'namespaces')
    return {
      type: 'namespaces',
      namespaceSelector: convertSelector(raw['namespaces'], 'spec.subject.namespaces', ctx),
    };
  return { type: 'pods', ...convertPodsSelector(raw['pods'], 'spec.subject.pods', ctx) };
}

function convertPeer(raw: unknown, field: string, egress: boolean, ctx: ConvertContext): AdminPeer | null {
  if (!isRecord(raw)) {
    ctx.report('invalid-peer', field, 'must be an object', raw);
    return null;
  }
  const keys = egress ? ['namespaces', 'pods', 'nodes', 'networks'] : ['namespaces', 'pods'];
  const key = oneOf(raw, keys, field, 'a peer', ctx);
  switch (key) {
    case null:
      return null;
    case 'namespaces':
      return { type: 'namespaces', namespaceSelector: convertSelector(raw['namespaces'], `${field}.namespaces`, ctx) };
    case 'pods':
      return { type: 'pods', ...convertPodsSelector(raw['pods'], `${field}.pods`, ctx) };
    case 'nodes':
      return { type: 'nodes', nodeSelector: convertSelector(raw['nodes'], `${field}.nodes`, ctx) };
    default: {
      const cidrs = (arrayAt(raw['networks']) ?? []).map(String);
      const bad = cidrs.find((c) => parseCidr(c) === null);
      if (bad !== undefined || cidrs.length === 0) {
        ctx.report(
          'invalid-cidr',
          `${field}.networks`,
          bad !== undefined ? `"${bad}" is not a valid CIDR` : 'networks must list at least one CIDR',
          raw,
        );
        return null;
      }
      return { type: 'networks', cidrs };
    }
  }
}

function convertPort(raw: unknown, field: string, ctx: ConvertContext): AdminPort | null {
  if (!isRecord(raw)) {
    ctx.report('invalid-port', field, 'must be an object', raw);
    return null;
  }
  const set = ['portNumber', 'namedPort', 'portRange'].filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (set.length !== 1) {
    ctx.report(
      'invalid-port',
      field,
      `a port must set exactly one of portNumber, namedPort, portRange${set.length ? ` (found ${set.join(', ')})` : ''}`,
      raw,
    );
    return null;
  }
  if (set[0] === 'namedPort') {
    const name = String(raw['namedPort']);
    const problem = portNameProblem(name);
    if (problem) {
      ctx.report('invalid-port', `${field}.namedPort`, problem, raw);
      return null;
    }
    return { type: 'named', name };
  }
  if (set[0] === 'portNumber') {
    const pn = recordAt(raw['portNumber']) ?? {};
    const port = pn['port'];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.report(
        'invalid-port',
        `${field}.portNumber.port`,
        `${String(port)} is not a port number between 1 and 65535`,
        raw,
      );
      return null;
    }
    return {
      type: 'number',
      protocol: convertProtocol(pn['protocol'], `${field}.portNumber.protocol`, ctx, raw),
      port,
    };
  }
  const pr = recordAt(raw['portRange']) ?? {};
  const start = pr['start'];
  const end = pr['end'];
  if (typeof start !== 'number' || typeof end !== 'number' || start < 1 || end > 65535 || start >= end) {
    ctx.report(
      'invalid-port',
      `${field}.portRange`,
      `start (${String(start)}) must be below end (${String(end)}), both within 1-65535`,
      raw,
    );
    return null;
  }
  return {
    type: 'range',
    protocol: convertProtocol(pr['protocol'], `${field}.portRange.protocol`, ctx, raw),
    start,
    end,
  };
}

function convertRules(
  raw: unknown,
  section: 'ingress' | 'egress',
  baseline: boolean,
  ctx: ConvertContext,
): AdminRule[] {
  // a map or a string here was read as no rules (kubectl refuses it): a Deny rule went missing
  ctx.expectList(raw, `spec.${section}`, `${section} rules`, raw);
  const list = arrayAt(raw) ?? [];
  if (list.length > MAX_RULES)
    ctx.report('too-many-rules', `spec.${section}`, `${list.length} rules; at most ${MAX_RULES} are allowed`, raw);
  const peerKey = section === 'ingress' ? 'from' : 'to';
  const actions: readonly AdminAction[] = baseline ? ['Allow', 'Deny'] : ['Allow', 'Deny', 'Pass'];
  return list.flatMap((r, i) => {
    const field = `spec.${section}[${i}]`;
    const rule = recordAt(r) ?? {};
    const action = stringAt(rule['action']);
    if (!actions.includes(action as AdminAction)) {
      ctx.report(
        'invalid-action',
        `${field}.action`,
        action === null
          ? `action is required (${actions.join(', ')})`
          : `"${action}" is not one of ${actions.join(', ')}`,
        rule,
      );
      return [];
    }
    const peersRaw = arrayAt(rule[peerKey]);
    if (!peersRaw || peersRaw.length === 0) {
      ctx.report('empty-peer', `${field}.${peerKey}`, `a rule needs at least one peer in ${peerKey}`, rule);
      return [];
    }
    const peers = peersRaw.map((p, j) => convertPeer(p, `${field}.${peerKey}[${j}]`, section === 'egress', ctx));
    ctx.expectList(rule['ports'], `${field}.ports`, 'ports', rule);
    const portsRaw = arrayAt(rule['ports']);
    const ports = portsRaw ? portsRaw.map((p, j) => convertPort(p, `${field}.ports[${j}]`, ctx)) : null;
    if (peers.some((p) => p === null) || ports?.some((p) => p === null)) return [];
    return [
      {
        name: stringAt(rule['name']) ?? `${section}[${i}]`,
        action: action as AdminAction,
        peers: peers as AdminPeer[],
        ports: ports as AdminPort[] | null,
      },
    ];
  });
}

export function convertAdminNetworkPolicy(raw: RawObject, sink: Finding[]): AdminNetworkPolicy | null {
  const kind = raw.object['kind'] as 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  const baseline = kind === 'BaselineAdminNetworkPolicy';
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind, namespace: null, name }, sink);
  const spec = recordAt(raw.object['spec']) ?? {};
  if (baseline && name !== 'default')
    ctx.report(
      'banp-name',
      'metadata.name',
      `a BaselineAdminNetworkPolicy must be named "default", not "${name}"`,
      raw.object,
    );
  let priority: number | null = null;
  if (!baseline) {
    const p = spec['priority'];
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 1000) {
      ctx.report('invalid-priority', 'spec.priority', `${String(p)} must be an integer between 0 and 1000`, spec);
      return null;
    }
    priority = p;
  }
  const subject = convertSubject(spec['subject'], ctx);
  if (!subject) return null;
  return {
    kind,
    name,
    priority,
    subject,
    ingress: convertRules(spec['ingress'], 'ingress', baseline, ctx),
    egress: convertRules(spec['egress'], 'egress', baseline, ctx),
    raw: raw.object,
    loc: raw.loc,
  };
}
