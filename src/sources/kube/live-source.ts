/**
 * The live cluster source: discovery, then list+watch of every kind the Snapshot uses.
 * Produces the same RawObject[] the manifests loader produces. Without cluster-wide list
 * rights it falls back to a partial view and says so in `status().partial`.
 */
import { setMaxListeners } from 'node:events';
import { progressTracker, type ProgressListener } from '../load-progress.js';
import type { RawObject } from '../../model/raw.js';
import { discoverKinds } from './discovery.js';
import type { DiscoveryResult } from './discovery.js';
import { createKubeHttp, failureHead, KubeHttpError } from './http.js';
import type { HttpLimits, KubeHttp, RetryPolicy } from './http.js';
import { clusterError } from './kubeconfig.js';
import type { KubeContext } from './kubeconfig.js';
import { isMeshConfigMap, kindLabel, NAMESPACE_KIND, SNAPSHOT_KINDS } from './kinds.js';
import type { KindSpec, ServedKind } from './kinds.js';
import { namespacesFromRulesReview, uniqueSorted } from './namespace-scope.js';
import { Reflector } from './reflector.js';
import { planRediscovery, REDISCOVER_EVERY_MS, rediscoverPeriodically, servedKey } from './rediscovery.js';
import { describeGaps } from './describe-gaps.js';
import { CLIENT_GO_BACKOFF } from './backoff.js';
import { sleep } from './sleep.js';
import type { KubeObject, ReflectorClock, ReflectorOptions } from './reflector.js';

export interface LiveSourceOptions {
  readonly context: KubeContext;
  readonly namespaces: readonly string[];
  readonly allNamespaces: boolean;
  readonly requestTimeoutMs: number;
  readonly rootNamespace?: string;
  readonly kinds?: readonly KindSpec[];
  readonly clock?: ReflectorClock;
  readonly reflector?: Partial<ReflectorOptions>;
  /** How GETs are retried on 429 / transient 5xx (tests shorten the waits). */
  readonly retry?: Partial<RetryPolicy>;
  /** Caps on what one answer may hold (tests make them small; see http.ts). */
  readonly httpLimits?: Partial<HttpLimits>;
  /** false: list once and do not watch (e.g. `meshdbg snapshot`). Default true. */
  readonly watch?: boolean;
  /** While watching, discovery is checked again this often (CRDs installed or removed). */
  readonly rediscoverMs?: number;
  /** told as each kind's first list ends (objects read, kinds pending) */
  readonly onProgress?: ProgressListener;
}

export interface UnreadableCollection {
  readonly kind: string;
  readonly namespace: string | null;
  readonly reason: string;
}

export interface LiveStatus {
  readonly stale: boolean;
  readonly staleSince: string | null;
  /** Human-readable lines, one per gap in the view ("partial view: ..."). */
  readonly partial: readonly string[];
  readonly unreadable: readonly UnreadableCollection[];
  /** null when every namespace is visible; otherwise the namespaces read. */
  readonly namespaces: readonly string[] | null;
  readonly errors: readonly string[];
}

export interface LiveSource {
  start(): Promise<void>;
  objects(): RawObject[];
  onChange(cb: () => void): () => void;
  status(): LiveStatus;
  stop(): void;
}

export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

export const realClock: ReflectorClock = {
  sleep,
  random: Math.random,
  now: () => new Date(),
};

/** client-go's reflector backoff (see backoff.ts) and a 500-item page, as client-go's pager (tools/pager/pager.go defaultPageSize). */
const DEFAULT_REFLECTOR: ReflectorOptions = { pageSize: 500, ...CLIENT_GO_BACKOFF };

/** `head: message`; the head (before the first ':') is what a partial-view condition quotes. */
function reasonOf(err: unknown, head = true): string {
  if (err instanceof KubeHttpError && err.status > 0) return `${err.status} ${err.reason || 'error'}: ${err.message}`;
  // no HTTP status: a few words, never the "http" of the URL the message starts with
  if (err instanceof KubeHttpError && head) return `${failureHead(err)}: ${err.message}`;
  return err instanceof Error ? err.message : 'not read yet';
}

function isForbidden(err: unknown): boolean {
  return err instanceof KubeHttpError && (err.status === 403 || err.status === 401);
}

function isNamespaceKind(k: ServedKind): boolean {
  return k.spec === NAMESPACE_KIND || (k.spec.group === '' && k.spec.plural === 'namespaces');
}

interface Collection {
  readonly kind: ServedKind;
  readonly namespace: string | null;
}

class LiveSourceImpl implements LiveSource {
  private readonly http: KubeHttp;
  private readonly clock: ReflectorClock;
  private readonly ropts: ReflectorOptions;
  private readonly root: string;
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();
  private reflectors: Reflector[] = [];
  /** One controller per served kind watched: a kind the server stops serving is stopped alone. */
  private readonly running = new Map<string, AbortController>();
  /** Kinds whose last discovery failed and that nothing lists: gaps, retried by rediscovery. */
  private discoveryGaps: UnreadableCollection[] = [];
  private discoveryErrors: readonly string[] = [];
  private readonly errors: string[] = [];
  private fallback: Promise<string[]> | null = null;
  private namespacesReadable = false;
  private scope: string[] | null = null;
  /** Kinds read namespace by namespace because cluster-wide lists were refused. */
  private readonly perNamespace: string[] = [];

