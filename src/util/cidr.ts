/**
 * IPv4/IPv6 addresses and CIDR blocks as bigints: parse, validate, contain.
 * Pure; used by validation (model) and evaluation (engine).
 */
import { boundedMemo } from './bounded-memo.js';

export interface Cidr {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
  /** the text as written */
  readonly text: string;
}

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const expand = (s: string): number[] | null => {
    if (s === '') return [];
    const groups: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i] ?? '';
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (v4 === null) return null;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return null;
        groups.push(parseInt(item, 16));
      }
    }
    return groups;
  };
  const head = expand(halves[0] ?? '');
  const tail = halves.length === 2 ? expand(halves[1] ?? '') : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function parseIp(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    if (v6 !== null) return { family: 6, value: v6 };
  }
  return null;
}

/** IPv4 dotted decimal, or IPv6 in RFC 5952 form: lower case, no leading zeros, the longest run of two or more zero groups (the first of equal runs) as `::`. */
export function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(Number((value >> s) & 0xffffn));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (best.at < 0) return hex(groups);
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.length))}`;
}

/** A dotted IPv4 address as formatIp writes it: four decimal octets 0-255, no leading zeros. */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CANONICAL_IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** ::ffff:0:0/96, IPv4-mapped IPv6 addresses (RFC 4291 section 2.5.5.2) */
const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * One text per address, for look-ups by address: `formatIp`'s form, and an IPv4-mapped IPv6
 * address (`::ffff:10.1.2.3`, what a dual-stack socket reports for an IPv4 peer) as the IPv4
 * address it stands for: on the wire, and to NetworkPolicy ipBlocks, the packet is IPv4. Null when
 * `text` is no address.
 */
export function canonicalIp(text: string): string | null {
  // the common case, already canonical, without BigInt work: log lines ask this for every address
  if (CANONICAL_IPV4.test(text)) return text;
  const ip = parseIp(text);
  if (ip === null) return null;
  if (ip.family === 6 && ip.value >> 32n === MAPPED_PREFIX >> 32n) return formatIp(4, ip.value & 0xffffffffn);
  return formatIp(ip.family, ip.value);
}

export function isIp(text: string): boolean {
  // an IPv4 address has dots and an IPv6 one colons: a name (`ns/pod`) is answered without a parse
  if (!text.includes('.') && !text.includes(':')) return false;
  return parseIp(text) !== null;
}

/** Parses `a.b.c.d/n` or `x::y/n`; null when malformed. Host bits may be set (the API allows it). */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const base = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, base, prefix, text };
}

/** Parses an IP or CIDR (a bare IP is a /32 or /128). */
export function parseIpOrCidr(text: string): Cidr | null {
  if (text.includes('/')) return parseCidr(text);
  const ip = parseIp(text);
  if (!ip) return null;
  return { family: ip.family, base: ip.value, prefix: ip.family === 4 ? 32 : 128, text };
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  const hostBits = BigInt(bits - cidr.prefix);
  return ip.value >> hostBits === cidr.base >> hostBits;
}

/** true when `inner` lies entirely inside `outer`. */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  return cidrContainsIp(outer, { family: inner.family, value: inner.base });
}

/** Membership test for text inputs; false on anything malformed. */
export function ipInCidr(ipText: string, cidrText: string): boolean {
  const ip = parsedIp(ipText);
  const cidr = parsedCidr(cidrText);
  return ip !== null && cidr !== null && cidrContainsIp(cidr, ip);
}

/** The addresses asked are those of the pods in the question, again and again: parsed once (bounded; read only here). */
const parsedIp = boundedMemo(4096, (text) => parseIp(text));

/** The CIDRs policies name are few and asked on every flow: parsed once (bounded; a Cidr is immutable). */
const parsedCidr = boundedMemo(4096, (text) => parseIpOrCidr(text));
