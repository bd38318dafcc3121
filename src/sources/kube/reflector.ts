/**
 * List then watch one collection (a kind, cluster-wide or in one namespace): pagination,
 * resourceVersion bookkeeping, relist on 410 Gone, reconnect with backoff and jitter, and
 * a stale mark while the watch is down. A collection whose first list failed stays a gap
 * (`state().listed` false) and is relisted with backoff for the whole session, as
 * client-go's reflector retries ListAndWatch (kubernetes/client-go:tools/cache/reflector.go).
 */
import { isRecord } from '../../util/is-record.js';
import { Backoff } from './backoff.js';
import type { KubeHttp } from './http.js';
import { KubeHttpError } from './http.js';
import { collectionPath, kindLabel } from './kinds.js';
import type { ServedKind } from './kinds.js';

export interface ReflectorClock {
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random(): number;
  now(): Date;
}

export interface ReflectorOptions {
  readonly pageSize: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** Watches ask for timeoutSeconds in [this, 2x this); default WATCH_TIMEOUT_SECONDS (tests shorten it). */
  readonly watchTimeoutSeconds?: number;
  /** A longer watch event ends the watch; default WATCH_MAX_EVENT_CHARS. */
  readonly watchMaxEventChars?: number;
  /** A list with more pages fails; default MAX_LIST_PAGES (tests lower it). */
  readonly maxListPages?: number;
}

/**
 * Pages one list may take: 5 million objects at 500 a page, far past any cluster's policies or
 * pods. A server whose continue tokens never end (a broken proxy or aggregated server) held the
 * list for ever, its items piling up in memory; a token seen before fails the list at once.
 */
export const MAX_LIST_PAGES = 10_000;

export type KubeObject = Record<string, unknown>;

interface ObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
}

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

interface WatchEvent {
  type?: string;
  object?: KubeObject & { code?: number; message?: string };
}

function metaOf(object: KubeObject): ObjectMeta {
  return (object['metadata'] ?? {}) as ObjectMeta;
}

function keyOf(object: KubeObject): string {
  const m = metaOf(object);
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
}

/**
 * Why an object in a list or watch of `kind` is not one of them, or null: no map, no name, or
 * another kind or group than asked for (a broken proxy or aggregated server; client-go's decoder
 * refuses such a body). Read as what it said, an item `kind: Pod` in the AuthorizationPolicy list
 * became a Pod (its own kind wins in withKind). Typed lists leave kind/apiVersion out of items.
 */
export function objectProblem(object: unknown, kind: ServedKind): string | null {
  if (!isRecord(object))
    return `an item that is ${object === null ? 'null' : Array.isArray(object) ? 'a list' : `a ${typeof object}`}`;
  const meta = object['metadata'];
  if (!isRecord(meta) || typeof meta['name'] !== 'string' || meta['name'] === '')
    return 'an item without metadata.name';
  const itemKind = object['kind'];
  if (itemKind !== undefined && itemKind !== kind.spec.kind) return 'an item of another kind';
  const itemVersion = object['apiVersion'];
  if (itemVersion !== undefined && (typeof itemVersion !== 'string' || apiGroupOf(itemVersion) !== kind.spec.group))
    return 'an item of another API group';
  return null;
}

function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Why a 200 answer to a list is no list of `kind`, or null. `items` is required (null is an
 * empty list: a nil slice): without it, a Status or a proxy's JSON error page with 200 was read
 * as an empty list, every object of the kind gone and no gap to say so.
 */
export function listBodyProblem(body: unknown, kind: ServedKind): string | null {
  if (!isRecord(body))
    return `not a list object but ${body === null ? 'null' : Array.isArray(body) ? 'a JSON array' : `a ${typeof body}`}`;
  const listKind = body['kind'];
  if (listKind !== undefined && (typeof listKind !== 'string' || !listKind.endsWith('List')))
    return 'not a list (its kind is no ...List)';
  const items = body['items'];
  if (items === null) return null;
  if (!Array.isArray(items)) return items === undefined ? 'a list without items' : 'items that are no list';
  for (const item of items as unknown[]) {
    const problem = objectProblem(item, kind);
    if (problem !== null) return problem;
  }
  return null;
}

/** A watch that ends sooner than this was cut short: the next one waits (backoff not reset). */
export const HEALTHY_WATCH_MS = 60_000;

class GoneError extends Error {}

export interface ReflectorState {
  readonly staleSince: Date | null;
  readonly lastError: string | null;
  readonly polling: string | null;
  /** false until one list succeeded: the collection is a gap in the view. */
  readonly listed: boolean;
  /** Why the last list failed, while `listed` is false. */
  readonly listError: KubeHttpError | Error | null;
}

/** Watches ask the server to end them after 5 to 10 minutes, as client-go's reflector does. */
export const WATCH_TIMEOUT_SECONDS = 300;

