/**
 * A local HTTP server (127.0.0.1, random port) that speaks the Kubernetes REST protocol
 * the way client-node 1.4 and meshdbg use it: discovery, list with limit/continue,
 * watch (chunked JSON lines, bookmarks, 410 Expired), 403s, SelfSubjectRulesReview,
 * pod logs (follow, timestamps, sinceTime, previous) and the port-forward WebSocket.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FaultPlan } from './kube-faults.js';
import { MockLogs } from '../sources/kube/support/mock-logs.js';
import { acceptPortForward } from '../sources/kube/support/mock-port-forward.js';

export interface MockResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

type Obj = Record<string, unknown> & {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string };
};

interface StoredEvent {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Obj;
}

interface OpenWatch {
  readonly res: http.ServerResponse;
  readonly resource: MockResource;
  readonly namespace: string | null;
}

export const CORE_RESOURCES: readonly MockResource[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
];

export const ISTIO_RESOURCES = (version: string): MockResource[] => [
  {
    group: 'security.istio.io',
    version,
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
    namespaced: true,
  },
  { group: 'security.istio.io', version, kind: 'PeerAuthentication', plural: 'peerauthentications', namespaced: true },
];

function apiVersion(r: MockResource): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

function status(res: http.ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }));
}

function json(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Equality-based label selectors only (`a=b,c=d`), which is all meshdbg sends. */
function matchesLabels(o: Obj, selector: string | null): boolean {
  if (!selector) return true;
  const labels = (o.metadata as { labels?: Record<string, string> }).labels ?? {};
  return selector.split(',').every((term) => {
    const [k = '', v] = term.split('=');
    return labels[k] === v;
  });
}

export class KubeApiServer {
  readonly requests: string[] = [];
  /** When each request arrived (Date.now()), parallel to `requests`: for request-rate checks. */
  readonly requestTimes: number[] = [];
  /** Injected faults, checked before anything else (see kube-faults.ts). */
  readonly faults = new FaultPlan();
  readonly logs = new MockLogs();
  resources: MockResource[];
  /** Paths (regex on pathname) whose watches (not lists) are answered with 403. */
  readonly forbiddenWatches: RegExp[] = [];
  /** Paths (regex on pathname) answered with 403. */
  readonly forbidden: RegExp[] = [];
  /** group/version pairs listed in /apis but answering 404 (a half-removed version). */
  readonly brokenVersions = new Set<string>();
  rulesReview: Record<string, unknown>[] = [];
  portForwardTarget: number | null = null;
  /** Per-pod targets (`namespace/name` -> local port), checked before portForwardTarget. */
  readonly portForwardTargets = new Map<string, number>();
  /** While true, watches are answered 200 and ended at once with no event (a misbehaving proxy). */
  endWatchesAtOnce = false;
  /** While true every request's connection is cut (an API server outage). */
  outage = false;
  private rv = 100;
  private compactedBelow = 0;
  private readonly store = new Map<string, Map<string, Obj>>();
  private readonly events: StoredEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly sockets = new Set<Socket>();
  private server: http.Server | https.Server | null = null;
  port = 0;

  constructor(resources: readonly MockResource[] = CORE_RESOURCES) {
    this.resources = [...resources];
  }

  private tls: { key: string; cert: string } | null = null;

