/**
 * istiod's ValidateSidecar (istio/istio pkg/config/validation/validation.go, with the agent/ helpers
 * named on each check), on the raw object. Not reproduced: validateTLSOptions' cipher and
 * certificate checks on ingress `tls` (every TLS setting on a Sidecar port that is not HTTPS/TLS is
 * rejected before them) and the egressProxy's validateDestination beyond host and port.
 */
import { isRecord, type RawRecord } from './istio-raw.js';
import { Problems, objectAt, objectList, stringList, validateWorkloadSelector } from './istio-validate-common.js';
import { validateIps } from './istio-validate-values.js';
import { quotedValue } from '../../util/cut-text.js';

// istio/istio pkg/config/labels/instance.go: dns1123LabelFmt (upper case allowed) and wildcardPrefix
const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const isLabel = (s: string) => s.length <= 63 && DNS1123_LABEL.test(s);
const PROTOCOLS = new Set([
  'tcp',
  'udp',
  'grpc',
  'grpc-web',
  'http',
  'http_proxy',
  'http2',
  'https',
  'tls',
  'mongo',
  'redis',
  'mysql',
]);
const HTTP = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web']);
const UNIX = 'unix://';

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** ValidateUnixAddress */
function unixAddress(addr: string): string | null {
  if (addr === '') return 'unix address must not be empty';
  if (addr.startsWith('@')) return null;
  return addr.startsWith('/') && !addr.endsWith('/') ? null : `${addr} is not an absolute path to a file`;
}

/** ValidatePortName, ValidateProtocol (protocol.Parse), agent.ValidatePort; a bind must be an IP (ValidateIPAddress). */
function portAndBind(port: RawRecord, bind: string, at: string, p: Problems, uds: boolean): void {
  const name = text(port['name']);
  const protocol = text(port['protocol']);
  if (name !== '' && !isLabel(name)) p.add('invalid-sidecar', `${at}.port.name`, `invalid port name: ${name}`);
  if (protocol !== '' && !PROTOCOLS.has(protocol.toLowerCase()))
    p.add('invalid-sidecar', `${at}.port.protocol`, `unsupported protocol: ${protocol}`);
  if (uds) return;
  const n = num(port['number']);
  if (n < 1 || n > 65535)
    p.add('invalid-sidecar', `${at}.port.number`, `port number ${n} must be in the range 1..65535`);
  if (bind !== '' && (bind.includes('/') || validateIps([bind]) !== null))
    p.add('invalid-sidecar', `${at}.bind`, `${bind} is not a valid IP`);
}

/** defaultEndpoint: 127.0.0.1:port, 0.0.0.0:port, [::1]:port, [::]:port or unix://path (net.SplitHostPort). */
function defaultEndpoint(endpoint: string, at: string, p: Problems): void {
  if (endpoint.startsWith(UNIX)) return p.add('invalid-sidecar', at, unixAddress(endpoint.slice(UNIX.length)));
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/.exec(endpoint);
  if (!m) return p.add('invalid-sidecar', at, `address ${endpoint}: missing port in address`);
  const host = m[1] ?? m[2] ?? '';
  if (host !== '' && !['127.0.0.1', '0.0.0.0', '::1', '::'].includes(host))
    p.add(
      'invalid-sidecar',
      at,
      'sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset',
    );
  const port = m[3] ?? '';
  if (!/^[+-]?\d+$/.test(port)) p.add('invalid-sidecar', at, `sidecar: defaultEndpoint port (${port}) is not a number`);
  else if (Number(port) < 1 || Number(port) > 65535)
    p.add('invalid-sidecar', at, `port number ${port} must be in the range 1..65535`);
}

/** validateConnectionPool: at least http or tcp. */
function connectionPool(pool: unknown, at: string, p: Problems): void {
  const cp = objectAt(pool, at, p);
  if (cp !== null && !isRecord(cp['http']) && !isRecord(cp['tcp']))
    p.add('invalid-sidecar', at, 'connection pool must have at least one field');
}

function validateIngress(list: readonly RawRecord[], p: Problems): void {
  const ports = new Set<number>();
  list.forEach((i, k) => {
    const at = `spec.ingress[${k}]`;
    const port = objectAt(i['port'], `${at}.port`, p);
    if (port === null) return p.add('invalid-sidecar', `${at}.port`, 'sidecar: port is required for ingress listeners');
    if (num(port['targetPort']) > 0)
      p.add('invalid-sidecar', `${at}.port.targetPort`, 'targetPort has no impact on Sidecars');
    portAndBind(port, text(i['bind']), at, p, false);
    if (ports.has(num(port['number'])))
      p.add('invalid-sidecar', `${at}.port`, 'sidecar: ports on IP bound listeners must be unique');
    ports.add(num(port['number']));
    if (text(i['defaultEndpoint']) !== '') defaultEndpoint(text(i['defaultEndpoint']), `${at}.defaultEndpoint`, p);
    const tls = objectAt(i['tls'], `${at}.tls`, p);
    if (tls !== null) validateIngressTls(tls, text(port['protocol']), `${at}.tls`, p);
    connectionPool(i['connectionPool'], `${at}.connectionPool`, p);
    if (
      isRecord(i['connectionPool']) &&
      isRecord(i['connectionPool']['http']) &&
      !HTTP.has(text(port['protocol']).toLowerCase())
    )
      p.add(
        'sidecar-http-pool-on-tcp',
        `${at}.connectionPool.http`,
        `sidecar: HTTP connection pool settings are configured for port ${num(port['number'])} ("${text(port['name'])}") but its protocol is not HTTP (${text(port['protocol'])}); only TCP settings will apply`,
      );
  });
}

