/** The request attributes an AuthorizationPolicy rule is matched against. */
import { boundedMemo } from '../../util/bounded-memo.js';

export interface AuthzAttributes {
  /** HTTP filter chain (true) or TCP network filter (false). */
  readonly http: boolean;
  /** peer identity `<td>/ns/<ns>/sa/<sa>`; null without Istio mTLS. */
  readonly principal: string | null;
  readonly sourceIp: string | null;
  /** X-Forwarded-For-derived address; equals sourceIp when numTrustedProxies is 0. */
  readonly remoteIp: string | null;
  /** `<iss>/<sub>` of a validated JWT; null without one. */
  readonly requestPrincipal: string | null;
  readonly claims: Readonly<Record<string, unknown>> | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly host: string | null;
  /** header names lower-cased */
  readonly headers: Readonly<Record<string, string>>;
  /** the port the destination workload receives (container port) */
  readonly port: number;
  readonly destinationIp: string | null;
  readonly sni: string | null;
  /** the mesh trust domain followed by its aliases */
  readonly trustDomains: readonly string[];
}

export interface PrincipalParts {
  readonly trustDomain: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** The parts of the last principals split (every rule naming namespaces or service accounts asks); shared, so read-only. */
const principalParts = boundedMemo(4096, (principal): PrincipalParts | null => {
  const m = /^(.*)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return m ? { trustDomain: m[1] ?? '', namespace: m[2] ?? '', serviceAccount: m[3] ?? '' } : null;
});

export function splitPrincipal(principal: string | null): PrincipalParts | null {
  return principal === null ? null : principalParts(principal);
}

export function principalOf(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