  static async start(resources?: readonly MockResource[], tls?: { key: string; cert: string }): Promise<KubeApiServer> {
    const api = new KubeApiServer(resources);
    api.tls = tls ?? null;
    await api.listen();
    return api;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** A kubeconfig for this server; with TLS, `caData` (PEM) is the CA to trust. */
  kubeconfig(namespace = 'default', caData?: string): string {
    const trust = caData
      ? `certificate-authority-data: ${Buffer.from(caData).toString('base64')}`
      : 'insecure-skip-tls-verify: true';
    return [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: mock, cluster: {server: "${this.url}", ${trust}}}]`,
      'users: [{name: u, user: {token: test-token}}]',
      `contexts: [{name: mock, context: {cluster: mock, user: u, namespace: ${namespace}}}]`,
      'current-context: mock',
      '',
    ].join('\n');
  }

  private async listen(): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.handle(req, res);
    const server = this.tls ? https.createServer(this.tls, handler) : http.createServer(handler);
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('upgrade', (req, socket) =>
      acceptPortForward(req, socket as Socket, (path) => this.forwardTarget(path), this.requests),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private forwardTarget(path: string): number | null {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(path);
    return (m ? this.portForwardTargets.get(`${m[1]}/${m[2]}`) : undefined) ?? this.portForwardTarget;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private resourceOf(object: Obj): MockResource {
    const r = this.resources.find((x) => apiVersion(x) === object['apiVersion'] && x.kind === object['kind']);
    if (!r) throw new Error(`mock: no resource for ${String(object['apiVersion'])} ${String(object['kind'])}`);
    return r;
  }

  private bucket(r: MockResource): Map<string, Obj> {
    const key = `${r.group}/${r.plural}`;
    let b = this.store.get(key);
    if (!b) this.store.set(key, (b = new Map()));
    return b;
  }

  /** Adds or replaces an object (wire shape, with apiVersion and kind) and notifies watches. */
  put(object: Record<string, unknown>): void {
    const obj = structuredClone(object) as Obj;
    const r = this.resourceOf(obj);
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const existed = this.bucket(r).has(key);
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    obj.metadata.uid ??= `uid-${obj.metadata.namespace ?? ''}-${obj.metadata.name}`;
    this.bucket(r).set(key, obj);
    this.emit({ rv: this.rv, type: existed ? 'MODIFIED' : 'ADDED', object: obj });
  }

  remove(object: Record<string, unknown>): void {
    const obj = object as Obj;
    const r = this.resourceOf(obj);
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const stored = this.bucket(r).get(key);
    if (!stored) return;
    this.bucket(r).delete(key);
    this.rv += 1;
    this.emit({
      rv: this.rv,
      type: 'DELETED',
      object: { ...stored, metadata: { ...stored.metadata, resourceVersion: String(this.rv) } },
    });
  }

  /** Forgets history: a watch from an older resourceVersion gets 410 Expired. */
  compact(): void {
    this.compactedBelow = this.rv;
  }

  /** Breaks every open watch connection (as a network drop would). */
  dropWatches(): void {
    this.logs.dropStreams();
    for (const w of this.watches) w.res.socket?.destroy();
    this.watches.clear();
  }

  get openWatchCount(): number {
    return this.watches.size;
  }

  private emit(event: StoredEvent): void {
    this.events.push(event);
    for (const w of this.watches) {
      if (this.matches(w.resource, w.namespace, event.object)) this.writeEvent(w.res, event.type, event.object);
    }
  }

  private matches(r: MockResource, namespace: string | null, obj: Obj): boolean {
    return this.resourceOf(obj) === r && (namespace === null || obj.metadata.namespace === namespace);
  }

  private writeEvent(res: http.ServerResponse, type: string, object: unknown): void {
    const line = `${JSON.stringify({ type, object })}\n`;
    const half = Math.floor(line.length / 2);
    res.write(line.slice(0, half));
    res.write(line.slice(half));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    this.requestTimes.push(Date.now());
    if (this.outage) return void req.socket.destroy();
    const watchingNow = url.searchParams.get('watch') === 'true';
    const faultReq = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      watching: watchingNow,
    };
    if (this.faults.intercept(faultReq, res)) return;
    if (req.headers.authorization !== 'Bearer test-token') return status(res, 401, 'Unauthorized', 'Unauthorized');
    const watching = url.searchParams.get('watch') === 'true';
    if (
      this.forbidden.some((re) => re.test(url.pathname)) ||
      (watching && this.forbiddenWatches.some((re) => re.test(url.pathname)))
    ) {
      return status(res, 403, 'Forbidden', `forbidden: User "u" cannot access ${url.pathname}`);
    }
    if (url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews' && req.method === 'POST') {
      return json(res, {
        kind: 'SelfSubjectRulesReview',
        status: { resourceRules: this.rulesReview, incomplete: false },
      });
    }
    if (this.logs.handles(url)) return this.logs.serve(url, res);
    if (this.discovery(url.pathname, res)) return;
    const one = this.getOne(url.pathname);
    if (one) return json(res, one);
    const route = this.route(url.pathname);
    if (!route) return status(res, 404, 'NotFound', `the server could not find the requested resource ${url.pathname}`);
    if (url.searchParams.get('watch') === 'true') return this.watch(route.resource, route.namespace, url, res);
    return this.list(route.resource, route.namespace, url, res);
  }

  private discovery(path: string, res: http.ServerResponse): boolean {
    if (path === '/apis') {
      const groups = [...new Set(this.resources.filter((r) => r.group !== '').map((r) => r.group))].map((name) => {
        const versions = [...new Set(this.resources.filter((r) => r.group === name).map((r) => r.version))];
        const gv = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions: gv, preferredVersion: gv[0] };
      });
      json(res, { kind: 'APIGroupList', apiVersion: 'v1', groups });
      return true;
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return false;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3] ?? '';
    const served = this.resources.filter((r) => r.group === group && r.version === version);
    if (served.length === 0 || this.brokenVersions.has(`${group}/${version}`)) {
      status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return true;
    }
    const resources = served.map((r) => ({
      name: r.plural,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'list', 'watch'],
    }));
    json(res, { kind: 'APIResourceList', groupVersion: apiVersion(served[0] as MockResource), resources });
    return true;
  }

  private route(path: string): { resource: MockResource; namespace: string | null } | null {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(path);
    if (!m) return null;
    const group = m[2] ?? '';
    const version = m[1] ?? m[3] ?? '';
    const resource = this.resources.find((r) => r.group === group && r.version === version && r.plural === m[5]);
    if (!resource || this.brokenVersions.has(`${group}/${version}`)) return null;
    return { resource, namespace: m[4] ? decodeURIComponent(m[4]) : null };
  }

  private getOne(path: string): Obj | null {
    const m = /^(.*)\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    if (!m) return null;
    const route = this.route(`${m[1]}/namespaces/${m[2]}/${m[3]}`);
    if (!route) return null;
    return (
      this.bucket(route.resource).get(`${decodeURIComponent(m[2] ?? '')}/${decodeURIComponent(m[4] ?? '')}`) ?? null
    );
  }

  private list(r: MockResource, namespace: string | null, url: URL, res: http.ServerResponse): void {
    const all = [...this.bucket(r).values()]
      .filter((o) => namespace === null || o.metadata.namespace === namespace)
      .filter((o) => matchesLabels(o, url.searchParams.get('labelSelector')))
      .sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
      );
    const limit = Number(url.searchParams.get('limit') ?? '0') || all.length || 1;
    const cont = url.searchParams.get('continue');
    const start = cont ? Number(Buffer.from(cont, 'base64').toString()) : 0;
    const page = all.slice(start, start + limit).map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
    json(res, {
      kind: `${r.kind}List`,
      apiVersion: apiVersion(r),
      metadata: { resourceVersion: String(this.rv), continue: next },
      items: page,
    });
  }

  private watch(r: MockResource, namespace: string | null, url: URL, res: http.ServerResponse): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (this.endWatchesAtOnce) return void res.end();
    if (from < this.compactedBelow) {
      const gone = {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
        message: `too old resource version: ${from} (${this.compactedBelow})`,
      };
      this.writeEvent(res, 'ERROR', gone);
      res.end();
      return;
    }
    for (const e of this.events) {
      if (e.rv > from && this.matches(r, namespace, e.object)) this.writeEvent(res, e.type, e.object);
    }
    if (url.searchParams.get('allowWatchBookmarks') === 'true') {
      this.writeEvent(res, 'BOOKMARK', {
        kind: r.kind,
        apiVersion: apiVersion(r),
        metadata: { resourceVersion: String(this.rv) },
      });
    }
    const w: OpenWatch = { res, resource: r, namespace };
    this.watches.add(w);
    res.on('close', () => this.watches.delete(w));
  }
}
