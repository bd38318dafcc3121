/**
 * explain(): can SRC reach DST on this port, and which rule decides? Pure over a Snapshot.
 */
import { followExternalName } from './external-name.js';
import { requestDependentCondition } from './explain/request-dependent.js';
import { cutLongValues } from '../util/cut-text.js';
import type { Pod, Service, ServicePort } from '../model/k8s.js';
import type { PodGroup, Snapshot } from '../model/snapshot.js';
import {
  API_VERSION,
  type ExplainError,
  type ExplainQuery,
  type Explanation,
  type HttpRequestSpec,
  type PeerInfo,
  type QueryId,
  type RuleMiss,
  type Verdict,
} from './explanation.js';
import { redactHeaderValue, redactText } from '../util/redact.js';
import type { Endpoint, FlowContext } from './flow.js';
import { resolvePeer, type ResolvedPeer } from './peers.js';
import {
  chooseServicePort,
  declaredAppProtocol,
  servicePortOfPodPort,
  targetPortOn,
  type PortChoice,
} from './explain/ports.js';
import { evaluateFlow, type FlowResult } from './explain/flow-eval.js';
import { podHasSidecar as hasSidecar } from '../model/convert/sidecar.js';
import { relevantFindings } from './explain/findings.js';
import { dataplaneMode } from '../model/ambient.js';

interface PeerClass {
  readonly endpoint: Endpoint;
  readonly group: PodGroup | null;
}

function classesOf(peer: ResolvedPeer): PeerClass[] {
  switch (peer.type) {
    case 'ip':
      return [{ endpoint: { type: 'ip', ip: peer.ip }, group: null }];
    case 'group':
      return [{ endpoint: { type: 'pod', pod: peer.pod ?? (peer.group.pods[0] as Pod) }, group: peer.group }];
    case 'service':
      return peer.groups.map((g) => ({ endpoint: { type: 'pod', pod: g.pods[0] as Pod }, group: g }));
  }
}

function errorOf(id: QueryId, code: string, message: string): ExplainError {
  return { kind: 'Error', id, code, message: cutLongValues(message), candidates: [] };
}

function peerInfo(
  snapshot: Snapshot,
  peer: ResolvedPeer,
  cls: PeerClass,
  resolvedFrom: PeerInfo['resolvedFrom'],
): PeerInfo {
  const service = peer.type === 'service' ? peer.service : null;
  if (cls.endpoint.type === 'ip') {
    return {
      namespace: null,
      name: cls.endpoint.ip,
      kind: 'IP',
      workload: null,
      resolvedFrom,
      serviceAccount: null,
      principal: null,
      sidecar: false,
      ip: cls.endpoint.ip,
    };
  }
  const pod = cls.endpoint.pod;
  const sidecar = hasSidecar(pod);
  const dataplane = dataplaneMode(pod, snapshot.namespaces.get(pod.namespace));
  const group = cls.group;
  return {
    namespace: pod.namespace,
    name: pod.name,
    kind: 'Pod',
    workload: group && group.kind !== 'Pod' ? `${group.kind}/${group.name}` : null,
    resolvedFrom,
    serviceAccount: pod.serviceAccount,
    principal:
      dataplane !== 'none' ? `${snapshot.istio.mesh.trustDomain}/ns/${pod.namespace}/sa/${pod.serviceAccount}` : null,
    sidecar,
    ...(dataplane === 'ambient' ? { dataplane } : {}),
    ip: pod.ip,
    ...(service ? { service: `${service.namespace}/${service.name}` } : {}),
  };
}

function resolvedFromOf(peer: ResolvedPeer): PeerInfo['resolvedFrom'] {
  if (peer.type === 'service') return 'service';
  if (peer.type === 'ip') return 'ip';
  return peer.pod ? 'pod' : 'workload';
}

const RANK: Readonly<Record<Verdict, number>> = { allowed: 0, conditional: 1, unsupported: 2, denied: 3 };

interface Evaluated {
  readonly src: PeerClass;
  readonly dst: PeerClass;
  readonly port: number;
  readonly result: FlowResult;
  readonly flow: FlowContext;
}

