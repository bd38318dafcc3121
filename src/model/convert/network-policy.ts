/** NetworkPolicy (networking.k8s.io/v1) -> typed policy, with API-server validation. */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule, PolicyPort } from '../k8s.js';
import type { RawObject } from '../raw.js';
import type { Finding } from '../findings.js';
import { parseCidr, cidrContainsCidr } from '../../util/cidr.js';
import { ConvertContext, arrayAt, isRecord, recordAt, stringAt, type Json } from './context.js';
import { convertSelector } from './labels.js';
import { convertPortValue, convertProtocol } from './ports.js';
import { nameOf, namespaceOf } from './core.js';
import { quotedValue } from '../../util/cut-text.js';

/** Validates an ipBlock; returns null (and reports) when invalid. */
function convertIpBlock(block: Json, field: string, ctx: ConvertContext): NetworkPolicyPeer | null {
  const cidrText = stringAt(block['cidr']);
  const cidr = cidrText === null ? null : parseCidr(cidrText);
  if (!cidr) {
    ctx.report(
      'invalid-cidr',
      `${field}.cidr`,
      cidrText === null ? 'cidr is required' : `"${cidrText}" is not a valid CIDR (e.g. 10.0.0.0/16)`,
      block,
    );
    return null;
  }
  const except: string[] = [];
  for (const [i, e] of (arrayAt(block['except']) ?? []).entries()) {
    const ex = typeof e === 'string' ? parseCidr(e) : null;
    if (!ex) {
      ctx.report('invalid-cidr', `${field}.except[${i}]`, `${quotedValue(e)} is not a valid CIDR`, block);
      return null;
    }
    if (!cidrContainsCidr(cidr, ex) || ex.prefix <= cidr.prefix) {
      ctx.report(
        'except-outside-cidr',
        `${field}.except[${i}]`,
        `${String(e)} must be a strict subset of ${cidrText}`,
        block,
      );
      return null;
    }
    except.push(e as string);
  }
  return { type: 'ipBlock', cidr: cidrText as string, except };
}

function convertPeer(raw: unknown, field: string, ctx: ConvertContext): NetworkPolicyPeer | null {
  if (!isRecord(raw)) {
    ctx.report('invalid-peer', field, 'must be an object with podSelector, namespaceSelector or ipBlock', raw);
    return null;
  }
  const hasPod = raw['podSelector'] !== undefined && raw['podSelector'] !== null;
  const hasNs = raw['namespaceSelector'] !== undefined && raw['namespaceSelector'] !== null;
  const block = raw['ipBlock'];
  if (block !== undefined && block !== null) {
    if (hasPod || hasNs) {
      ctx.report(
        'invalid-peer',
        field,
        'ipBlock cannot be combined with podSelector or namespaceSelector in one peer; make them separate list items',
        raw,
      );
      return null;
    }
    if (!isRecord(block)) {
      ctx.report('invalid-peer', `${field}.ipBlock`, 'must be an object with cidr', raw);
      return null;
    }
    return convertIpBlock(block, `${field}.ipBlock`, ctx);
  }
  if (!hasPod && !hasNs) {
    const extra = Object.keys(raw);
    ctx.report(
      'empty-peer',
      field,
      extra.length
        ? `sets none of podSelector, namespaceSelector, ipBlock (found: ${extra.join(', ')})`
        : 'an empty peer {} is not allowed; omit `from`/`to` to match everything',
      raw,
    );
    return null;
  }
  return {
    type: 'selector',
    podSelector: hasPod ? convertSelector(raw['podSelector'], `${field}.podSelector`, ctx) : null,
    namespaceSelector: hasNs ? convertSelector(raw['namespaceSelector'], `${field}.namespaceSelector`, ctx) : null,
  };
}

function convertPorts(raw: unknown, field: string, ctx: ConvertContext): PolicyPort[] | null {
  const list = arrayAt(raw);
  if (!list || list.length === 0) return null;
  const ports: PolicyPort[] = [];
  list.forEach((p, i) => {
    const f = `${field}[${i}]`;
    if (!isRecord(p)) {
      ctx.report('invalid-port', f, 'must be an object with protocol/port/endPort', raw);
      return;
    }
    const protocol = convertProtocol(p['protocol'], `${f}.protocol`, ctx, p);
    const port = convertPortValue(p['port'], `${f}.port`, ctx, p);
    if (port === undefined) return;
    const endPortRaw = p['endPort'];
    let endPort: number | null = null;
    if (endPortRaw !== undefined && endPortRaw !== null) {
      if (typeof port !== 'number') {
        ctx.report(
          'invalid-port',
          `${f}.endPort`,
          port === null ? 'endPort requires port' : `endPort cannot be used with the named port "${port}"`,
          p,
        );
        return;
      }
      // endPort is an int32 in the API (networking/v1 NetworkPolicyPort): "90" is a string, not a port
      if (typeof endPortRaw !== 'number' || !Number.isInteger(endPortRaw)) {
        ctx.report(
          'invalid-port',
          `${f}.endPort`,
          `${quotedValue(endPortRaw)} is not a whole number; endPort must be a number between port (${port}) and 65535, unquoted`,
          p,
        );
        return;
      }
      if (endPortRaw < port || endPortRaw > 65535) {
        ctx.report(
          'invalid-port',
          `${f}.endPort`,
          `${endPortRaw} must be a number between port (${port}) and 65535`,
          p,
        );
        return;
      }
      endPort = endPortRaw;
    }
    ports.push({ protocol, port, endPort });
  });
  return ports;
}

