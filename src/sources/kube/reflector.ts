/**
 * List then watch one collection (a kind, cluster-wide or in one namespace): pagination,
 * resourceVersion bookkeeping, relist on 410 Gone, reconnect with backoff and jitter, and
 * a stale mark while the watch is down.
 */
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
}

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

/** Exponential backoff with jitter: a delay in [d/2, d], d = min(max, initial * 2^(attempt-1)). */
export function backoffDelay(attempt: number, opts: ReflectorOptions, random: () => number): number {
  const d = Math.min(opts.backoffMaxMs, opts.backoffInitialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + (random() * d) / 2);
}

class GoneError extends Error {}

/** Watches ask the server to end them after 5 to 10 minutes, as client-go's reflector does. */
export const WATCH_TIMEOUT_SECONDS = 300;

export class Reflector {
  readonly kind: ServedKind;
  readonly namespace: string | null;
  private readonly items = new Map<string, KubeObject>();
  private resourceVersion = '';
  private staleSince: Date | null = null;
  private lastError: string | null = null;
  private pollingNote: string | null = null;

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

  state(): { staleSince: Date | null; lastError: string | null; polling: string | null } {
    return { staleSince: this.staleSince, lastError: this.lastError, polling: this.pollingNote };
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

  /** Reads every page; replaces the store. Throws KubeHttpError (e.g. 403) on failure. */
  async list(signal?: AbortSignal): Promise<void> {
    const fresh = new Map<string, KubeObject>();
    let token = '';
    let rv = '';
    do {
      const query = new URLSearchParams({ limit: String(this.opts.pageSize) });
      if (token) query.set('continue', token);
      let body: ListBody;
      try {
        body = await this.http.getJson<ListBody>(`${this.basePath()}?${query.toString()}`, { signal });
      } catch (err) {
        if (err instanceof KubeHttpError && err.status === 410 && token) {
          fresh.clear();
          token = '';
          continue; // the continue token expired: start the list over
        }
        throw err;
      }
      for (const item of body.items ?? []) fresh.set(keyOf(item), this.withKind(item));
      token = body.metadata?.continue ?? '';
      rv = body.metadata?.resourceVersion ?? rv;
    } while (token);
    this.items.clear();
    for (const [k, v] of fresh) this.items.set(k, v);
    this.resourceVersion = rv;
    this.onChange();
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

  /** Returns how many lines the watch delivered before the server ended it. */
  private async watchOnce(signal: AbortSignal): Promise<number> {
    // the server ends the watch after timeoutSeconds, so a silently dead connection is noticed
    const timeoutSeconds = String(WATCH_TIMEOUT_SECONDS + Math.floor(this.clock.random() * WATCH_TIMEOUT_SECONDS));
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      timeoutSeconds,
    });
    const lines = this.http.streamLines(`${this.basePath()}?${query.toString()}`, {
      signal,
      onOpen: () => this.markFresh(),
    });
    let received = 0;
    for await (const line of lines) {
      if (line.trim() === '') continue;
      received += 1;
      this.apply(JSON.parse(line) as WatchEvent);
    }
    return received;
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

  /** Watches until `signal` aborts, relisting on 410 and reconnecting with backoff. */
  async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let needList = false;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list(signal);
          needList = false;
        }
        if ((await this.watchOnce(signal)) > 0)
          attempt = 0; // ended by the server's timeout: watch again at once
        else await this.clock.sleep(backoffDelay(++attempt, this.opts, this.clock.random), signal); // ended at once: back off
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof GoneError || (err instanceof KubeHttpError && err.status === 410)) {
          needList = true;
          continue;
        }
        if (err instanceof KubeHttpError && err.status === 403 && !needList) {
          await this.poll(signal); // may list but not watch: poll instead
          return;
        }
        this.markStale(err);
        attempt += 1;
        await this.clock.sleep(backoffDelay(attempt, this.opts, this.clock.random), signal);
      }
    }
  }
}
