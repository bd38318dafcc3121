/**
 * Label selector matching for the TUI's pod table (which policies select a pod).
 * Kept tiny and local until the engine exports its own selector module; the
 * semantics are Kubernetes': the empty selector matches everything.
 */
import type { LabelSelector, Labels } from '../../model/k8s.js';

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false;
  }
  return selector.matchExpressions.every((req) => {
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        return value !== undefined && req.values.includes(value);
      case 'NotIn':
        return value === undefined || !req.values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
}
