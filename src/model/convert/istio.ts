/**
 * Raw objects -> IstioResources: the security.istio.io kinds, DestinationRule TLS settings,
 * the mesh ConfigMap, the detected-only kinds (Sidecar, ServiceEntry, EnvoyFilter,
 * WorkloadEntry) and the legacy/non-existent RBAC kinds, kept only to warn about them.
 */
import { customProviderError } from './extension-providers.js';
import type { SourceLocation, UnmodelledPolicy } from '../k8s.js';
import type { RawObject } from '../raw.js';
import type {
  AuthorizationPolicy,
  ClientTlsMode,
  DestinationRule,
  DetectedIstioObject,
  IstioResources,
  PeerAuthentication,
  RequestAuthentication,
} from '../istio.js';
import { istioFinding, type IstioFinding } from './istio-findings.js';
import { readMeshConfig } from './istio-mesh-config.js';
import { apiGroup, list, meta, rec, str, strList, workloadSelector, type RawRecord } from './istio-raw.js';
import {
  convertAuthorizationPolicy,
  convertPeerAuthentication,
  convertRequestAuthentication,
  type ConvertContext,
} from './istio-security.js';
import { validateIstioSecurity } from './istio-validate.js';
import { analyzeRawIstio } from './istio-analyzers-raw.js';

const LEGACY_RBAC_KINDS = new Set(['ServiceRole', 'ServiceRoleBinding', 'RbacConfig', 'ClusterRbacConfig']);
const SECURITY_KINDS = new Set(['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication']);
const DETECTED_KINDS = new Set(['Sidecar', 'ServiceEntry', 'EnvoyFilter', 'WorkloadEntry']);
const TLS_MODES: readonly ClientTlsMode[] = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];

/** true for every kind this converter reads or warns about (the mesh ConfigMap excepted). */
export function isIstioKind(apiVersion: string, kind: string): boolean {
  const group = apiGroup(apiVersion);
  if (group === 'security.istio.io') return SECURITY_KINDS.has(kind) || LEGACY_RBAC_KINDS.has(kind);
  if (group === 'rbac.istio.io') return true;
  if (group === 'authentication.istio.io') return kind === 'Policy' || kind === 'MeshPolicy';
  if (group === 'networking.istio.io') return kind === 'DestinationRule' || DETECTED_KINDS.has(kind);
  return false;
}

export interface IstioConversion {
  readonly istio: IstioResources;
  readonly findings: IstioFinding[];
  readonly unmodelled: UnmodelledPolicy[];
}

function tlsMode(value: unknown): ClientTlsMode | null {
  const s = str(value);
  return s !== null && (TLS_MODES as readonly string[]).includes(s) ? (s as ClientTlsMode) : null;
}

function convertDestinationRule(object: RawRecord, loc: SourceLocation | null, ctx: ConvertContext): DestinationRule {
  const m = meta(object);
  const spec = rec(object['spec']);
  const policy = rec(spec['trafficPolicy']);
  const ports = new Map<number, ClientTlsMode>();
  const credentials = new Map<number, string>();
  for (const setting of list(policy['portLevelSettings'])) {
    const s = rec(setting);
    const port = rec(s['port'])['number'];
    const md = tlsMode(rec(s['tls'])['mode']);
    if (typeof port === 'number' && md !== null) ports.set(port, md);
    const credential = str(rec(s['tls'])['credentialName']);
    if (typeof port === 'number' && credential) credentials.set(port, credential);
  }
  return {
    namespace: m.namespace ?? ctx.defaultNamespace,
    name: m.name,
    host: str(spec['host']) ?? '',
    exportTo: strList(spec['exportTo']) ?? [],
    workloadSelector: workloadSelector(spec['workloadSelector']),
    tlsMode: tlsMode(rec(policy['tls'])['mode']),
    portTlsModes: ports,
    tlsCredentialName: str(rec(policy['tls'])['credentialName']) || null,
    portTlsCredentialNames: credentials,
    raw: object,
    loc,
  };
}

function detected(object: RawRecord, loc: SourceLocation | null, ctx: ConvertContext): DetectedIstioObject {
  const m = meta(object);
  const spec = rec(object['spec']);
  const kind = String(object['kind']) as DetectedIstioObject['kind'];
  return {
    kind,
    apiVersion: String(object['apiVersion']),
    namespace: m.namespace ?? ctx.defaultNamespace,
    name: m.name,
    selector: workloadSelector(spec['workloadSelector'], 'labels'),
    hosts: strList(spec['hosts']) ?? [],
    loc,
  };
}