function convertRules(raw: unknown, section: 'ingress' | 'egress', ctx: ConvertContext): NetworkPolicyRule[] {
  const peerKey = section === 'ingress' ? 'from' : 'to';
  return (arrayAt(raw) ?? []).map((r, i) => {
    const field = `spec.${section}[${i}]`;
    // a rule that is no map read as {}, a rule that admits every peer on every port
    if (!isRecord(r))
      ctx.report('invalid-field', field, `must be a rule map {${peerKey}, ports}, got ${quotedValue(r)}`, raw);
    const rule = recordAt(r) ?? {};
    ctx.expectList(rule[peerKey], `${field}.${peerKey}`, 'peers', rule);
    ctx.expectList(rule['ports'], `${field}.ports`, 'ports', rule);
    const peersRaw = arrayAt(rule[peerKey]);
    const peers =
      peersRaw && peersRaw.length > 0
        ? peersRaw
            .map((p, j) => convertPeer(p, `${field}.${peerKey}[${j}]`, ctx))
            .filter((p): p is NetworkPolicyPeer => p !== null)
        : null;
    const ports = convertPorts(rule['ports'], `${field}.ports`, ctx);
    // Valid for the API server: kubernetes/kubernetes pkg/apis/networking/validation/validation.go
    // validates ports and peers separately. Ingress resolves the name on the selected pod, so only
    // egress is worth a warning: the name resolves on the destination pod, which an ipBlock rarely is.
    if (
      section === 'egress' &&
      ports &&
      peers?.some((p) => p.type === 'ipBlock') &&
      ports.some((p) => typeof p.port === 'string')
    ) {
      ctx.report(
        'named-port-with-ipblock',
        `${field}.ports`,
        'a named port resolves on the destination pod: it matches only pods inside the ipBlock that name the port (never with --cni cilium or kube-router), never an address outside the cluster; use the port number',
        rule,
      );
    }
    // a peer list whose every entry was invalid must not widen into "all peers"
    return { peers: peersRaw && peersRaw.length > 0 && peers?.length === 0 ? [] : peers, ports };
  });
}

/** `kind`: the kind findings name (a Calico StagedKubernetesNetworkPolicy carries a NetworkPolicy spec). */
export function convertNetworkPolicy(
  raw: RawObject,
  defaultNamespace: string,
  sink: Finding[],
  kind = 'NetworkPolicy',
): NetworkPolicy {
  const namespace = namespaceOf(raw.object, defaultNamespace);
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind, namespace, name }, sink);
  const spec = recordAt(raw.object['spec']) ?? {};
  const rawSpec = raw.object['spec'];
  if (rawSpec !== undefined && rawSpec !== null && recordAt(rawSpec) === null)
    ctx.report(
      'invalid-field',
      'spec',
      `must be an object, not ${Array.isArray(rawSpec) ? 'a list' : JSON.stringify(rawSpec).slice(0, 40)}`,
      raw.object,
    );
  ctx.expectList(spec['policyTypes'], 'spec.policyTypes', 'Ingress/Egress', spec);
  ctx.expectList(spec['ingress'], 'spec.ingress', 'ingress rules', spec);
  ctx.expectList(spec['egress'], 'spec.egress', 'egress rules', spec);
  const types = arrayAt(spec['policyTypes']);
  let affectsIngress = true;
  let affectsEgress = (arrayAt(spec['egress'])?.length ?? 0) > 0;
  if (types && types.length > 0) {
    affectsIngress = types.includes('Ingress');
    affectsEgress = types.includes('Egress');
    types.forEach((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress')
        ctx.report('invalid-field', `spec.policyTypes[${i}]`, `${quotedValue(t)} must be Ingress or Egress`, spec);
    });
  }
  return {
    namespace,
    name,
    podSelector: convertSelector(spec['podSelector'], 'spec.podSelector', ctx),
    affectsIngress,
    affectsEgress,
    ingress: convertRules(spec['ingress'], 'ingress', ctx),
    egress: convertRules(spec['egress'], 'egress', ctx),
    raw: raw.object,
    loc: raw.loc,
  };
}
