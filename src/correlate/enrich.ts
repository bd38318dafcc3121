/**
 * Enrichment of a draft by the engine, once per distinct denial: the nearest ALLOW miss, the
 * NetworkPolicy behind an upstream failure, the CUSTOM policy behind an ext_authz denial, the
 * PeerAuthentication behind a STRICT refusal. What the engine finds is `inferred`.
 */
import type { Snapshot } from '../model/snapshot.js';
import { assertNever } from '../util/assert-never.js';
import type { Draft, Enrichment } from './draft.js';
import { explainLoggedRequest } from './explain-request.js';
import { customPoliciesAt, strictPeerAuthenticationAt } from './policy-in-force.js';
import { relateUpstreamFailure } from './upstream.js';

function inferred(d: Draft): Draft {
  if (d.attribution !== 'unknown') return d;
  return d.policy !== null || d.nearestMiss.length > 0 ? { ...d, attribution: 'inferred' } : d;
}

function withCustom(snapshot: Snapshot, d: Draft): Draft {
  const found = customPoliciesAt(snapshot, d.destination);
  const first = found[0];
  if (first === undefined) return d;
  const more =
    found.length > 1
      ? ` (also ${found
          .slice(1)
          .map((m) => `${m.namespace ?? ''}/${m.name}`)
          .join(', ')})`
      : '';
  return {
    ...d,
    policy: first,
    ruleRef: first.ruleRef,
    reason: `${d.reason}; CUSTOM policy at the destination: ${first.namespace ?? ''}/${first.name}${more}`,
  };
}

function withPeerAuthentication(snapshot: Snapshot, d: Draft, port: number | null): Draft {
  const pa = strictPeerAuthenticationAt(snapshot, d.destination, port);
  if (pa === null) return d;
  return {
    ...d,
    policy: pa,
    ruleRef: pa.ruleRef,
    reason: `STRICT mTLS (PeerAuthentication ${pa.namespace ?? ''}/${pa.name}) refused a plaintext connection`,
  };
}

/**
 * A ztunnel refusal: the engine's ambient evaluation of the logged connection (mTLS, the identity
 * ztunnel printed) names the rule ztunnel does not print; the ruleRef stays `AuthorizationPolicy:NS/NAME`.
 */
function withZtunnelRule(snapshot: Snapshot, d: Draft): Draft {
  const explanation = explainLoggedRequest(snapshot, d.source, d.destination, d.request, true);
  if (explanation === null) return d;
  const by = explanation.decidedBy;
  const agrees = by?.enforcer === 'ztunnel' && (d.policy === null || by.policy?.name === d.policy.name);
  const policy = agrees && d.policy !== null && by.policy !== null ? { ...d.policy, rule: by.policy.rule } : d.policy;
  return { ...d, policy, nearestMiss: explanation.nearestMiss, explanation };
}

export function enrichDraft(snapshot: Snapshot | null, d: Draft, e: Enrichment): Draft {
  if (snapshot === null) return d;
  switch (e.type) {
    case 'none':
      return d;
    case 'custom':
      return inferred(withCustom(snapshot, d));
    case 'mtls':
      return inferred(withPeerAuthentication(snapshot, d, e.port));
    case 'allow-miss': {
      const explanation = explainLoggedRequest(snapshot, d.source, d.destination, d.request, e.mtls);
      if (explanation === null) return d;
      return inferred({ ...d, nearestMiss: explanation.nearestMiss, explanation });
    }
    case 'ztunnel':
      return inferred(withZtunnelRule(snapshot, d));
    case 'upstream': {
      const explanation = explainLoggedRequest(snapshot, d.source, d.destination, d.request, null);
      const rel = relateUpstreamFailure(e.reason, explanation);
      const reason = `${d.reason.split(':')[0] ?? ''}: ${rel.reason}`;
      return inferred({
        ...d,
        layer: rel.layer,
        policy: rel.policy,
        ruleRef: rel.policy?.ruleRef ?? null,
        nearestMiss: rel.nearestMiss,
        reason,
        ...(explanation ? { explanation } : {}),
      });
    }
    default:
      return assertNever(e, 'enrichment');
  }
}