  constructor(private readonly opts: LiveSourceOptions) {
    this.http = createKubeHttp(opts.context.kc, opts.requestTimeoutMs, opts.retry, opts.httpLimits);
    this.clock = opts.clock ?? realClock;
    this.ropts = { ...DEFAULT_REFLECTOR, ...opts.reflector };
    this.root = opts.rootNamespace ?? DEFAULT_ROOT_NAMESPACE;
    setMaxListeners(0, this.abort.signal); // one listener per open request and watch
  }

  private notify = (): void => {
    for (const cb of this.listeners) cb();
  };

  private reflector(c: Collection): Reflector {
    return new Reflector(c.kind, c.namespace, this.http, this.clock, this.ropts, this.notify);
  }

  private discovery(): Promise<DiscoveryResult> {
    return discoverKinds(this.http, this.opts.kinds ?? SNAPSHOT_KINDS);
  }

  private noteDiscovery(found: DiscoveryResult, failed: DiscoveryResult['failed']): void {
    this.discoveryGaps = failed.map((gap) => ({
      kind: kindLabel(gap.spec),
      namespace: null,
      reason: reasonOf(gap.error),
    }));
    this.discoveryErrors = found.errors;
  }

  private async discover(): Promise<ServedKind[]> {
    try {
      const found = await this.discovery();
      this.noteDiscovery(found, found.failed);
      return [...found.served];
    } catch (err) {
      throw clusterError(
        'cluster-unreadable',
        `cannot read the cluster at ${this.http.server} (context ${this.opts.context.contextName}): ${reasonOf(err, false)}`,
        'check the context, your credentials and network access, or use --from with manifests',
        err,
      );
    }
  }

  /** Lists one collection; a failed one is kept (a gap, relisted by run()). */
  private async tryList(c: Collection): Promise<Reflector> {
    const r = this.reflector(c);
    await r.list(this.abort.signal).catch(() => undefined);
    return r;
  }

  private async fallbackNamespaces(): Promise<string[]> {
    const { names, error } = await namespacesFromRulesReview(this.http, this.opts.context.namespace);
    if (error) this.errors.push(error);
    return uniqueSorted([...this.opts.namespaces, this.opts.context.namespace, this.root, ...names]);
  }

  /** Namespaced kinds: cluster-wide when allowed, else per namespace in `fallback`. */
  private async listNamespaced(kind: ServedKind, fallback: () => Promise<string[]>): Promise<Reflector[]> {
    if (kind.spec.onlyNamespace === 'root') return [await this.tryList({ kind, namespace: this.root })];
    if (this.opts.namespaces.length > 0) {
      const names = uniqueSorted([...this.opts.namespaces, this.root, ...(kind.spec.alsoIn ?? [])]);
      return Promise.all(names.map((namespace) => this.tryList({ kind, namespace })));
    }
    const all = await this.tryList({ kind, namespace: null });
    if (all.state().listed || !isForbidden(all.state().listError)) return [all];
    const names = uniqueSorted([...(await fallback()), ...(kind.spec.alsoIn ?? [])]);
    this.perNamespace.push(kindLabel(kind));
    return Promise.all(names.map((namespace) => this.tryList({ kind, namespace })));
  }

  /** Every collection that is unreadable now (first list still failing), plus discovery gaps. */
  private unreadable(): UnreadableCollection[] {
    const gaps = [...this.discoveryGaps];
    for (const r of this.reflectors) {
      const { listed, listError } = r.state();
      if (!listed) gaps.push({ kind: kindLabel(r.kind), namespace: r.namespace, reason: reasonOf(listError) });
    }
    return gaps;
  }

  private fallbackOnce = (): Promise<string[]> => (this.fallback ??= this.fallbackNamespaces());

  /** The first list of every collection of one served kind (failed ones are gaps, relisted when run). */
  private async listKind(kind: ServedKind): Promise<Reflector[]> {
    if (isNamespaceKind(kind)) this.namespacesReadable = true;
    return kind.spec.namespaced
      ? this.listNamespaced(kind, this.fallbackOnce)
      : [await this.tryList({ kind, namespace: null })];
  }

  /** Watches the reflectors of one served kind under its own controller. */
  private runKind(reflectors: readonly Reflector[]): void {
    for (const r of reflectors) {
      const key = servedKey(r.kind);
      let controller = this.running.get(key);
      if (!controller) {
        controller = new AbortController();
        setMaxListeners(0, controller.signal);
        this.running.set(key, controller);
      }
      void r.run(controller.signal);
    }
  }

