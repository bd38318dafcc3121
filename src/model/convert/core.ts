/** Namespaces, Pods, workloads (as representative pods) and Services. */
import type {
  Container,
  ContainerPort,
  Namespace,
  Pod,
  Service,
  ServiceAccount,
  ServicePort,
  WorkloadRef,
} from '../k8s.js';
import type { RawObject } from '../raw.js';
import type { Finding } from '../findings.js';
import { ConvertContext, arrayAt, isRecord, metadataOf, recordAt, stringAt, type Json } from './context.js';
import { convertProtocol } from './ports.js';
import { convertLabels, convertStringMap } from './labels.js';
import { portNameProblem } from './ports.js';
import { quotedValue } from '../../util/cut-text.js';

export const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

export function namespaceOf(object: Json, defaultNamespace: string): string {
  return stringAt(metadataOf(object)['namespace']) || defaultNamespace;
}

export function nameOf(object: Json): string {
  return stringAt(metadataOf(object)['name']) ?? '';
}

export function convertNamespace(raw: RawObject, sink: Finding[]): Namespace {
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind: 'Namespace', namespace: null, name }, sink);
  const labels = {
    ...convertLabels(metadataOf(raw.object)['labels'], 'metadata.labels', ctx),
    'kubernetes.io/metadata.name': name,
  };
  return { name, labels, synthesized: false, loc: raw.loc };
}

export function convertServiceAccount(raw: RawObject, defaultNamespace: string, sink: Finding[]): ServiceAccount {
  const namespace = namespaceOf(raw.object, defaultNamespace);
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind: 'ServiceAccount', namespace, name }, sink);
  const labels = convertLabels(metadataOf(raw.object)['labels'], 'metadata.labels', ctx);
  return { namespace, name, labels, loc: raw.loc };
}

export function synthesizeNamespace(name: string): Namespace {
  return { name, labels: { 'kubernetes.io/metadata.name': name }, synthesized: true, loc: null };
}

function convertContainers(raw: unknown, ctx: ConvertContext, field: string): Container[] {
  return (arrayAt(raw) ?? []).filter(isRecord).map((c, i) => {
    const ports: ContainerPort[] = (arrayAt(c['ports']) ?? []).filter(isRecord).flatMap((p, j) => {
      const port = p['containerPort'];
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        const why =
          typeof port === 'string'
            ? `"${port}" is a string; write the port number without quotes`
            : port === undefined
              ? 'containerPort is required'
              : `${String(port)} is not a port number between 1 and 65535`;
        ctx.report('invalid-port', `${field}[${i}].ports[${j}].containerPort`, why, p);
        return [];
      }
      return [
        {
          name: stringAt(p['name']),
          containerPort: port,
          protocol: convertProtocol(p['protocol'], `${field}[${i}].ports[${j}].protocol`, ctx, p),
        },
      ];
    });
    return { name: stringAt(c['name']) ?? `container-${i}`, ports, restartPolicy: stringAt(c['restartPolicy']) };
  });
}

interface PodSpecInput {
  readonly namespace: string;
  readonly name: string;
  readonly metadata: Json;
  readonly spec: Json;
  readonly status: Json | null;
  readonly owners: readonly WorkloadRef[];
  readonly fromTemplate: boolean;
}

/**
 * Pod spec fields that decide the pod's identity, sidecar and selection, of the type the API
 * server wants (kubectl refuses any other). Read as absent, `serviceAccountName: [a]` made the pod
 * run as `default`, `hostNetwork: "true"` a pod network pod, and `containers: [istio-proxy]` a pod
 * without a sidecar, each without a word.
 */
