/**
 * The demo's traffic: the requests of the example's `expect.yaml` (which carry the seeds' own test
 * scripts: seed 002's scripts/test.sh four cases, seed 003's curl steps, seed 004's two curls),
 * each resolved to the Deployments that send and serve it and the Service port the client calls.
 */
import { explain, servicePortTargeting, type ExplainQuery, type Explanation } from '../../engine/index.js';
import type { Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { parseQuery } from '../../parsers/explain-query.js';
import { inputError } from '../../util/errors.js';
import { readExpectations } from '../expectations-file.js';

export interface Workload {
  readonly namespace: string;
  readonly deployment: string;
}

/** An expect.yaml query whose two ends are Deployments (the ones the simulator can run pods for). */
export interface FlowQuery {
  readonly id: string;
  readonly query: ExplainQuery;
  readonly client: Workload;
  readonly server: Workload;
}

export interface SkippedFlow {
  readonly id: string;
  readonly reason: string;
}

export interface ExpectFlows {
  readonly flows: readonly FlowQuery[];
  readonly skipped: readonly SkippedFlow[];
}

/** `Deployment/NAME` in namespace NS -> the workload; other kinds (IPs, bare pods, Jobs) -> null. */
function deploymentOf(namespace: string | null, workload: string | null): Workload | null {
  if (namespace === null || workload === null || !workload.startsWith('Deployment/')) return null;
  return { namespace, deployment: workload.slice('Deployment/'.length) };
}

/** The parsed queries of `file` (an expect.yaml), with `expect` blocks allowed. */
export async function readExpectQueries(file: string): Promise<ExplainQuery[]> {
  const items = await readExpectations(file);
  return items.map((item, i) => {
    try {
      return parseQuery(item, {}, ['expect']);
    } catch (err) {
      throw inputError('bad-check-file', `${file} entry ${i + 1}: ${(err as Error).message}`);
    }
  });
}

/** Resolves each query's ends on the example's Snapshot; ends that are not Deployments are skipped. */
export function resolveFlows(snapshot: Snapshot, queries: readonly ExplainQuery[]): ExpectFlows {
  const flows: FlowQuery[] = [];
  const skipped: SkippedFlow[] = [];
  queries.forEach((query, i) => {
    const id = query.id === null ? `#${i + 1}` : String(query.id);
    const e = explain(snapshot, query);
    if (e.kind === 'Error') return skipped.push({ id, reason: e.message });
    const client = deploymentOf(e.source.namespace, e.source.workload);
    const server = deploymentOf(e.destination.namespace, e.destination.workload);
    if (client === null) return skipped.push({ id, reason: `the client ${e.source.name} is not a Deployment` });
    if (server === null) return skipped.push({ id, reason: `the server ${e.destination.name} is not a Deployment` });
    return flows.push({ id, query, client, server });
  });
  return { flows, skipped };
}

/** The Service (and its port) a flow's client calls: the one the query named, else one targeting the pod port. */
export function routeOf(
  snapshot: Snapshot,
  e: Explanation,
  serverPod: Snapshot['pods'][number],
): { service: Service; port: number } | null {
  const named = e.destination.service;
  if (named !== undefined && e.request.servicePort !== null) {
    const service = snapshot.services.find((s) => `${s.namespace}/${s.name}` === named);
    if (service !== undefined) return { service, port: e.request.servicePort };
  }
  const services = snapshot.index.servicesByNamespace.get(serverPod.namespace) ?? [];
  const sp = servicePortTargeting(services, serverPod, e.request.port, e.request.protocol);
  const service = sp && services.find((s) => s.ports.includes(sp));
  return service ? { service, port: sp.port } : null;
}
