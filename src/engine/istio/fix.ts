/**
 * Istio-side fixes: NetworkPolicies that let a sidecar reach istiod on 15012, an ALLOW
 * AuthorizationPolicy for exactly this request, and manual advice where narrowing a policy
 * is a human decision (DENY rules, mTLS, JWT, ext_authz).
 */
import type { Pod } from '../../model/k8s.js';
import { parseRuleRef } from '../../model/rule-ref.js';
import { createFix } from '../fix-manifest.js';
import { workloadLabels } from '../workload-labels.js';
import type { Fix, PolicyMention } from '../explanation.js';
import type { AuthzAttributes } from './attributes.js';

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
}

function directionOf(policies: readonly PolicyMention[]): { egress: boolean; ingress: boolean } {
  const sections = policies.map((p) => {
    const ref = parseRuleRef(p.ruleRef);
    return ref?.type === 'section' || ref?.type === 'calico' ? ref.section : null;
  });
  const egress = sections.includes('egress');
  const ingress = sections.includes('ingress');
  return egress || ingress ? { egress, ingress } : { egress: true, ingress: true };
}

export function istiodFixes(side: Pod, istiod: Pod, policies: readonly PolicyMention[]): Fix[] {
  const { egress, ingress } = directionOf(policies);
  const out: Fix[] = [];
  if (egress) {
    const name = `allow-istiod-xds-${slug(side.labels['app'] ?? side.name)}`;
    out.push(
      createFix(
        `the sidecar of ${side.namespace}/${side.name} must reach istiod on TCP 15012 (xDS and certificates)`,
        { kind: 'NetworkPolicy', namespace: side.namespace, name },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name, namespace: side.namespace },
          spec: {
            podSelector: { matchLabels: workloadLabels(side) },
            policyTypes: ['Egress'],
            egress: [
              {
                to: [
                  {
                    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': istiod.namespace } },
                    podSelector: { matchLabels: workloadLabels(istiod) },
                  },
                ],
                ports: [{ protocol: 'TCP', port: 15012 }],
              },
            ],
          },
        },
      ),
    );
  }
  if (ingress) {
    const name = 'allow-xds-from-sidecars';
    out.push(
      createFix(
        `istiod must accept TCP 15012 from the sidecar of ${side.namespace}/${side.name}`,
        { kind: 'NetworkPolicy', namespace: istiod.namespace, name },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name, namespace: istiod.namespace },
          spec: {
            podSelector: { matchLabels: workloadLabels(istiod) },
            policyTypes: ['Ingress'],
            ingress: [{ ports: [{ protocol: 'TCP', port: 15012 }] }],
          },
        },
      ),
    );
  }
  return out;
}

/** A new ALLOW policy for exactly this request (principal when mTLS gives one, port, method, path). */
export function allowFix(dst: Pod, a: AuthzAttributes, sourceName: string): Fix {
  const name = slug(`allow-${sourceName}-to-${dst.labels['app'] ?? dst.name}-${a.port}`);
  const operation: Record<string, readonly string[]> = { ports: [String(a.port)] };
  if (a.http && a.method) operation['methods'] = [a.method];
  if (a.http && a.path) operation['paths'] = [a.path.split('?')[0] ?? a.path];
  const rule: Record<string, unknown> = { to: [{ operation }] };
  if (a.principal) rule['from'] = [{ source: { principals: [a.principal] } }];
  else if (a.sourceIp) rule['from'] = [{ source: { ipBlocks: [a.sourceIp] } }];
  const who = a.principal
    ? `principal ${a.principal}`
    : a.sourceIp
      ? `source IP ${a.sourceIp} (no mTLS, so no principal)`
      : 'any source (no mTLS and no source IP: consider enabling mTLS)';
  return createFix(
    `no ALLOW rule matches; allow ${who} on port ${a.port}${operation['methods'] ? ` ${a.method ?? ''}` : ''}${operation['paths'] ? ` ${operation['paths'][0] ?? ''}` : ''}`,
    { kind: 'AuthorizationPolicy', namespace: dst.namespace, name },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name, namespace: dst.namespace },
      spec: { selector: { matchLabels: workloadLabels(dst) }, action: 'ALLOW', rules: [rule] },
    },
  );
}

export function manualFix(why: string, target: Fix['target'], text: string): Fix {
  return { why, action: 'manual', target, yaml: text };
}