function checkPodSpecTypes(spec: Json, prefix: string, ctx: ConvertContext): void {
  const want = (node: Json, key: string, type: 'string' | 'boolean', field: string): void => {
    const v = node[key];
    if (v === undefined || v === null || typeof v === type) return;
    const unquote = type === 'boolean' && (v === 'true' || v === 'false') ? ': write it without quotes' : '';
    ctx.report('invalid-field', field, `must be a ${type}, got ${quotedValue(v)}${unquote}`, node);
  };
  want(spec, 'serviceAccountName', 'string', `${prefix}.serviceAccountName`);
  want(spec, 'serviceAccount', 'string', `${prefix}.serviceAccount`);
  want(spec, 'hostNetwork', 'boolean', `${prefix}.hostNetwork`);
  want(spec, 'nodeName', 'string', `${prefix}.nodeName`);
  for (const key of ['containers', 'initContainers']) {
    const list = spec[key];
    ctx.expectList(list, `${prefix}.${key}`, 'containers', spec);
    if (!Array.isArray(list)) continue;
    (list as unknown[]).forEach((c, i) => {
      if (!isRecord(c))
        ctx.report(
          'invalid-field',
          `${prefix}.${key}[${i}]`,
          `must be a container map {name, image, ...}, got ${quotedValue(c)}`,
          list,
        );
      else {
        want(c, 'name', 'string', `${prefix}.${key}[${i}].name`);
        want(c, 'restartPolicy', 'string', `${prefix}.${key}[${i}].restartPolicy`);
      }
    });
  }
}

function buildPod(input: PodSpecInput, raw: RawObject, ctx: ConvertContext): Pod {
  const { spec, status, metadata } = input;
  checkPodSpecTypes(spec, input.fromTemplate ? 'spec.template.spec' : 'spec', ctx);
  const statuses = (arrayAt(status?.['containerStatuses']) ?? []).filter(isRecord);
  const conditions = (arrayAt(status?.['conditions']) ?? []).filter(isRecord);
  const readyCondition = conditions.find((c) => c['type'] === 'Ready');
  return {
    namespace: input.namespace,
    name: input.name,
    labels: convertLabels(
      metadata['labels'],
      input.fromTemplate ? 'spec.template.metadata.labels' : 'metadata.labels',
      ctx,
    ),
    annotations: convertStringMap(
      metadata['annotations'],
      input.fromTemplate ? 'spec.template.metadata.annotations' : 'metadata.annotations',
      ctx,
    ),
    ip: stringAt(status?.['podIP']) ?? null,
    hostNetwork: spec['hostNetwork'] === true,
    serviceAccount: stringAt(spec['serviceAccountName']) ?? stringAt(spec['serviceAccount']) ?? 'default',
    containers: convertContainers(spec['containers'], ctx, 'spec.containers'),
    initContainers: convertContainers(spec['initContainers'], ctx, 'spec.initContainers'),
    owners: input.owners,
    fromTemplate: input.fromTemplate,
    nodeName: stringAt(spec['nodeName']),
    phase: stringAt(status?.['phase']),
    ready: readyCondition ? readyCondition['status'] === 'True' : null,
    restarts: statuses.reduce((n, s) => n + (typeof s['restartCount'] === 'number' ? s['restartCount'] : 0), 0),
    loc: raw.loc,
  };
}

/** The controller owner of a live object (ownerReferences with controller: true, never a Node). */
export function controllerOwner(object: Json): WorkloadRef | null {
  for (const ref of arrayAt(metadataOf(object)['ownerReferences']) ?? []) {
    if (isRecord(ref) && ref['controller'] === true) {
      if (ref['kind'] === 'Node') return null;
      const name = stringAt(ref['name']);
      return name ? { kind: stringAt(ref['kind']) || 'Pod', name } : null;
    }
  }
  return null;
}

export function convertLivePod(
  raw: RawObject,
  defaultNamespace: string,
  owners: readonly WorkloadRef[],
  sink: Finding[],
): Pod {
  const namespace = namespaceOf(raw.object, defaultNamespace);
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind: 'Pod', namespace, name }, sink);
  return buildPod(
    {
      namespace,
      name,
      metadata: metadataOf(raw.object),
      spec: recordAt(raw.object['spec']) ?? {},
      status: recordAt(raw.object['status']),
      owners,
      fromTemplate: false,
    },
    raw,
    ctx,
  );
}

