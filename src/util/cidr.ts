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
