/**
 * VirtualService HTTP route timeouts (networking.istio.io): only what decides the client's
 * answer when the upstream never connects (504 "upstream request timeout" vs 503 after retries).
 */
import type { RawObject } from '../raw.js';
import type { RouteTimeout } from '../snapshot.js';
import { arrayAt, isRecord, recordAt, stringAt } from './context.js';
import { nameOf, namespaceOf } from './core.js';

/** Istio durations: `5s`, `500ms`, `1.5s`, `2m`, `1h`. */
export function durationMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 3_600_000;
  return n * unit;
}

export function isVirtualService(raw: RawObject): boolean {
  return raw.object['kind'] === 'VirtualService' && String(raw.object['apiVersion']).startsWith('networking.istio.io/');
}

export function convertRouteTimeouts(raw: RawObject, defaultNamespace: string): RouteTimeout[] {
  const namespace = namespaceOf(raw.object, defaultNamespace);
  const spec = recordAt(raw.object['spec']) ?? {};
  const gateways = (arrayAt(spec['gateways']) ?? []).map(String);
  const out: RouteTimeout[] = [];
  for (const route of (arrayAt(spec['http']) ?? []).filter(isRecord)) {
    const timeout = stringAt(route['timeout']);
    const ms = timeout === null ? null : durationMs(timeout);
    if (ms === null) continue;
    for (const dest of (arrayAt(route['route']) ?? []).filter(isRecord)) {
      const host = stringAt(recordAt(dest['destination'])?.['host']);
      if (host) out.push({ namespace, name: nameOf(raw.object), host, gateways, timeoutMs: ms });
    }
  }
  return out;
}
