/**
 * The live cluster source: discovery, then list+watch of every kind the Snapshot uses.
 * Produces the same RawObject[] the manifests loader produces. Without cluster-wide list
 * rights it falls back to a partial view and says so in `status().partial`.
 */
import { setMaxListeners } from 'node:events';
import type { RawObject } from '../../model/raw.js';
import { discoverKinds } from './discovery.js';
import { createKubeHttp, KubeHttpError } from './http.js';
import type { KubeHttp, RetryPolicy } from './http.js';
import { clusterError } from './kubeconfig.js';
import type { KubeContext } from './kubeconfig.js';
import { isMeshConfigMap, kindLabel, NAMESPACE_KIND, SNAPSHOT_KINDS } from './kinds.js';
import type { KindSpec, ServedKind } from './kinds.js';
import { namespacesFromRulesReview, uniqueSorted } from './namespace-scope.js';
import { Reflector } from './reflector.js';
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
  /** false: list once and do not watch (e.g. `meshdbg snapshot`). Default true. */
  readonly watch?: boolean;
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

const DEFAULT_REFLECTOR: ReflectorOptions = { pageSize: 500, backoffInitialMs: 500, backoffMaxMs: 30_000 };

function reasonOf(err: unknown): string {
  if (err instanceof KubeHttpError && err.status > 0) return `${err.status} ${err.reason || 'error'}: ${err.message}`;
  return err instanceof Error ? err.message : 'not read yet';
}

function isForbidden(err: unknown): boolean {
  return err instanceof KubeHttpError && (err.status === 403 || err.status === 401);
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
  /** Kinds whose discovery failed: gaps for the whole session. */
  private readonly discoveryGaps: UnreadableCollection[] = [];
  private readonly errors: string[] = [];
  private namespacesReadable = false;
  private scope: string[] | null = null;
  /** Kinds read namespace by namespace because cluster-wide lists were refused. */
  private readonly perNamespace: string[] = [];

  constructor(private readonly opts: LiveSourceOptions) {
    this.http = createKubeHttp(opts.context.kc, opts.requestTimeoutMs, opts.retry);
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

  private async discover(): Promise<ServedKind[]> {
    try {
      const found = await discoverKinds(this.http, this.opts.kinds ?? SNAPSHOT_KINDS);
      for (const gap of found.failed)
        this.discoveryGaps.push({ kind: kindLabel(gap.spec), namespace: null, reason: reasonOf(gap.error) });
      this.errors.push(...found.errors);
      return [...found.served];
    } catch (err) {
      throw clusterError(
        'cluster-unreadable',
        `cannot read the cluster at ${this.http.server} (context ${this.opts.context.contextName}): ${reasonOf(err)}`,
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

  private describeGaps(unreadable: readonly UnreadableCollection[]): string[] {
    const partial: string[] = [];
    if (!this.namespacesReadable || unreadable.some((u) => u.kind === 'Namespace'))
      partial.push('partial view: Namespace objects are unreadable; namespace labels are unknown');
    if (this.perNamespace.length > 0) {
      partial.push(
        `partial view: no cluster-wide list rights for ${this.perNamespace.join(', ')}; read from namespaces ${(this.scope ?? []).join(', ')}`,
      );
    }
    const rootGaps = unreadable.filter((u) => u.namespace === this.root).map((u) => u.kind);
    if (rootGaps.length > 0)
      partial.push(
        `partial view: root namespace ${this.root} is unreadable (${rootGaps.join(', ')}); mesh-wide policies are unknown`,
      );
    const byPlace = new Map<string, string[]>();
    for (const u of unreadable) {
      if (u.kind === 'Namespace' || u.namespace === this.root) continue;
      const place = u.namespace ? `in ${u.namespace}` : 'cluster-wide';
      byPlace.set(place, [...(byPlace.get(place) ?? []), `${u.kind} (${u.reason.split(':')[0] ?? u.reason})`]);
    }
    for (const [place, kinds] of byPlace) partial.push(`partial view: cannot read ${place}: ${kinds.join(', ')}`);
    return partial;
  }

  async start(): Promise<void> {
    const served = await this.discover();
    const nsKind = served.find(
      (k) => k.spec === NAMESPACE_KIND || (k.spec.group === '' && k.spec.plural === 'namespaces'),
    );
    const namespaceReflector = nsKind ? await this.tryList({ kind: nsKind, namespace: null }) : null;
    this.namespacesReadable = namespaceReflector !== null;
    let fallback: Promise<string[]> | null = null;
    const fallbackOnce = (): Promise<string[]> => (fallback ??= this.fallbackNamespaces());
    const others = served.filter((k) => k !== nsKind);
    const lists = await Promise.all(
      others.map(async (kind) =>
        kind.spec.namespaced
          ? this.listNamespaced(kind, fallbackOnce)
          : [await this.tryList({ kind, namespace: null })],
      ),
    );
    this.reflectors = [namespaceReflector, ...lists.flat()].filter((r): r is Reflector => r !== null);
    const usedFallback = fallback !== null ? await fallback : null;
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
    for (const r of this.reflectors) void r.run(this.abort.signal);
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
      partial: this.describeGaps(unreadable),
      unreadable,
      namespaces: this.scope,
      errors: [...this.errors, ...failing, ...polling, ...stale.map((s) => s.lastError ?? '').filter((e) => e !== '')],
    };
  }

  stop(): void {
    this.abort.abort();
  }
}

/** Creates the live source; call start() once (it throws exit-3 errors when nothing can be read). */
export function createLiveSource(options: LiveSourceOptions): LiveSource {
  return new LiveSourceImpl(options);
}
