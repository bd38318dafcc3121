/** One connection of a map edge as short text: `TCP 8080 (GET /api/orders) mTLS`, shared by every map format. */
import type { MapConnection } from '../../engine/index.js';
import type { PortRange } from '../../engine/index.js';

export function portsText(ports: readonly PortRange[]): string {
  if (ports.length === 1 && ports[0]?.[0] === 1 && ports[0]?.[1] === 65535) return 'all';
  return ports.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
}

function listOf(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join('|') : String(value);
}

export function httpText(connection: MapConnection): string {
  if (!connection.http) return '';
  const rules = connection.http.rules.map((r) => {
    const parts = Object.entries(r.match)
      .filter(([k]) => k !== 'principals' && k !== 'namespaces')
      .map(([k, v]) => `${k}=${listOf(v)}`);
    return parts.join(' ');
  });
  return `only ${rules.join('; or ')}`;
}

export function connectionText(connection: MapConnection): string {
  const http = httpText(connection);
  const flag = connection.verdict === 'conditional' && !http ? ' (conditional)' : '';
  return `${connection.protocol} ${portsText(connection.ports)}${connection.mtls ? ' mTLS' : ''}${http ? ` (${http})` : ''}${flag}`;
}
