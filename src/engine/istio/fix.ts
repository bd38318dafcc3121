/**
 * Istio-side fixes: NetworkPolicies that let a sidecar reach istiod on 15012, an ALLOW
 * AuthorizationPolicy for exactly this request, a PeerAuthentication that lets a plaintext
 * client in on one port, and manual advice where narrowing a policy is a human decision (DENY
 * rules, other mTLS mismatches, JWT, ext_authz).
 */
import type { Pod } from '../../model/k8s.js';
import type { PeerAuthentication } from '../../model/istio.js';
import { rec } from '../../model/convert/istio-raw.js';
import { parseRuleRef } from '../../model/rule-ref.js';
import { createFix, fixObjectName } from '../fix-manifest.js';
import { workloadLabels } from '../workload-labels.js';
import type { Fix, PolicyMention } from '../explanation.js';
import type { AuthzAttributes } from './attributes.js';

const slug = (text: string): string => fixObjectName(text, 50);

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

/**
 * A plaintext client refused by STRICT mTLS. Istio's remedies: give the client a sidecar, or let the
 * server accept plaintext: PERMISSIVE "accepts both plaintext and mTLS", and portLevelMtls narrows it
 * to one port of the workload "(not the port of the Kubernetes service)", with mtls UNSET so every
 * other port keeps the namespace (or mesh) mode, as in the reference's "inherit mTLS mode from
 * namespace (or mesh) settings, and overwrite settings for port 8080" example
 * (https://istio.io/latest/docs/reference/config/security/peer_authentication/; the migration task
 * keeps servers PERMISSIVE while clients without sidecars remain,
 * https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/). portLevelMtls needs a
 * workload selector; when a workload-level policy already selects the pod, a second one would lose
 * to it (the oldest wins, https://istio.io/latest/docs/concepts/security/#peer-authentication), so
 * the fix rewrites that one. Null when the workload has no labels to select it by.
 */
export function permissivePortFix(
  refusal: string,
  dst: Pod,
  port: number,
  workloadPolicy: PeerAuthentication | null,
  alternative = 'or give the client a sidecar: it then sends Istio mTLS',
): Fix | null {
  const labels = workloadLabels(dst);
  if (Object.keys(labels).length === 0) return null;
  const permissive = { mode: 'PERMISSIVE' };
  if (workloadPolicy) {
    const raw = rec(workloadPolicy.raw);
    const spec = rec(raw['spec']);
    const { namespace, name } = workloadPolicy;
    return createFix(
      `${refusal}; accept plaintext on port ${port} only, in the workload-level PeerAuthentication that selects ${dst.namespace}/${dst.name} (${alternative})`,
      { kind: 'PeerAuthentication', namespace, name },
      {
        apiVersion: raw['apiVersion'] ?? 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name, namespace },
        spec: { ...spec, portLevelMtls: { ...rec(spec['portLevelMtls']), [String(port)]: permissive } },
      },
      'patch',
    );
  }
  const name = slug(`${dst.labels['app'] ?? dst.name}-permissive-${port}`);
  return createFix(
    `${refusal}; accept plaintext on port ${port} of this workload only (${alternative})`,
    { kind: 'PeerAuthentication', namespace: dst.namespace, name },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name, namespace: dst.namespace },
      spec: {
        selector: { matchLabels: labels },
        mtls: { mode: 'UNSET' },
        portLevelMtls: { [String(port)]: permissive },
      },
    },
  );
}
