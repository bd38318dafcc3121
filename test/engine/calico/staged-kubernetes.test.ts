/**
 * StagedKubernetesNetworkPolicy: a shadow, placed as the Kubernetes NetworkPolicy it stages. Sources:
 * projectcalico/calico@87c15906f20c4ca1fda55af92295e7678b0cc0b2
 * - api/pkg/apis/projectcalico/v3/stagedkubernetesnetworkpolicy.go: the spec is a NetworkPolicy's
 *   plus stagedAction (default Set); ConvertStagedKubernetesPolicyToK8SEnforced copies metadata and spec;
 * - libcalico-go/lib/backend/syncersv1/updateprocessors/stagedkubernetesnetworkpolicyprocessor.go:
 *   felix gets it converted by K8sNetworkPolicyToCalico (tier default, order 1000), kind
 *   StagedKubernetesNetworkPolicy;
 * - https://docs.tigera.io/calico/latest/network-policy/staged-network-policies: staged policies
 *   are reported, never enforced.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, findingsOfYaml, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Explanation } from '../../../src/engine/explanation.js';
import { lintCalico } from '../../../src/engine/calico/lint.js';

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec: {containers: [{name: s, image: x, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.2}
`;

const ALLOW_FROM_A = `ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}}]}]`;
const ONLY_FROM_C = `ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}}]}]`;

function np(name: string, spec: string, kind = 'NetworkPolicy', apiVersion = 'networking.k8s.io/v1'): string {
  return `---
apiVersion: ${apiVersion}
kind: ${kind}
metadata: {name: ${name}, namespace: b}
spec:
  podSelector: {matchLabels: {app: server}}
  ${spec.replace(/\n/g, '\n  ')}
`;
}

const sknp = (name: string, spec: string) => np(name, spec, 'StagedKubernetesNetworkPolicy', 'projectcalico.org/v3');

function ingress(yaml: string): Explanation {
  return explainOk(snapshotFromYaml(PODS + yaml), { src: 'a/client', dst: 'b/server', port: 8080 });
}

function ingressPolicies(e: Explanation) {
  return e.steps.find((s) => s.layer === 'networkpolicy-ingress')?.policies ?? [];
}

describe('StagedKubernetesNetworkPolicy', () => {
  it('is a shadow ending the default tier, never deciding, and no longer an unmodelled policy', () => {
    const e = ingress(sknp('lock', ONLY_FROM_C));
    expect(e.verdict).toBe('allowed');
    expect(e.conditions.filter((c) => c.code === 'unmodelled-policy')).toEqual([]);
    const shadow = ingressPolicies(e).find((p) => p.effect?.startsWith('shadow'));
    expect(shadow).toMatchObject({
      kind: 'StagedKubernetesNetworkPolicy',
      namespace: 'b',
      name: 'lock',
      tier: 'default',
      effect: 'shadow-end-of-tier',
      ruleRef: 'StagedKubernetesNetworkPolicy:b/lock:ingress[-1]',
    });
  });

  it('with Set, stands in for the enforced NetworkPolicy of the same name', () => {
    const e = ingress(np('web', ALLOW_FROM_A) + sknp('web', ONLY_FROM_C));
    expect(e.verdict).toBe('allowed');
    expect(e.decidedBy?.policy?.ruleRef).toBe('NetworkPolicy:b/web:ingress[0]');
    expect(ingressPolicies(e).find((p) => p.effect?.startsWith('shadow'))?.ruleRef).toBe(
      'StagedKubernetesNetworkPolicy:b/web:ingress[-1]',
    );
  });

  it('deciding as today, adds no shadow', () => {
    const e = ingress(np('web', ALLOW_FROM_A) + sknp('other', ALLOW_FROM_A));
    expect(e.decidedBy?.policy?.ruleRef).toBe('NetworkPolicy:b/web:ingress[0]');
    expect(ingressPolicies(e).filter((p) => p.effect?.startsWith('shadow'))).toEqual([]);
  });

  it('with Delete, removes the enforced NetworkPolicy from the staged walk', () => {
    const e = ingress(np('web', ONLY_FROM_C) + sknp('web', 'stagedAction: Delete'));
    expect(e.verdict).toBe('denied');
    expect(ingressPolicies(e).find((p) => p.effect?.startsWith('shadow'))).toMatchObject({
      kind: 'Profile',
      effect: 'shadow-allowed',
    });
  });

  it('honours policyTypes: an Egress-only staged policy has no say on ingress', () => {
    const e = ingress(sknp('egress-only', 'policyTypes: [Egress]'));
    expect(ingressPolicies(e).filter((p) => p.effect?.startsWith('shadow'))).toEqual([]);
  });

  it('lint: a staged Kubernetes policy that would deny traffic allowed today', () => {
    const findings = lintCalico(snapshotFromYaml(PODS + sknp('lock', ONLY_FROM_C)));
    const f = findings.find((x) => x.code === 'calico-staged-would-deny');
    expect(f?.object).toEqual({ kind: 'StagedKubernetesNetworkPolicy', namespace: 'b', name: 'lock' });
    expect(f?.message).toContain(
      'StagedKubernetesNetworkPolicy:b/lock:ingress[-1] would deny a/client -> b/server TCP 8080',
    );
  });

  it('rejects a stagedAction other than Set or Delete, naming the kind', () => {
    const findings = findingsOfYaml(PODS + sknp('bad', 'stagedAction: Replace'));
    expect(findings.find((x) => x.field === 'spec.stagedAction')?.object?.kind).toBe('StagedKubernetesNetworkPolicy');
  });
});
