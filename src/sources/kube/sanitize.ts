/**
 * What `meshdbg snapshot` may write into a file users attach to bug reports: no Secrets,
 * no tokens, no last-applied-configuration, no managedFields, no container
 * env/envFrom/args/command, and of ConfigMaps only the mesh one (its `mesh` key).
 */
import { isMeshConfigMap } from './kinds.js';

type Json = Record<string, unknown>;

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];
const CONTAINER_FIELDS = ['env', 'envFrom', 'args', 'command'];
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

function isObj(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cleanMetadata(meta: unknown): Json | undefined {
  if (!isObj(meta)) return undefined;
  const { managedFields: _m, annotations, ...rest } = meta;
  if (!isObj(annotations)) return rest;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => !DROPPED_ANNOTATIONS.includes(k)));
  return Object.keys(kept).length > 0 ? { ...rest, annotations: kept } : rest;
}

function cleanPodSpec(spec: unknown): unknown {
  if (!isObj(spec)) return spec;
  const out: Json = { ...spec };
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    out[list] = containers.map((c: unknown) =>
      isObj(c) ? Object.fromEntries(Object.entries(c).filter(([k]) => !CONTAINER_FIELDS.includes(k))) : c,
    );
  }
  return out;
}

function cleanTemplate(template: unknown): unknown {
  if (!isObj(template)) return template;
  return { ...template, metadata: cleanMetadata(template['metadata']), spec: cleanPodSpec(template['spec']) };
}

function cleanSpec(kind: string, spec: unknown): unknown {
  if (!isObj(spec)) return spec;
  if (kind === 'Pod') return cleanPodSpec(spec);
  if (kind === 'CronJob' && isObj(spec['jobTemplate'])) {
    const job = spec['jobTemplate'];
    return {
      ...spec,
      jobTemplate: {
        ...job,
        spec: isObj(job['spec']) ? { ...job['spec'], template: cleanTemplate(job['spec']['template']) } : job['spec'],
      },
    };
  }
  if ('template' in spec) return { ...spec, template: cleanTemplate(spec['template']) };
  return spec;
}

/** The object as it may be shared, or null when it must not be written at all. */
export function sanitizeForSnapshot(object: Readonly<Json>): Json | null {
  const kind = String(object['kind'] ?? '');
  if (kind === 'Secret') return null;
  if (kind === 'ConfigMap') {
    if (!isMeshConfigMap(object)) return null;
    const data = object['data'] as Json;
    return {
      apiVersion: object['apiVersion'],
      kind,
      metadata: cleanMetadata(object['metadata']),
      data: { mesh: data['mesh'] },
    };
  }
  const { status, spec, secrets: _tokens, ...rest } = object as Json;
  const out: Json = { ...rest, metadata: cleanMetadata(object['metadata']) };
  if (spec !== undefined) out['spec'] = cleanSpec(kind, spec);
  if (status !== undefined && (kind === 'Pod' || kind === 'Namespace')) out['status'] = status;
  return out;
}
