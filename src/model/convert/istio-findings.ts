/**
 * Istio findings: a Finding whose message names the file and line first, as the others do.
 * The codes live in the one registry, src/model/findings.ts.
 */
import type { ObjectRef, SourceLocation } from '../k8s.js';
import { finding, placePrefix, type Finding, type FindingCode } from '../findings.js';

export type IstioFinding = Finding;

export function istioFinding(
  code: FindingCode,
  message: string,
  where: { object?: ObjectRef | null; field?: string | null; loc?: SourceLocation | null; rule?: string } = {},
): IstioFinding {
  const loc = where.loc ?? null;
  // one line that names the file and line first, as the other findings do
  return {
    ...finding(code, `${placePrefix(loc)}${message}`, {
      object: where.object ?? null,
      field: where.field ?? null,
      loc,
    }),
    ...(where.rule ? { rule: where.rule } : {}),
  };
}