/**
 * The longest watch event read: client-go's streaming decoder refuses an object over 16 MiB
 * (kubernetes/apimachinery:pkg/runtime/serializer/streaming/streaming.go, NewDecoder maxBytes,
 * ErrObjectTooLarge) and the watch then ends with an error; so does ours (a cut event is no JSON).
 */
export const WATCH_MAX_EVENT_CHARS = 16 * 1024 * 1024;

export class Reflector {
  readonly kind: ServedKind;
  readonly namespace: string | null;
  private readonly items = new Map<string, KubeObject>();
  private resourceVersion = '';
  private staleSince: Date | null = null;
  private lastError: string | null = null;
  private pollingNote: string | null = null;
  private listed = false;
  private listError: KubeHttpError | Error | null = null;

  constructor(
    kind: ServedKind,
    namespace: string | null,
    private readonly http: KubeHttp,
    private readonly clock: ReflectorClock,
    private readonly opts: ReflectorOptions,
    private readonly onChange: () => void,
  ) {
    this.kind = kind;
    this.namespace = namespace;
  }

  get label(): string {
    return this.namespace === null
      ? `${kindLabel(this.kind)} (all namespaces)`
      : `${kindLabel(this.kind)} in ${this.namespace}`;
  }

  objects(): KubeObject[] {
    return [...this.items.values()];
  }

  state(): ReflectorState {
    return {
      staleSince: this.staleSince,
      lastError: this.lastError,
      polling: this.pollingNote,
      listed: this.listed,
      listError: this.listed ? null : this.listError,
    };
  }

  /** List items lack apiVersion/kind; managedFields are dropped (large, never used). */
  private withKind(object: KubeObject): KubeObject {
    const meta = object['metadata'] as Record<string, unknown> | undefined;
    if (meta && 'managedFields' in meta) {
      const { managedFields: _dropped, ...rest } = meta;
      return { apiVersion: this.kind.apiVersion, kind: this.kind.spec.kind, ...object, metadata: rest };
    }
    return { apiVersion: this.kind.apiVersion, kind: this.kind.spec.kind, ...object };
  }

  private basePath(): string {
    return collectionPath(this.kind, this.namespace);
  }

  /** One page; `limit` 0 asks for everything at once. A body that is no list of the kind is a BadResponse. */
  private async page(token: string, limit: number, signal?: AbortSignal): Promise<ListBody> {
    const query = new URLSearchParams(limit > 0 ? { limit: String(limit) } : {});
    if (token) query.set('continue', token);
    const q = query.toString();
    const path = q ? `${this.basePath()}?${q}` : this.basePath();
    const body = await this.http.getJson<unknown>(path, { signal });
    const problem = listBodyProblem(body, this.kind);
    // the words are ours: server text stays out of errors
    if (problem !== null)
      throw new KubeHttpError(0, 'BadResponse', `the list of ${this.label} answered ${problem}`, path);
    return body as ListBody;
  }

  /**
   * Reads every page. A 410 on a continued page (the continue token expired after etcd
   * compaction) falls back to one full list, as client-go's pager does with
   * FullListIfExpired (kubernetes/client-go:tools/pager/pager.go `List`): never a short store.
   */
  private async readAll(signal?: AbortSignal): Promise<{ items: KubeObject[]; rv: string }> {
    const items: KubeObject[] = [];
    let token = '';
    let rv = '';
    const seen = new Set<string>();
    const maxPages = this.opts.maxListPages ?? MAX_LIST_PAGES;
    do {
      if (seen.size >= maxPages || seen.has(token))
        throw new KubeHttpError(
          0,
          'BadResponse',
          seen.has(token)
            ? `the list of ${this.label} repeats a continue token (its pages never end)`
            : `the list of ${this.label} runs past ${maxPages} pages`,
          this.basePath(),
        );
      seen.add(token);
      let body: ListBody;
      try {
        body = await this.page(token, this.opts.pageSize, signal);
      } catch (err) {
        if (!(err instanceof KubeHttpError && err.status === 410 && token)) throw err;
        const full = await this.page('', 0, signal);
        return { items: full.items ?? [], rv: full.metadata?.resourceVersion ?? '' };
      }
      for (const item of body.items ?? []) items.push(item);
      token = body.metadata?.continue ?? '';
      rv = body.metadata?.resourceVersion ?? rv;
    } while (token);
    return { items, rv };
  }

  /** Reads every page; replaces the store. Throws KubeHttpError (e.g. 403) on failure. */
  async list(signal?: AbortSignal): Promise<void> {
    let read: { items: KubeObject[]; rv: string };
    try {
      read = await this.readAll(signal);
    } catch (err) {
      if (!this.listed) this.listError = err as Error;
      throw err;
    }
    this.items.clear();
    for (const item of read.items) this.items.set(keyOf(item), this.withKind(item));
    this.resourceVersion = read.rv;
    const wasGap = !this.listed;
    this.listed = true;
    this.listError = null;
    this.onChange();
    if (wasGap) this.markFresh();
  }