  /**
   * Discovery again (rediscovery.ts): kinds served since are listed and watched, kinds no
   * longer served are stopped and their objects dropped, kinds whose discovery fails and
   * that nothing lists stay gaps. Listeners are told when anything changed.
   */
  private async rediscover(): Promise<void> {
    const found = await this.discovery();
    const listed = new Map(this.reflectors.map((r) => [servedKey(r.kind), r.kind.spec] as const));
    const plan = planRediscovery(listed, found);
    const added = (await Promise.all(plan.add.map((kind) => this.listKind(kind)))).flat();
    if (this.abort.signal.aborted) return;
    // gaps, reflectors and watches change together, after the new kinds' first lists
    const before = JSON.stringify(this.discoveryGaps);
    this.noteDiscovery(found, plan.gaps);
    for (const key of plan.remove) {
      const label = key.slice(0, key.lastIndexOf('@'));
      if (this.perNamespace.includes(label)) this.perNamespace.splice(this.perNamespace.indexOf(label), 1);
      this.running.get(key)?.abort();
      this.running.delete(key);
    }
    this.reflectors = this.reflectors.filter((r) => !plan.remove.includes(servedKey(r.kind)));
    this.reflectors.push(...added);
    this.runKind(added);
    if (plan.remove.length > 0 || added.length > 0 || JSON.stringify(this.discoveryGaps) !== before) this.notify();
  }

  async start(): Promise<void> {
    const served = await this.discover();
    const nsKind = served.find(isNamespaceKind);
    const namespaceReflector = nsKind ? await this.tryList({ kind: nsKind, namespace: null }) : null;
    this.namespacesReadable = namespaceReflector !== null;
    const others = served.filter((k) => k !== nsKind);
    const progress = progressTracker('kind', this.opts.onProgress);
    progress.add(others.map(kindLabel));
    const lists = await Promise.all(
      others.map(async (kind) => {
        const listed = await this.listKind(kind);
        progress.finish(
          kindLabel(kind),
          listed.reduce((n, r) => n + r.objects().length, 0),
        );
        return listed;
      }),
    );
    this.reflectors = [namespaceReflector, ...lists.flat()].filter((r): r is Reflector => r !== null);
    const usedFallback = this.fallback !== null ? await this.fallback : null;
    this.scope = this.opts.namespaces.length > 0 ? uniqueSorted([...this.opts.namespaces, this.root]) : usedFallback;
    if (!this.reflectors.some((r) => r.kind.spec.plural === 'pods' && r.state().listed)) {
      this.stop();
      const unreadable = this.unreadable();
      const first = unreadable.find((u) => u.kind === 'Pod') ?? unreadable[0];
      throw clusterError(
        'cluster-unreadable',
        `nothing needed could be read from ${this.http.server}: ${first ? `${first.kind}: ${first.reason}` : 'no Pods visible'}`,
        'check your RBAC rights (kubectl auth can-i list pods), or use --from with manifests',
      );
    }
    if (this.opts.watch === false) return;
    this.runKind(this.reflectors);
    void rediscoverPeriodically({
      signal: this.abort.signal,
      // real time, not the reflectors' clock: tests that count the reflectors' sleeps are not
      // disturbed, and `rediscoverMs` shortens the wait where a test needs it
      clock: realClock,
      backoff: this.ropts,
      everyMs: this.opts.rediscoverMs ?? REDISCOVER_EVERY_MS,
      hasGaps: () => this.discoveryGaps.length > 0,
      rediscover: () => this.rediscover(),
      onError: (err) => (this.discoveryErrors = [`discovery failed: ${reasonOf(err)}`]),
    });
  }

  objects(): RawObject[] {
    const out: RawObject[] = [];
    for (const r of this.reflectors) {
      for (const object of r.objects()) {
        if (r.kind.spec.kind === 'ConfigMap' && !isMeshConfigMap(object)) continue;
        out.push({ object: object as KubeObject, loc: null, lines: null });
      }
    }
    return out;
  }

  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  status(): LiveStatus {
    const states = this.reflectors.map((r) => r.state());
    const stale = states.filter((s) => s.staleSince !== null);
    const polling = states.map((s) => s.polling).filter((p): p is string => p !== null);
    const since = stale.map((s) => s.staleSince?.getTime() ?? 0).sort((a, b) => a - b)[0];
    const unreadable = this.unreadable();
    const failing = this.reflectors
      .filter((r) => !r.state().listed && !isForbidden(r.state().listError))
      .map((r) => `${r.label}: ${reasonOf(r.state().listError)}`);
    return {
      stale: stale.length > 0,
      staleSince: since === undefined ? null : new Date(since).toISOString(),
      partial: describeGaps(unreadable, {
        namespacesReadable: this.namespacesReadable,
        perNamespace: this.perNamespace,
        scope: this.scope,
        root: this.root,
      }),
      unreadable,
      namespaces: this.scope,
      errors: [
        ...this.discoveryErrors,
        ...this.errors,
        ...failing,
        ...polling,
        ...stale.map((s) => s.lastError ?? '').filter((e) => e !== ''),
      ],
    };
  }

  stop(): void {
    this.abort.abort();
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }
}

/** Creates the live source; call start() once (it throws exit-3 errors when nothing can be read). */
export function createLiveSource(options: LiveSourceOptions): LiveSource {
  return new LiveSourceImpl(options);
}
