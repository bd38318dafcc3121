/** The mesh ConfigMap (`istio` or `istio-<rev>` in the Istio namespace, key `data.mesh`) -> MeshConfig. */
import yaml from 'js-yaml';
import { KUBECTL_YAML_SCHEMA, NUL_BYTE_REASON } from '../../util/kubectl-yaml.js';
import type { RawObject } from '../raw.js';
import { DEFAULT_MESH_CONFIG, type MeshConfig, type PathNormalization } from '../istio.js';
import { readExtensionProviders } from './extension-providers.js';
import { istioFinding, type IstioFinding } from './istio-findings.js';
import { isRecord, meta, rec, str, strList } from './istio-raw.js';

const MESH_CONFIGMAP = /^istio(?:-([a-z0-9][a-z0-9-]*))?$/;

interface MeshConfigMap {
  readonly namespace: string;
  readonly name: string;
  readonly revision: string;
  readonly mesh: string;
  readonly source: RawObject;
}

function meshConfigMaps(
  objects: readonly RawObject[],
  defaultNamespace: string,
  findings: IstioFinding[],
): MeshConfigMap[] {
  const out: MeshConfigMap[] = [];
  for (const o of objects) {
    if (o.object['kind'] !== 'ConfigMap' || o.object['apiVersion'] !== 'v1') continue;
    const m = meta(o.object);
    const match = MESH_CONFIGMAP.exec(m.name);
    const given = rec(o.object['data'])['mesh'];
    const mesh = str(given);
    // ConfigMap data values are strings (the API server refuses others): a `mesh:` written as a
    // YAML map was skipped without a word, and every answer used the default mesh settings
    if (match && given !== undefined && given !== null && mesh === null) {
      const namespace = m.namespace ?? defaultNamespace;
      findings.push(
        istioFinding(
          'invalid-field',
          `ConfigMap ${namespace}/${m.name}: data.mesh must be a string (ConfigMap data values are strings); write it as a block scalar, mesh: | followed by the settings indented below it`,
          { object: { kind: 'ConfigMap', namespace, name: m.name }, field: 'data.mesh', loc: o.loc },
        ),
      );
    }
    if (!match || mesh === null) continue;
    out.push({
      namespace: m.namespace ?? defaultNamespace,
      name: m.name,
      revision: match[1] ?? 'default',
      mesh,
      source: o,
    });
  }
  return out;
}

function numTrustedProxies(mesh: Readonly<Record<string, unknown>>): number {
  const n = rec(rec(rec(mesh['defaultConfig'])['gatewayTopology']))['numTrustedProxies'];
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
}

const NORMALIZATIONS: Readonly<Record<string, PathNormalization>> = {
  DEFAULT: 'BASE',
  NONE: 'NONE',
  BASE: 'BASE',
  MERGE_SLASHES: 'MERGE_SLASHES',
  DECODE_AND_MERGE_SLASHES: 'DECODE_AND_MERGE_SLASHES',
};

/**
 * `pathNormalization.normalization` (istio/api:mesh/v1alpha1/config.proto, ProxyPathNormalization: DEFAULT is
 * BASE). istiod cannot load a mesh config with an unknown enum name, so that is reported like invalid YAML.
 */
function pathNormalization(
  cm: MeshConfigMap | undefined,
  mesh: Readonly<Record<string, unknown>>,
  findings: IstioFinding[],
) {
  const raw = rec(mesh['pathNormalization'])['normalization'];
  if (raw === undefined || raw === null) return DEFAULT_MESH_CONFIG.pathNormalization;
  const mode = typeof raw === 'string' ? NORMALIZATIONS[raw] : undefined;
  if (mode !== undefined) return mode;
  if (cm)
    findings.push(
      istioFinding(
        'mesh-config-invalid',
        `ConfigMap ${cm.namespace}/${cm.name}: data.mesh pathNormalization.normalization ${JSON.stringify(raw)} is not one of ${Object.keys(NORMALIZATIONS).join(', ')}; BASE is assumed`,
        {
          object: { kind: 'ConfigMap', namespace: cm.namespace, name: cm.name },
          field: 'data.mesh',
          loc: cm.source.loc,
        },
      ),
    );
  return DEFAULT_MESH_CONFIG.pathNormalization;
}

function parseMesh(cm: MeshConfigMap, findings: IstioFinding[]): Readonly<Record<string, unknown>> {
  try {
    // istiod reads data.mesh with sigs.k8s.io/yaml (pkg/util/protomarshal ApplyYAML), as kubectl reads manifests
    // before js-yaml, whose refusal of a NUL costs memory in proportion to the NULs (nulBytePlace)
    if (cm.mesh.includes('\0')) throw new Error(NUL_BYTE_REASON);
    const parsed = yaml.load(cm.mesh, { json: true, schema: KUBECTL_YAML_SCHEMA });
    if (parsed === undefined || parsed === null) return {};
    if (isRecord(parsed)) return parsed;
    throw new Error('data.mesh is not a mapping');
  } catch (e) {
    findings.push(
      istioFinding(
        'mesh-config-invalid',
        `ConfigMap ${cm.namespace}/${cm.name}: data.mesh is not valid YAML (${(e as Error).message.split('\n')[0] ?? ''}); mesh defaults are used`,
        {
          object: { kind: 'ConfigMap', namespace: cm.namespace, name: cm.name },
          field: 'data.mesh',
          loc: cm.source.loc,
        },
      ),
    );
    return {};
  }
}

/**
 * Mesh settings as istiod reads them. The `istio` ConfigMap (default revision) wins over
 * `istio-<rev>` ones; `istio-system` wins when several namespaces hold one.
 */
export function readMeshConfig(
  objects: readonly RawObject[],
  options: { defaultNamespace: string; rootNamespace?: string; trustDomain?: string },
  findings: IstioFinding[],
): MeshConfig {
  const maps = meshConfigMaps(objects, options.defaultNamespace, findings).sort(
    (a, b) =>
      Number(b.revision === 'default') - Number(a.revision === 'default') ||
      Number(b.namespace === 'istio-system') - Number(a.namespace === 'istio-system') ||
      a.name.localeCompare(b.name),
  );
  const chosen = maps[0];
  const base: MeshConfig = chosen
    ? { ...DEFAULT_MESH_CONFIG, istioNamespace: chosen.namespace, rootNamespace: chosen.namespace }
    : DEFAULT_MESH_CONFIG;
  const mesh = chosen ? parseMesh(chosen, findings) : {};
  const outbound = str(rec(mesh['outboundTrafficPolicy'])['mode']);
  return {
    istioNamespace: base.istioNamespace,
    rootNamespace: options.rootNamespace ?? str(mesh['rootNamespace']) ?? base.rootNamespace,
    trustDomain: options.trustDomain ?? str(mesh['trustDomain']) ?? base.trustDomain,
    trustDomainAliases: strList(mesh['trustDomainAliases']) ?? [],
    enableAutoMtls: typeof mesh['enableAutoMtls'] === 'boolean' ? mesh['enableAutoMtls'] : true,
    outboundTrafficPolicy: outbound === 'REGISTRY_ONLY' ? 'REGISTRY_ONLY' : 'ALLOW_ANY',
    extensionProviders: readExtensionProviders(mesh['extensionProviders']),
    numTrustedProxies: numTrustedProxies(mesh),
    pathNormalization: pathNormalization(chosen, mesh, findings),
    revisions: [...new Set(maps.map((m) => m.revision))].sort(),
    origin: chosen ? `ConfigMap ${chosen.namespace}/${chosen.name}` : 'defaults',
  };
}