function validateIngressTls(tls: RawRecord, protocol: string, at: string, p: Problems): void {
  const present = (k: string) =>
    Array.isArray(tls[k])
      ? tls[k].length > 0
      : tls[k] !== undefined && tls[k] !== null && tls[k] !== '' && tls[k] !== false;
  if (present('subjectAltNames'))
    p.add('invalid-sidecar', at, 'sidecar: subjectAltNames is not supported in ingress tls');
  if (present('httpsRedirect')) p.add('invalid-sidecar', at, 'sidecar: httpsRedirect is not supported');
  if (present('credentialName')) p.add('invalid-sidecar', at, 'sidecar: credentialName is not currently supported');
  if (present('credentialNames')) p.add('invalid-sidecar', at, 'sidecar: credentialNames is not currently supported');
  if (present('tlsCertificates')) p.add('invalid-sidecar', at, 'sidecar: tls_certificates is not currently supported');
  if (tls['mode'] === 'ISTIO_MUTUAL' || tls['mode'] === 'AUTO_PASSTHROUGH')
    p.add(
      'invalid-sidecar',
      `${at}.mode`,
      `configuration is invalid: cannot set mode to ${tls['mode']} in sidecar ingress tls`,
    );
  if (!['https', 'tls'].includes(protocol.toLowerCase()))
    p.add('invalid-sidecar', at, 'server cannot have TLS settings for non HTTPS/TLS ports');
}

/** agent.ValidateDNS1123Labels: no all-numeric top-level label, each label DNS-1123 (a trailing dot allowed). */
function dnsLabels(domain: string): string | null {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1] ?? '';
  if (/^[+-]?\d+$/.test(tld))
    return `domain name "${domain}" invalid (top level domain "${tld}" cannot be all-numeric)`;
  const bad = parts.find((l, i) => !(i === parts.length - 1 && l === '') && !isLabel(l));
  return bad === undefined ? null : `domain name "${domain}" invalid (label "${bad}" invalid)`;
}

/** agent.ValidateWildcardDomain: a wildcard only in the first label. */
function wildcardDomain(domain: string): string | null {
  if (domain.length === 0 || domain.length > 255) return `domain name "${domain}" empty or too long (max 255)`;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first))
    return `domain name "${domain}" invalid (label "${first}" invalid)`;
  return dot < 0 ? null : dnsLabels(domain.slice(dot + 1));
}

/** agent.ValidateNamespaceSlashWildcardHostname(host, false, false): `ns/dnsName` for a Sidecar. */
export function sidecarHostProblem(host: string): string | null {
  const slash = host.indexOf('/');
  if (slash < 0) return 'host must be of form namespace/dnsName';
  const [ns, name] = [host.slice(0, slash), host.slice(slash + 1)];
  if (ns === '' || name === '') return 'config namespace and dnsName in host entry cannot be empty';
  const bare = ns.replace(/^~/, '');
  if (bare !== '' && bare !== '*' && bare !== '.' && !isLabel(bare))
    return `invalid namespace value "${ns}" in sidecar`;
  if (name !== '*' && !name.includes('.')) return 'short names (non FQDN) are not allowed';
  const domain = wildcardDomain(name);
  if (domain) return domain;
  return name.includes('*') && name.length !== 1 && !name.startsWith('*.')
    ? `partial wildcard "${name}" not allowed`
    : null;
}

/** The duplicate-host warnings of ValidateSidecar (`ns/a` twice, `ns/a` beside `ns/*`, `*\/*` with others). */
function hostOverlaps(hosts: readonly string[], namespace: string, at: string, p: Problems): void {
  const byNs = new Map<string, Set<string>>();
  for (const host of hosts) {
    const slash = host.indexOf('/');
    if (slash < 0 || host.startsWith('~')) continue;
    const ns = host.slice(0, slash) === '.' ? namespace : host.slice(0, slash);
    const svc = host.slice(slash + 1);
    const seen = byNs.get(ns) ?? new Set<string>();
    if (svc !== '*' ? seen.has(svc) || seen.has('*') : seen.size > 0)
      p.add('sidecar-egress-host-overlap', at, `duplicated egress host: ${host}`);
    seen.add(svc);
    byNs.set(ns, seen);
  }
  if (byNs.get('*')?.has('*') && byNs.size !== 1)
    p.add('sidecar-egress-host-overlap', at, '`*/*` host select all resources, no other hosts can be added');
}