function legacyFinding(
  apiVersion: string,
  kind: string,
  ns: string | null,
  name: string,
  loc: SourceLocation | null,
): IstioFinding | null {
  const group = apiGroup(apiVersion);
  const object = { kind, namespace: ns, name };
  if (group === 'rbac.istio.io') {
    return istioFinding(
      'legacy-servicerole',
      `${kind} ${name} (${apiVersion}) was removed in Istio 1.6 and enforces nothing; rewrite it as an AuthorizationPolicy (security.istio.io/v1)`,
      { object, loc },
    );
  }
  if (group === 'security.istio.io' && LEGACY_RBAC_KINDS.has(kind)) {
    return istioFinding(
      'nonexistent-istio-kind',
      `${kind} ${name}: ${apiVersion} never had a ${kind} kind, so kubectl apply fails with "no matches for kind"; use an AuthorizationPolicy`,
      { object, loc },
    );
  }
  if (group === 'authentication.istio.io') {
    return istioFinding(
      'legacy-istio-authn',
      `${kind} ${name} (${apiVersion}) was removed in Istio 1.6; use PeerAuthentication / RequestAuthentication`,
      { object, loc },
    );
  }
  return null;
}

interface Buckets {
  authorizationPolicies: AuthorizationPolicy[];
  peerAuthentications: PeerAuthentication[];
  requestAuthentications: RequestAuthentication[];
  destinationRules: DestinationRule[];
  detected: DetectedIstioObject[];
}

function convertOne(raw: RawObject, ctx: ConvertContext, out: Buckets): void {
  const o = raw.object;
  const kind = String(o['kind']);
  ctx.findings.push(...validateIstioSecurity(o, meta(o).namespace ?? ctx.defaultNamespace, raw.loc, raw.lines));
  if (kind === 'AuthorizationPolicy') out.authorizationPolicies.push(convertAuthorizationPolicy(o, raw.loc, ctx));
  else if (kind === 'PeerAuthentication') out.peerAuthentications.push(convertPeerAuthentication(o, raw.loc, ctx));
  else if (kind === 'RequestAuthentication')
    out.requestAuthentications.push(convertRequestAuthentication(o, raw.loc, ctx));
  else if (kind === 'DestinationRule') out.destinationRules.push(convertDestinationRule(o, raw.loc, ctx));
  else if (DETECTED_KINDS.has(kind)) out.detected.push(detected(o, raw.loc, ctx));
}

function isDuplicate(raw: RawObject, seen: Set<string>, ctx: ConvertContext): boolean {
  const m = meta(raw.object);
  const key = `${String(raw.object['kind'])}/${m.namespace ?? ctx.defaultNamespace}/${m.name}`;
  if (!seen.has(key)) {
    seen.add(key);
    return false;
  }
  ctx.findings.push(
    istioFinding('duplicate-object', `${key} is defined twice; the first definition is used`, {
      object: { kind: String(raw.object['kind']), namespace: m.namespace ?? ctx.defaultNamespace, name: m.name },
      loc: raw.loc,
    }),
  );
  return true;
}

export function convertIstio(
  objects: readonly RawObject[],
  options: { defaultNamespace: string; rootNamespace?: string; trustDomain?: string },
): IstioConversion {
  const findings: IstioFinding[] = [];
  const ctx: ConvertContext = { defaultNamespace: options.defaultNamespace, findings };
  const out: Buckets = {
    authorizationPolicies: [],
    peerAuthentications: [],
    requestAuthentications: [],
    destinationRules: [],
    detected: [],
  };
  const unmodelled: UnmodelledPolicy[] = [];
  const seen = new Set<string>();
  for (const raw of objects) {
    const apiVersion = str(raw.object['apiVersion']) ?? '';
    const kind = str(raw.object['kind']) ?? '';
    if (!isIstioKind(apiVersion, kind)) continue;
    const m = meta(raw.object);
    const legacy = legacyFinding(apiVersion, kind, m.namespace ?? options.defaultNamespace, m.name, raw.loc);
    if (legacy) {
      findings.push(legacy);
      continue;
    }
    if (isDuplicate(raw, seen, ctx)) continue;
    convertOne(raw, ctx, out);
    if (DETECTED_KINDS.has(kind))
      unmodelled.push({
        kind,
        apiVersion,
        namespace: m.namespace ?? options.defaultNamespace,
        name: m.name,
        loc: raw.loc,
      });
  }
  const mesh = readMeshConfig(objects, options, findings);
  findings.push(
    ...analyzeRawIstio(objects, { defaultNamespace: options.defaultNamespace, rootNamespace: mesh.rootNamespace }),
  );
  for (const p of out.authorizationPolicies) {
    const error =
      p.action === 'CUSTOM' && p.provider !== null ? customProviderError(mesh.extensionProviders, p.provider) : null;
    if (error !== null) {
      const known = mesh.extensionProviders.some((e) => e.name === p.provider);
      findings.push(
        istioFinding(
          known ? 'custom-provider-invalid' : 'custom-provider-unknown',
          `${p.namespace}/${p.name}: ${known ? error : `provider "${p.provider}" is not in meshConfig.extensionProviders`} (${mesh.origin}); istiod turns its rules into an enforced DENY`,
          {
            object: { kind: 'AuthorizationPolicy', namespace: p.namespace, name: p.name },
            field: 'spec.provider.name',
            loc: p.loc,
          },
        ),
      );
    }
  }
  return { istio: { ...out, mesh }, findings, unmodelled };
}