/** The representative pod of a workload, from its pod template (CronJob: jobTemplate). */
export function convertWorkloadTemplate(raw: RawObject, defaultNamespace: string, sink: Finding[]): Pod | null {
  const kind = raw.object['kind'] as string;
  const namespace = namespaceOf(raw.object, defaultNamespace);
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind, namespace, name }, sink);
  const spec = recordAt(raw.object['spec']) ?? {};
  const jobSpec = kind === 'CronJob' ? recordAt(recordAt(spec['jobTemplate'])?.['spec']) : spec;
  const template = recordAt(jobSpec?.['template']);
  if (!template) {
    ctx.report(
      'missing-field',
      kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template',
      'a workload needs a pod template',
      raw.object,
    );
    return null;
  }
  return buildPod(
    {
      namespace,
      name,
      metadata: recordAt(template['metadata']) ?? {},
      spec: recordAt(template['spec']) ?? {},
      status: null,
      owners: [{ kind, name }],
      fromTemplate: true,
    },
    raw,
    ctx,
  );
}

/**
 * Service fields of another type than the API's (kubectl refuses them) were read as absent: a
 * selector written `"app=backend"` selected nothing (a Service without a selector), `ports:
 * {port: 80}` or `ports: [80]` gave no port, `type: [ClusterIP]` and `clusterIP: 5` the defaults.
 */
function serviceSpecTypes(spec: Json, ctx: ConvertContext): void {
  const selector = spec['selector'];
  if (selector !== undefined && selector !== null && !isRecord(selector))
    ctx.report(
      'invalid-field',
      'spec.selector',
      `must be a map of label key to value, got ${quotedValue(selector)}`,
      spec,
    );
  const ports = spec['ports'];
  ctx.expectList(ports, 'spec.ports', 'ports {port, targetPort, ...}', spec);
  if (Array.isArray(ports))
    (ports as unknown[]).forEach((p, i) => {
      if (!isRecord(p))
        ctx.report(
          'invalid-field',
          `spec.ports[${i}]`,
          `must be a port map {port, targetPort, ...}, got ${quotedValue(p)}`,
          ports,
        );
    });
  for (const key of ['type', 'clusterIP', 'externalName'])
    if (spec[key] !== undefined && spec[key] !== null && typeof spec[key] !== 'string')
      ctx.report('invalid-field', `spec.${key}`, `must be a string, got ${quotedValue(spec[key])}`, spec);
}

export function convertService(raw: RawObject, defaultNamespace: string, sink: Finding[]): Service {
  const namespace = namespaceOf(raw.object, defaultNamespace);
  const name = nameOf(raw.object);
  const ctx = new ConvertContext(raw, { kind: 'Service', namespace, name }, sink);
  const spec = recordAt(raw.object['spec']) ?? {};
  serviceSpecTypes(spec, ctx);
  const ports: ServicePort[] = (arrayAt(spec['ports']) ?? []).filter(isRecord).flatMap((p, i) => {
    const port = p['port'];
    if (typeof port !== 'number') {
      ctx.report('missing-field', `spec.ports[${i}].port`, 'a Service port needs a number', p);
      return [];
    }
    const target = p['targetPort'];
    if (typeof target === 'string' && target !== '') {
      const problem = /^\d+$/.test(target)
        ? `"${target}" is a string, so it names a container port, and it is not a valid port name; write the number without quotes`
        : portNameProblem(target);
      if (problem) ctx.report('invalid-port', `spec.ports[${i}].targetPort`, problem, p);
    }
    return [
      {
        name: stringAt(p['name']),
        port,
        targetPort:
          typeof target === 'number' || (typeof target === 'string' && target !== '')
            ? /^\d+$/.test(String(target))
              ? Number(target)
              : (target as string)
            : port,
        protocol: convertProtocol(p['protocol'], `spec.ports[${i}].protocol`, ctx, p),
        appProtocol: stringAt(p['appProtocol']),
      },
    ];
  });
  const selector = recordAt(spec['selector']);
  return {
    namespace,
    name,
    selector: selector && Object.keys(selector).length > 0 ? convertStringMap(selector, 'spec.selector', ctx) : null,
    labels: convertLabels(metadataOf(raw.object)['labels'], 'metadata.labels', ctx),
    clusterIP: stringAt(spec['clusterIP']),
    type: stringAt(spec['type']) ?? 'ClusterIP',
    ports,
    ...(spec['type'] === 'ExternalName' ? { externalName: stringAt(spec['externalName']) } : {}),
    loc: raw.loc,
  };
}
