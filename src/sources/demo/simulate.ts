/**
 * The demo traffic simulator: a seeded mix of requests between the example's pods, each decided
 * by the engine and written as the lines real proxies (and Calico Whisker) print. Two worker
 * threads interleave, RBAC debug lines appear only while a proxy's rbac logger is at debug.
 */
import { explain } from '../../engine/index.js';
import type { Explanation, Layer, PolicyMention } from '../../engine/index.js';
import type { Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { seededRandom, type Random } from '../../util/random.js';
import type { DemoPod, DemoTopology } from './topology.js';
import { SYSTEM_NAMESPACES } from './topology.js';
import { emitRequest, type Emitted } from './emit.js';
import { waypointOf } from './emit-ambient.js';
import { serviceSelects } from '../../model/service-selection.js';

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
}

interface Route {
  readonly service: Service;
  readonly port: number;
  readonly servers: readonly DemoPod[];
}

const PATHS = ['/', '/', '/api/orders', '/health', '/headers', '/status/200'];
const METHODS = ['GET', 'GET', 'GET', 'POST'];

function routesOf(snapshot: Snapshot, topology: DemoTopology): Route[] {
  const routes: Route[] = [];
  for (const service of snapshot.services) {
    if (SYSTEM_NAMESPACES.has(service.namespace) || service.selector === null) continue;
    const servers = topology.pods.filter((p) => {
      const pod = snapshot.pods.find((x) => x.name === p.name && x.namespace === p.namespace);
      return pod !== undefined && serviceSelects(service, pod);
    });
    const port = service.ports.find((p) => p.protocol === 'TCP');
    if (servers.length > 0 && port !== undefined) routes.push({ service, port: port.port, servers });
  }
  return routes;
}

function decide(
  snapshot: Snapshot,
  cache: Map<string, Explanation | null>,
  client: DemoPod,
  route: Route,
  method: string,
  path: string,
): Explanation | null {
  const key = `${client.namespace}/${client.deployment}|${route.service.namespace}/${route.service.name}|${route.port}|${method}|${path}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  const host = `${route.service.name}.${route.service.namespace}.svc.cluster.local`;
  const result = explain(snapshot, {
    id: null,
    src: { namespace: client.namespace, kind: 'Pod', name: client.name },
    dst: { namespace: route.service.namespace, kind: 'Service', name: route.service.name },
    port: route.port,
    protocol: 'TCP',
    http: { method, path, host, headers: {} },
    mtls: null,
    jwt: null,
    extAuthz: null,
    now: null,
    resolve: {},
    namespace: null,
    cni: null,
  });
  const e =
    result.kind === 'Explanation' && (result.verdict === 'allowed' || result.verdict === 'denied') ? result : null;
  cache.set(key, e);
  return e;
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
  const policy = e.decidedBy?.policy ?? null;
  const key = `${source}|${destination}|${layer}|${policy?.ruleRef ?? ''}`;
  const prev = expected.get(key);
  expected.set(key, { source, destination, layer, policy, count: (prev?.count ?? 0) + 1 });
}

/** Simulates `requests` requests (default 200) between the topology's pods. */
export function simulateTraffic(
  snapshot: Snapshot,
  topology: DemoTopology,
  options: SimulationOptions = {},
): Simulation {
  const rng: Random = seededRandom(options.seed ?? 1);
  const startMs = Date.parse(options.start ?? '2025-07-06T19:33:00.000Z');
  const routes = routesOf(snapshot, topology);
  const clients = topology.pods;
  const cache = new Map<string, Explanation | null>();
  const expected = new Map<string, ExpectedDenial>();
  const lines: string[] = [];
  const total = options.requests ?? 200;
  let us = 0;
  let pending: Emitted | undefined;
  for (let i = 0; i < total && routes.length > 0 && clients.length > 0; i++) {
    const client = rng.pick(clients);
    const route = rng.pick(routes);
    // a Service rarely lands a request back on its sender; keep the demo to other pods
    const others = route.servers.filter((p) => p.name !== client.name);
    if (others.length === 0) continue;
    const server = rng.pick(others);
    const method = rng.pick(METHODS);
    const path = rng.pick(PATHS);
    us += 1000 + rng.int(50_000);
    const e = decide(snapshot, cache, client, route, method, path);
    if (e === null) continue;
    const rbacDebug = options.rbacDebug?.(server) ?? false;
    const emitted = emitRequest({
      explanation: e,
      client,
      server,
      method,
      path,
      route: {
        service: route.service,
        port: route.port,
        clusterIp: topology.clusterIps.get(`${route.service.namespace}/${route.service.name}`) ?? '10.96.0.1',
      },
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
  return { lines, expected: [...expected.values()], requests: total };
}
