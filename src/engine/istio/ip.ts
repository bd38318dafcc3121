/** IPv4/IPv6 address and CIDR helpers (pure). */

function v4(ip: string): bigint | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function v6(ip: string): bigint | null {
  if (!ip.includes(':')) return null;
  const [head = '', tail, extra] = ip.split('::');
  if (extra !== undefined) return null;
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return null;
  const groups = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

export interface ParsedIp {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export function parseIp(ip: string): ParsedIp | null {
  const a = v4(ip);
  if (a !== null) return { family: 4, value: a };
  const b = v6(ip);
  return b === null ? null : { family: 6, value: b };
}

/** true when `ip` is inside `cidr` (a bare address is a /32 or /128); false when either is malformed. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base = '', lenText] = cidr.split('/');
  const net = parseIp(base.trim());
  const addr = parseIp(ip.trim());
  if (!net || !addr || net.family !== addr.family) return false;
  const bits = net.family === 4 ? 32 : 128;
  const len = lenText === undefined ? bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > bits) return false;
  const shift = BigInt(bits - len);
  return net.value >> shift === addr.value >> shift;
}