function validateEgress(list: readonly RawRecord[], namespace: string, p: Problems): void {
  const ports = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  list.forEach((e, k) => {
    const at = `spec.egress[${k}]`;
    const port = objectAt(e['port'], `${at}.port`, p);
    if (port === null && catchAll)
      return p.add('invalid-sidecar', `${at}.port`, 'sidecar: egress can have only one listener with empty port');
    if (port === null && k !== list.length - 1)
      p.add(
        'invalid-sidecar',
        `${at}.port`,
        'sidecar: the egress listener with empty port should be the last listener in the list',
      );
    if (port === null) catchAll = k === list.length - 1;
    else validateEgressPort(port, e, at, { ports, sockets }, p);
    const hosts = stringList(e['hosts'], `${at}.hosts`, p) ?? [];
    if (hosts.length === 0)
      return p.add('invalid-sidecar', `${at}.hosts`, 'sidecar: egress listener must contain at least one host');
    hostOverlaps(hosts, namespace, `${at}.hosts`, p);
    for (const h of hosts)
      p.add('invalid-sidecar', `${at}.hosts`, sidecarHostProblem(h) && `${h}: ${sidecarHostProblem(h) ?? ''}`);
  });
}

/** validateSidecarEgressPortBindAndCaptureMode, and unique ports / unix sockets. */
function validateEgressPort(
  port: RawRecord,
  e: RawRecord,
  at: string,
  seen: { ports: Set<number>; sockets: Set<string> },
  p: Problems,
): void {
  if (num(port['targetPort']) > 0)
    p.add('invalid-sidecar', `${at}.port.targetPort`, 'targetPort has no impact on Sidecars');
  const bind = text(e['bind']);
  const uds = num(port['number']) === 0;
  portAndBind(port, bind, at, p, uds);
  if (uds) {
    if (!bind.startsWith(UNIX))
      p.add('invalid-sidecar', `${at}.bind`, 'sidecar: ports with 0 value must have a unix domain socket bind address');
    else p.add('invalid-sidecar', `${at}.bind`, unixAddress(bind.slice(UNIX.length)));
    const mode = text(e['captureMode']);
    if (mode !== '' && mode !== 'DEFAULT' && mode !== 'NONE')
      p.add(
        'invalid-sidecar',
        `${at}.captureMode`,
        'sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners',
      );
    if (seen.sockets.has(bind))
      p.add('invalid-sidecar', `${at}.bind`, 'sidecar: unix domain socket values for listeners must be unique');
    seen.sockets.add(bind);
  } else {
    if (seen.ports.has(num(port['number'])))
      p.add('invalid-sidecar', `${at}.port`, 'sidecar: ports on IP bound listeners must be unique');
    seen.ports.add(num(port['number']));
  }
}

/** validateSidecarOutboundTrafficPolicy: egressProxy only with ALLOW_ANY, an FQDN host and a port. */
function validateOutbound(policy: RawRecord, p: Problems): void {
  const at = 'spec.outboundTrafficPolicy';
  const mode = policy['mode'] ?? 'REGISTRY_ONLY';
  if (mode !== 'REGISTRY_ONLY' && mode !== 'ALLOW_ANY')
    return p.schema(
      `${at}.mode`,
      `${quotedValue(mode)} is not REGISTRY_ONLY or ALLOW_ANY (ALLOW_ANY_DYNAMIC_DNS is only supported in MeshConfig)`,
    );
  const proxy = objectAt(policy['egressProxy'], `${at}.egressProxy`, p);
  if (proxy === null) return;
  if (mode !== 'ALLOW_ANY')
    return p.add(
      'invalid-sidecar',
      `${at}.egressProxy`,
      'sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode',
    );
  const host = text(proxy['host']);
  p.add(
    'invalid-sidecar',
    `${at}.egressProxy.host`,
    host.length === 0 || host.length > 255 ? `domain name "${host}" empty or too long` : dnsLabels(host),
  );
  if (!isRecord(proxy['port']))
    p.add('invalid-sidecar', `${at}.egressProxy.port`, 'sidecar: egress_proxy port must be non-nil');
}

export function validateSidecar(spec: RawRecord, p: Problems, namespace: string): Problems {
  validateWorkloadSelector(spec['workloadSelector'], p, { field: 'spec.workloadSelector', key: 'labels' });
  const ingress = objectList(spec['ingress'], 'spec.ingress', p) ?? [];
  const egress = objectList(spec['egress'], 'spec.egress', p) ?? [];
  const outbound = objectAt(spec['outboundTrafficPolicy'], 'spec.outboundTrafficPolicy', p);
  const pool = spec['inboundConnectionPool'];
  if (ingress.length === 0 && egress.length === 0 && outbound === null && (pool === undefined || pool === null))
    return (p.add('invalid-sidecar', 'spec', 'sidecar: empty configuration provided'), p);
  validateIngress(ingress, p);
  connectionPool(pool, 'spec.inboundConnectionPool', p);
  validateEgress(egress, namespace, p);
  if (outbound !== null) validateOutbound(outbound, p);
  return p;
}
