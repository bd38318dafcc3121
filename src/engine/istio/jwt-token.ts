/** Offline JWT handling: decode (never verify) a token, or take claims as given. */
import type { JwtSpec } from '../explanation.js';

export type DecodedJwt =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: string };

export const JWT_BAD_FORM = 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections';
export const JWT_VERIFICATION_FAILS = 'Jwt verification fails';

function base64UrlJson(part: string): unknown {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function decodeJwt(spec: JwtSpec): DecodedJwt {
  if ('claims' in spec) return { ok: true, claims: spec.claims };
  const parts = spec.token.trim().split('.');
  if (parts.length !== 3) return { ok: false, error: JWT_BAD_FORM };
  try {
    const header = base64UrlJson(parts[0] ?? '');
    const payload = base64UrlJson(parts[1] ?? '');
    if (
      typeof header !== 'object' ||
      header === null ||
      typeof payload !== 'object' ||
      payload === null ||
      Array.isArray(payload)
    ) {
      return { ok: false, error: JWT_VERIFICATION_FAILS };
    }
    return { ok: true, claims: payload as Record<string, unknown> };
  } catch {
    return { ok: false, error: JWT_VERIFICATION_FAILS };
  }
}

export function audiencesOf(claims: Readonly<Record<string, unknown>>): readonly string[] {
  const aud = claims['aud'];
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Seconds since the epoch of an RFC3339 time; null when absent or malformed. */
export function epochSeconds(rfc3339: string | null): number | null {
  if (rfc3339 === null) return null;
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** What explain echoes: iss/sub/aud/exp, never the raw token. */
export function jwtEcho(claims: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    iss: claims['iss'] ?? null,
    sub: claims['sub'] ?? null,
    aud: claims['aud'] ?? null,
    exp: claims['exp'] ?? null,
    signature: 'not-verified',
  };
}
