/**
 * Live objects are admitted: the API server validated each one against what it checks (its
 * built-in validation, the CRD schema and CEL rules). An error meshdbg's lint still finds in one
 * is a rule only a webhook or an aggregated API server enforces (Calico's API server validates
 * projectcalico.org/v3, but crd.projectcalico.org/v1 objects written directly pass a schema that
 * types a selector as a plain string), so the object is in force on the cluster all the same.
 * Refusing the whole cluster (exit 2, as for the same object in a manifest) would answer nothing;
 * the finding becomes a warning, and since meshdbg cannot say how the object applies, the
 * answers it could change get a `partial-view` condition, as an unreadable list does.
 * Istio objects whose finding names the webhook rule are handled before this (admittedByCluster:
 * evaluated as istiod does).
 */
import type { Condition, Explanation } from '../engine/index.js';
import type { Finding } from '../model/findings.js';
import type { ObjectRef } from '../model/k8s.js';
import { withConditions } from '../sources/kube/partial-view.js';

export interface AdmittedObject {
  readonly object: ObjectRef;
  readonly code: string;
}

/** Error findings on objects become warnings; each such object is returned as a gap. */
export function admittedObjects(findings: readonly Finding[]): { findings: Finding[]; gaps: AdmittedObject[] } {
  const gaps = new Map<string, AdmittedObject>();
  const out = findings.map((f) => {
    if (f.severity !== 'error' || f.object === null) return f;
    const o = f.object;
    gaps.set(`${o.kind}/${o.namespace ?? ''}/${o.name}`, { object: o, code: f.code });
    return {
      ...f,
      severity: 'warning' as const,
      message: `${f.message}; the cluster admitted it (its API server does not check this): answers it could change are conditional`,
    };
  });
  return { findings: out, gaps: [...gaps.values()] };
}

function named(o: ObjectRef): string {
  return o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;
}

/** One stderr line naming the admitted objects meshdbg cannot read, or null. */
export function admittedLine(gaps: readonly AdmittedObject[]): string | null {
  if (gaps.length === 0) return null;
  const shown = gaps.slice(0, 3).map((g) => `${named(g.object)} (${g.code})`);
  const more = gaps.length > 3 ? ` and ${gaps.length - 3} more (meshdbg lint lists them)` : '';
  return `partial view: the cluster admitted ${shown.join(', ')}${more}, which meshdbg cannot read`;
}

/**
 * Conditions for the flow between these namespaces: a cluster-scoped object (GlobalNetworkPolicy,
 * AdminNetworkPolicy) can change any answer, a namespaced one those touching its namespace or the
 * root namespace (mesh-wide Istio policy).
 */
export function applyAdmittedGaps(e: Explanation, gaps: readonly AdmittedObject[], root: string): Explanation {
  const touched = [e.source.namespace, e.destination.namespace];
  const extra: Condition[] = gaps
    .filter((g) => g.object.namespace === null || g.object.namespace === root || touched.includes(g.object.namespace))
    .map((g) => ({
      code: 'partial-view',
      message: `partial view: ${named(g.object)} is admitted by the cluster but meshdbg cannot read it (${g.code}); how it applies is unknown`,
    }));
  return withConditions(e, extra);
}