  private apply(event: WatchEvent): void {
    const object = event.object;
    if (!object) return;
    if (event.type === 'ERROR') {
      if (object.code === 410) throw new GoneError(object.message ?? 'resource version too old');
      throw new KubeHttpError(
        object.code ?? 500,
        String(object['reason'] ?? ''),
        object.message ?? 'watch error',
        this.basePath(),
      );
    }
    const problem = event.type === 'BOOKMARK' ? null : objectProblem(object, this.kind);
    // before its resourceVersion is taken: the next watch starts before it, never past it unread;
    // the words are ours (server text stays out of errors)
    if (problem !== null)
      throw new KubeHttpError(
        0,
        'BadResponse',
        `a watch event on ${this.basePath()} holds ${problem}`,
        this.basePath(),
      );
    const rv = metaOf(object).resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') this.items.delete(keyOf(object));
    else if (event.type === 'ADDED' || event.type === 'MODIFIED') this.items.set(keyOf(object), this.withKind(object));
    else return;
    this.onChange();
  }

  private markStale(err: unknown): void {
    this.lastError = `${this.label}: ${(err as Error).message}`;
    if (!this.staleSince) {
      this.staleSince = this.clock.now();
      this.onChange();
    }
  }

  private markFresh(): void {
    this.lastError = null;
    if (this.staleSince) {
      this.staleSince = null;
      this.onChange();
    }
  }

  /**
   * Watches until the server ends the stream, or until the timeoutSeconds asked for have passed:
   * client-go's typed Watch sets the same client-side timeout (kubernetes/client-go:gentype/type.go
   * `Watch`, Timeout(TimeoutSeconds)), so a server that sends headers and then nothing, or a
   * connection that died without a FIN, cannot hold the watch (and the view) forever.
   */
  private async watchOnce(signal: AbortSignal): Promise<void> {
    const base = this.opts.watchTimeoutSeconds ?? WATCH_TIMEOUT_SECONDS;
    const seconds = base + Math.floor(this.clock.random() * base);
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      timeoutSeconds: String(seconds),
    });
    const path = `${this.basePath()}?${query.toString()}`;
    const lines = this.http.streamLines(path, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(seconds * 1000)]),
      maxLineChars: this.opts.watchMaxEventChars ?? WATCH_MAX_EVENT_CHARS,
      failOnLongLine: true,
      onOpen: () => this.markFresh(),
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let event: WatchEvent;
      try {
        event = JSON.parse(line) as WatchEvent;
      } catch {
        // the parser's message quotes the line: server text stays out of errors
        throw new KubeHttpError(0, 'BadResponse', `a watch event on ${this.basePath()} is not JSON`, path);
      }
      this.apply(event);
    }
  }

  /** Without watch rights: relist every backoffMaxMs; the view is as old as the last list. */
  private async poll(signal: AbortSignal): Promise<void> {
    const every =
      this.opts.backoffMaxMs < 1000 ? `${this.opts.backoffMaxMs} ms` : `${Math.round(this.opts.backoffMaxMs / 1000)} s`;
    this.pollingNote = `${this.label}: may list but not watch; refreshed every ${every}`;
    this.onChange();
    while (!signal.aborted) {
      await this.clock.sleep(this.opts.backoffMaxMs, signal);
      if (signal.aborted) return;
      try {
        await this.list(signal);
        this.markFresh();
      } catch (err) {
        if (signal.aborted) return;
        this.markStale(err);
      }
    }
  }

  /**
   * Lists (again, while the first list failed), then watches until `signal` aborts:
   * relists after 410, reconnects with backoff. A watch that ends before HEALTHY_WATCH_MS
   * waits its backoff whatever it delivered; a sleep comes before every relist.
   */
  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.opts, this.clock);
    let needList = !this.listed;
    const pause = (): Promise<void> => this.clock.sleep(backoff.next(), signal);
    if (needList) await pause();
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list(signal);
          needList = false;
        }
        const started = this.clock.now().getTime();
        await this.watchOnce(signal);
        if (this.clock.now().getTime() - started < HEALTHY_WATCH_MS) await pause();
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof GoneError || (err instanceof KubeHttpError && err.status === 410)) {
          needList = true;
          await pause();
          continue;
        }
        if (err instanceof KubeHttpError && err.status === 403 && !needList) {
          await this.poll(signal); // may list but not watch: poll instead
          return;
        }
        if (this.listed) this.markStale(err);
        await pause();
      }
    }
  }
}