/** Falls back from a Service to the workload of the same name when the port is a pod port. */
function asWorkload(snapshot: Snapshot, query: ExplainQuery): ResolvedPeer | null {
  const r = resolvePeer(snapshot, query.dst, 'source', query.namespace);
  return !('kind' in r) && r.type === 'group' ? { ...r, note: null } : null;
}

interface PortPlan {
  readonly dst: ResolvedPeer;
  readonly service: Service | null;
  readonly choice: PortChoice;
  readonly note: string | null;
}

/**
 * The port a query means: a Service port (mapped to its targetPort later), or, when the port is
 * not one of the Service's but the name is also a workload's, a pod port of that workload.
 */
function planPort(snapshot: Snapshot, query: ExplainQuery, dst: ResolvedPeer): PortPlan | ExplainError {
  const service = dst.type === 'service' ? dst.service : null;
  const choice = chooseServicePort(service, query.port, query.protocol);
  if (choice !== 'not-a-service-port')
    return 'code' in choice ? errorOf(query.id, choice.code, choice.message) : { dst, service, choice, note: null };
  const svc = service as Service;
  const fallback = asWorkload(snapshot, query);
  if (!fallback || query.port === null) {
    return errorOf(
      query.id,
      'bad-query',
      `Service ${svc.namespace}/${svc.name} has no port ${String(query.port)}${query.protocol ? `/${query.protocol}` : ''} (ports: ${svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none'})`,
    );
  }
  return {
    dst: fallback,
    service: null,
    choice: { protocol: query.protocol ?? 'TCP', requested: query.port, servicePort: null },
    note: `port ${query.port} is not a port of Service ${svc.namespace}/${svc.name}; evaluated as a pod port of the workload`,
  };
}

export function explain(snapshot: Snapshot, query: ExplainQuery): Explanation | ExplainError {
  const src = resolvePeer(snapshot, query.src, 'source', query.namespace);
  if ('kind' in src) return { ...src, id: query.id };
  let dst = resolvePeer(snapshot, query.dst, 'destination', query.namespace);
  if ('kind' in dst) return { ...dst, id: query.id };
  let externalName: string | null = null;
  if (dst.type === 'service' && dst.service.type === 'ExternalName') {
    const followed = followExternalName(snapshot, dst.service, query.resolve);
    if ('kind' in followed) return { ...followed, id: query.id };
    ({ peer: dst, note: externalName } = followed);
  }
  const plan = planPort(snapshot, query, dst);
  if ('kind' in plan) return plan;
  dst = plan.dst;
  const { service, choice } = plan;
  const notes = [src, dst].flatMap((p) => (p.type !== 'ip' && p.note ? [p.note] : []));
  if (externalName) notes.push(externalName);
  if (plan.note) notes.push(plan.note);
  if (dst.type === 'service' && dst.groups.length === 0) {
    return errorOf(
      query.id,
      'bad-query',
      `Service ${dst.service.namespace}/${dst.service.name} selects no pods in the input, so there is nothing to reach`,
    );
  }
  const protocol = choice.protocol;
  const sp: ServicePort | null = choice.servicePort;
  const evaluated: Evaluated[] = [];
  for (const s of classesOf(src)) {
    for (const d of classesOf(dst)) {
      const dstPod = d.endpoint.type === 'pod' ? d.endpoint.pod : null;
      const port = sp && dstPod ? targetPortOn(dstPod, sp) : choice.requested;
      if (port === null) {
        notes.push(
          `Service port ${sp?.port ?? ''} targets "${String(sp?.targetPort)}", which ${dstPod?.name ?? 'the pod'} does not declare; skipped`,
        );
        continue;
      }
      const declared = sp ?? (dstPod ? servicePortOfPodPort(snapshot, dstPod, port, protocol) : null);
      const flow: FlowContext = {
        source: s.endpoint,
        destination: d.endpoint,
        protocol,
        port,
        servicePort: sp ? sp.port : null,
        service,
        appProtocol: declaredAppProtocol(declared),
        http: query.http,
        mtlsOverride: query.mtls,
        jwt: query.jwt,
        extAuthz: query.extAuthz,
        now: query.now,
        resolve: query.resolve,
        cni: query.cni ?? snapshot.detectedCni,
      };
      evaluated.push({ src: s, dst: d, port, result: evaluateFlow(snapshot, flow), flow });
    }
  }
  if (evaluated.length === 0) return errorOf(query.id, 'bad-query', notes.join('; ') || 'nothing to evaluate');
  const worst = evaluated.reduce((a, b) => (RANK[b.result.verdict] > RANK[a.result.verdict] ? b : a));
  const verdicts = new Set(evaluated.map((e) => e.result.verdict));
  if (verdicts.size > 1) {
    const describe = (e: Evaluated): string =>
      `${e.src.group?.name ?? '?'} -> ${e.dst.group?.name ?? '?'}: ${e.result.verdict}`;
    notes.push(`pod classes differ (${evaluated.map(describe).join('; ')}); the worst case is reported`);
  }
  const r = worst.result;
  // an HTTP port asked without a request: what the ALLOW rules admit decides, so the answer is conditional
  const requestDependent = requestDependentCondition(worst.flow, r);
  return {
    apiVersion: API_VERSION,
    kind: 'Explanation',
    id: query.id,
    source: peerInfo(snapshot, src, worst.src, resolvedFromOf(src)),
    destination: peerInfo(snapshot, dst, worst.dst, resolvedFromOf(dst)),
    request: {
      protocol,
      port: worst.port,
      servicePort: sp ? sp.port : null,
      appProtocol: worst.flow.appProtocol,
      http: redactedHttp(query.http),
      clientTls: r.clientTls,
      jwt: r.jwt,
      now: query.now,
    },
    verdict: requestDependent ? 'conditional' : r.verdict,
    conditions: requestDependent ? [...r.conditions, requestDependent] : r.conditions,
    assumptions: [...snapshot.assumptions.filter((a) => relevantAssumption(a.message, worst)), ...r.assumptions],
    decidedBy: r.decidedBy,
    expectedResponse: r.expectedResponse,
    steps: r.steps.map((step) => (step.misses ? { ...step, misses: redactedMisses(step.misses) } : step)),
    nearestMiss: redactedMisses(r.nearestMiss),
    findings: [...relevantFindings(snapshot, r.steps, [worst.src.endpoint, worst.dst.endpoint]), ...r.findings],
    fix: r.fix,
    notes: [...notes, ...r.notes],
  };
}

