/**
 * Which namespaces to read when the user may not list cluster-wide: `-n` (repeatable),
 * the context namespace, the root namespace, and namespace names a
 * SelfSubjectRulesReview grants access to.
 */
import type { KubeHttp } from './http.js';

interface ResourceRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

interface RulesReview {
  status?: { resourceRules?: ResourceRule[]; incomplete?: boolean };
}

const READ_VERBS = new Set(['get', 'list', 'watch', '*']);

/** Namespace names granted by name (e.g. `get namespaces` with resourceNames) in the review. */
export function namespacesFromRules(rules: readonly ResourceRule[]): string[] {
  const names = new Set<string>();
  for (const rule of rules) {
    const coreGroup = (rule.apiGroups ?? []).some((g) => g === '' || g === '*');
    const onNamespaces = (rule.resources ?? []).some((r) => r === 'namespaces' || r === '*');
    const reads = (rule.verbs ?? []).some((v) => READ_VERBS.has(v));
    if (coreGroup && onNamespaces && reads) for (const n of rule.resourceNames ?? []) names.add(n);
  }
  return [...names];
}

/** Asks the API server what this user may do in `namespace`; failures yield no names. */
export async function namespacesFromRulesReview(
  http: KubeHttp,
  namespace: string,
): Promise<{ names: string[]; error: string | null }> {
  try {
    const review = await http.getJson<RulesReview>('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
    });
    return { names: namespacesFromRules(review.status?.resourceRules ?? []), error: null };
  } catch (err) {
    return { names: [], error: `SelfSubjectRulesReview failed: ${(err as Error).message}` };
  }
}

export function uniqueSorted(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => n !== '').sort();
}
