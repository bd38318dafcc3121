/**
 * Discovery again during a long session. kubectl caches discovery for a while and
 * re-discovers (kubernetes/cli-runtime:pkg/genericclioptions/config_flags.go
 * ToDiscoveryClient: a 6 h cache TTL; kubernetes/client-go:restmapper/discovery.go
 * DeferredDiscoveryRESTMapper.Reset: "will cause the next mapping request to re-discover").
 * A TUI runs for hours while CRDs come and go (Istio installed after start, Calico or
 * AdminNetworkPolicy CRDs added or removed), so the live source re-checks discovery
 * periodically and compares what is served with what it lists.
 */
import { Backoff } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import type { DiscoveryResult } from './discovery.js';
import { kindLabel } from './kinds.js';
import type { KindSpec, ServedKind } from './kinds.js';

/** How often a healthy session re-checks discovery (a failing one retries with backoff). */
export const REDISCOVER_EVERY_MS = 60_000;

/** One served kind at one version: a change of version is a removal plus an addition. */
export function servedKey(kind: ServedKind): string {
  return `${kindLabel(kind)}@${kind.version}`;
}

export interface RediscoveryPlan {
  /** Served now, not listed yet: list and watch them. */
  readonly add: readonly ServedKind[];
  /** Listed, but the server no longer serves them (CRD removed, version dropped): stop and forget them. */
  readonly remove: readonly string[];
  /** Discovery failed and nothing lists them: gaps until a later discovery reads them. */
  readonly gaps: readonly { readonly spec: KindSpec; readonly error: unknown }[];
}

/**
 * Compares a new discovery with the kinds listed now (`listed`: servedKey -> spec). A kind
 * whose discovery failed this time is kept as it is: unknown is not "removed".
 */
export function planRediscovery(listed: ReadonlyMap<string, KindSpec>, found: DiscoveryResult): RediscoveryPlan {
  const failed = new Set(found.failed.map((f) => f.spec));
  const served = new Set(found.served.map(servedKey));
  const listedSpecs = new Set(listed.values());
  return {
    add: found.served.filter((k) => !listed.has(servedKey(k))),
    remove: [...listed].filter(([key, spec]) => !served.has(key) && !failed.has(spec)).map(([key]) => key),
    gaps: found.failed.filter((f) => !listedSpecs.has(f.spec)),
  };
}

export interface RediscoverLoop {
  readonly signal: AbortSignal;
  readonly clock: { sleep(ms: number, signal: AbortSignal): Promise<void>; now(): Date; random(): number };
  readonly backoff: BackoffOptions;
  readonly everyMs: number;
  /** true while some kind's discovery failed: retried with backoff (at most every `everyMs`). */
  readonly hasGaps: () => boolean;
  readonly rediscover: () => Promise<void>;
  readonly onError: (err: unknown) => void;
}

/**
 * Re-checks discovery every `everyMs` until the signal aborts; while a discovery fails or
 * leaves gaps, sooner, with the reflector's backoff (a failed kind keeps being retried,
 * kubernetes/client-go:tools/cache/reflector.go), never more often than the backoff allows.
 */
export async function rediscoverPeriodically(loop: RediscoverLoop): Promise<void> {
  const backoff = new Backoff(loop.backoff, loop.clock);
  let failing = false;
  while (!loop.signal.aborted) {
    const wait = failing || loop.hasGaps() ? Math.min(backoff.next(), loop.everyMs) : loop.everyMs;
    await loop.clock.sleep(wait, loop.signal);
    if (loop.signal.aborted) return;
    failing = false;
    await loop.rediscover().catch((err: unknown) => {
      failing = true;
      loop.onError(err);
    });
  }
}