/** `v` redacted (a header's value by its name, else secret-shaped text); `v` itself when nothing changes. */
function redacted(v: unknown, header: string | undefined): unknown {
  if (typeof v === 'string') return header ? redactHeaderValue(header, v) : redactText(v);
  if (!Array.isArray(v)) return v;
  const out = v.map((x) => redacted(x, header));
  return out.every((x, i) => x === v[i]) ? v : out;
}

/**
 * A rule clause may quote the request (e.g. `request.headers[authorization]`): the same redaction.
 * Misses with nothing to redact are kept as they are (no copy per flow).
 */
function redactedMisses(misses: readonly RuleMiss[]): RuleMiss[] {
  return misses.map((m) => {
    const clauses = m.clauses.map((c) => {
      // most fields name no header: no regular expression run for them
      const header = c.field.includes('headers[') ? /headers\[([^\]]+)\]/.exec(c.field)?.[1] : undefined;
      const actual = redacted(c.actual, header);
      return actual === c.actual ? c : { ...c, actual };
    });
    return clauses.every((c, i) => c === m.clauses[i]) ? m : { ...m, clauses };
  });
}

/** Secret header values (Authorization, Cookie, *-token, JWTs) never reach the output. */
function redactedHttp(http: HttpRequestSpec | null): HttpRequestSpec | null {
  if (!http) return null;
  return {
    ...http,
    headers: Object.fromEntries(Object.entries(http.headers).map(([k, v]) => [k, redactHeaderValue(k, v)])),
  };
}

function relevantAssumption(message: string, e: Evaluated): boolean {
  const namespaces = [e.src.endpoint, e.dst.endpoint].flatMap((x) => (x.type === 'pod' ? [x.pod.namespace] : []));
  return namespaces.some((ns) => message.includes(`namespace ${ns} `)) || !message.startsWith('namespace ');
}
