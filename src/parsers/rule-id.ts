/**
 * Envoy RBAC policy ids read from logs -> Istio rule references. Ids longer than any Istio
 * could generate (namespace and name are at most 253 characters each) are not parsed at all,
 * so a hostile or corrupted line cannot make the id regex backtrack over kilobytes.
 */
import { parseIstioRuleRef, type IstioRuleRef } from '../engine/rule-ref.js';

export const MAX_POLICY_ID_LENGTH = 700;

export function istioRuleRefOf(id: string): IstioRuleRef | null {
  return id.length > MAX_POLICY_ID_LENGTH ? null : parseIstioRuleRef(id);
}
