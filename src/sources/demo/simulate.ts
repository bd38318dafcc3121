/**
 * The demo traffic simulator: a seeded mix of the example's expect.yaml requests between its pods, each decided
 * by the engine and written as the lines real proxies (and Calico Whisker) print. Two worker
 * threads interleave, RBAC debug lines appear only while a proxy's rbac logger is at debug.
 */
import { explain } from '../../engine/index.js';
import type { Explanation, Layer, PolicyMention } from '../../engine/index.js';
import type { Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { seededRandom, type Random } from '../../util/random.js';
import type { DemoPod, DemoTopology } from './topology.js';
import { emitRequest, type Emitted, type RequestInput } from './emit.js';
import { waypointOf } from './emit-ambient.js';
import { routeOf, type ExpectFlows, type FlowQuery, type SkippedFlow } from './flows.js';

export interface SimulationOptions {
  readonly seed?: number;
  readonly requests?: number;
  /** RFC3339 start of the simulated traffic (the simulator has no clock) */
  readonly start?: string;
  /** access logging on the proxies (meshConfig.accessLogFile) */
  readonly accessLog?: boolean;
  /** whether this pod's Envoy `rbac` logger is at debug */
  readonly rbacDebug?: (pod: DemoPod) => boolean;
}

/** A denial the engine decided and the stream shows (the round trip must find it). */
export interface ExpectedDenial {
  readonly source: string;
  readonly destination: string;
  readonly layer: Layer;
  readonly policy: PolicyMention | null;
  readonly count: number;
}

export interface Simulation {
  readonly lines: readonly string[];
  readonly expected: readonly ExpectedDenial[];
  readonly requests: number;
  /** simulated requests the engine allowed / denied (denials not every log shows included) */
  readonly allowed: number;
  readonly denied: number;
  /** expect.yaml flows the demo cannot run, and why */
  readonly skipped: readonly SkippedFlow[];
}

/** The Service and port the client calls; no Service when the flow goes to the pod's own address. */
interface Route {
  readonly service: Service | null;
  readonly port: number;
}

function routeFor(route: Route, server: DemoPod, topology: DemoTopology): RequestInput['route'] {
  const s = route.service;
  if (s === null) return { host: server.ip, port: route.port, clusterIp: server.ip };
  const clusterIp = topology.clusterIps.get(`${s.namespace}/${s.name}`) ?? '10.96.0.1';
  return { host: `${s.name}.${s.namespace}.svc.cluster.local`, port: route.port, clusterIp };
}

/** One expect.yaml flow made runnable on the demo cluster, decided once (replicas are alike). */
interface PlannedFlow {
  readonly clients: readonly DemoPod[];
  readonly servers: readonly DemoPod[];
  readonly route: Route;
  readonly method: string;
  readonly path: string;
  readonly explanation: Explanation;
}

/** The demo's traffic: allowed flows, and the denied ones grouped by how they are denied. */
export interface TrafficPlan {
  readonly allowed: readonly PlannedFlow[];
  /** one entry per kind of denial (layer, enforcer, rule), each with its flows */
  readonly denialKinds: readonly (readonly PlannedFlow[])[];
  readonly skipped: readonly SkippedFlow[];
}

/**
 * "Mostly allowed, with a few denials of each kind" (examples/README.md): three requests in four
 * take an allowed flow; the rest pick a kind of denial first, so a default-deny example does not
 * bury its DENY rule, mTLS and NetworkPolicy denials under `matched policy none`.
 */
export const ALLOWED_SHARE = 0.75;

/** curl's request when a seed's script gives no method or path (`curl http://host:port`). */
const CURL_DEFAULT = { method: 'GET', path: '/', host: null, headers: {} };

function decideFlow(snapshot: Snapshot, flow: FlowQuery): Explanation | string {
  const first = explain(snapshot, flow.query);
  const e =
    first.kind === 'Explanation' && first.verdict === 'conditional' && flow.query.http === null
      ? explain(snapshot, { ...flow.query, http: CURL_DEFAULT })
      : first;
  if (e.kind === 'Error') return e.message;
  return e.verdict === 'allowed' || e.verdict === 'denied' ? e : `the engine answers ${e.verdict}`;
}

function planFlow(snapshot: Snapshot, topology: DemoTopology, flow: FlowQuery): PlannedFlow | string {
  const of = (w: FlowQuery['client']) =>
    topology.pods.filter((p) => p.namespace === w.namespace && p.deployment === w.deployment);
  const clients = of(flow.client);
  const servers = of(flow.server);
  const serverPod = snapshot.pods.find((p) => p.name === servers[0]?.name && p.namespace === servers[0]?.namespace);
  if (clients.length === 0 || serverPod === undefined) return 'no simulated pods for its ends';
  const e = decideFlow(snapshot, flow);
  if (typeof e === 'string') return e;
  // no Service in front: the client calls the pod address, as the query did
  const route = routeOf(snapshot, e, serverPod) ?? { service: null, port: e.request.port };
  const http = e.request.http;
  return {
    clients,
    servers,
    route,
    method: http?.method ?? CURL_DEFAULT.method,
    path: http?.path ?? CURL_DEFAULT.path,
    explanation: e,
  };
}

const denialKind = (e: Explanation): string =>
  `${e.decidedBy?.layer ?? ''}|${e.decidedBy?.enforcer ?? ''}|${e.decidedBy?.policy?.ruleRef ?? 'none'}`;

/** Decides every flow once on the demo cluster and groups them for the simulator. */
export function planTraffic(snapshot: Snapshot, topology: DemoTopology, flows: ExpectFlows): TrafficPlan {
  const allowed: PlannedFlow[] = [];
  const kinds = new Map<string, PlannedFlow[]>();
  const skipped: SkippedFlow[] = [...flows.skipped];
  for (const flow of flows.flows) {
    const planned = planFlow(snapshot, topology, flow);
    if (typeof planned === 'string') skipped.push({ id: flow.id, reason: planned });
    else if (planned.explanation.verdict === 'allowed') allowed.push(planned);
    else {
      const key = denialKind(planned.explanation);
      kinds.set(key, [...(kinds.get(key) ?? []), planned]);
    }
  }
  return { allowed, denialKinds: [...kinds.values()], skipped };
}

function pickFlow(plan: TrafficPlan, rng: Random): PlannedFlow | null {
  const allowedTurn = plan.denialKinds.length === 0 || rng.next() < ALLOWED_SHARE;
  if (allowedTurn && plan.allowed.length > 0) return rng.pick(plan.allowed);
  if (plan.denialKinds.length === 0) return null;
  return rng.pick(rng.pick(plan.denialKinds));
}

function isoAt(startMs: number, us: number): string {
  const iso = new Date(startMs + Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

function interleave(a: Emitted, b: Emitted | undefined): string[] {
  const out: string[] = [];
  const n = Math.max(a.events.length, b?.events.length ?? 0);
  for (let i = 0; i < n; i++) {
    out.push(...(a.events[i] ?? []), ...(b?.events[i] ?? []));
  }
  return out;
}

function tally(
  expected: Map<string, ExpectedDenial>,
  client: DemoPod,
  server: DemoPod,
  e: Explanation,
  rbacDebug: boolean,
): void {
  const layer = e.decidedBy?.layer;
  if (layer === undefined) return;
  // a ztunnel refusal behind a waypoint shows the waypoint as the source (it does not impersonate the client)
  const wp = e.decidedBy?.enforcer === 'ztunnel' ? waypointOf(e) : null;
  // a waypoint's access line has an internal downstream address: only its RBAC debug line names the client
  const unnamed = e.decidedBy?.enforcer === 'waypoint' && !rbacDebug;
  const source = unnamed ? 'unknown' : wp ? `${wp.namespace}/${wp.name}` : `${client.namespace}/${client.deployment}`;
  const destination = `${server.namespace}/${server.deployment}`;
  // the jwt_authn filter's 401 line names no RequestAuthentication
  const policy = layer === 'jwt' ? null : (e.decidedBy?.policy ?? null);
  const key = `${source}|${destination}|${layer}|${policy?.ruleRef ?? ''}`;
  const prev = expected.get(key);
  expected.set(key, { source, destination, layer, policy, count: (prev?.count ?? 0) + 1 });
}

/** Simulates `requests` requests (default 200) drawn from the plan's flows. */
export function simulateTraffic(
  snapshot: Snapshot,
  topology: DemoTopology,
  plan: TrafficPlan,
  options: SimulationOptions = {},
): Simulation {
  const rng: Random = seededRandom(options.seed ?? 1);
  const startMs = Date.parse(options.start ?? '2025-07-06T19:33:00.000Z');
  const expected = new Map<string, ExpectedDenial>();
  const lines: string[] = [];
  const total = options.requests ?? 200;
  const decided = { allowed: 0, denied: 0 };
  let us = 0;
  let pending: Emitted | undefined;
  for (let i = 0; i < total; i++) {
    const flow = pickFlow(plan, rng);
    if (flow === null) break;
    const client = rng.pick(flow.clients);
    // a Service rarely lands a request back on its sender; keep the demo to other pods
    const others = flow.servers.filter((p) => p.name !== client.name);
    if (others.length === 0) continue;
    const server = rng.pick(others);
    us += 1000 + rng.int(50_000);
    const e = flow.explanation;
    decided[e.verdict === 'allowed' ? 'allowed' : 'denied']++;
    const rbacDebug = options.rbacDebug?.(server) ?? false;
    const emitted = emitRequest({
      explanation: e,
      client,
      server,
      method: flow.method,
      path: flow.path,
      route: routeFor(flow.route, server, topology),
      thread: pending === undefined ? '20' : '21',
      time: (offset: number) => isoAt(startMs, us + offset),
      rng,
      accessLog: options.accessLog ?? true,
      rbacDebug,
      cni: snapshot.detectedCni,
    });
    if (e.verdict === 'denied' && emitted.observable) tally(expected, client, server, e, rbacDebug);
    if (pending === undefined) pending = emitted;
    else {
      lines.push(...interleave(pending, emitted));
      pending = undefined;
    }
  }
  if (pending !== undefined) lines.push(...interleave(pending, undefined));
  return { lines, expected: [...expected.values()], requests: total, ...decided, skipped: plan.skipped };
}
