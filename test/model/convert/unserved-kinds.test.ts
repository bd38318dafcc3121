/**
 * A policy kind in an apiVersion no API server serves is refused by kubectl ("no matches for
 * kind"), so it is in force nowhere. meshdbg read `security.istio.io/v2 AuthorizationPolicy` as a
 * policy (a denial the cluster never enforces), and skipped `extensions/v1beta1 NetworkPolicy`
 * (removed in Kubernetes 1.16), `kind: Authorizationpolicy`, `kind: NetworkPolicies` and
 * `apiVersion: security.istio.io` as unknown kinds, an info explain never shows, so their denials
 * went missing and explain answered "allowed". Each is now an `unserved-kind` error (exit 2).
 * Served versions: istio/api kubernetes/customresourcedefinitions.gen.yaml, network-policy-api CRDs.
 */
import { describe, expect, it } from 'vitest';
import { unservedKindReason } from '../../../src/model/convert/kinds.js';
import { snapshotFromObjects } from '../../../src/model/snapshot-from-objects.js';
import type { RawObject } from '../../../src/model/raw.js';

describe('unservedKindReason', () => {
  it.each([
    ['security.istio.io/v1', 'AuthorizationPolicy'],
    ['security.istio.io/v1beta1', 'PeerAuthentication'],
    ['security.istio.io/v1beta1', 'RequestAuthentication'],
    ['networking.istio.io/v1alpha3', 'DestinationRule'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy'],
    ['projectcalico.org/v3', 'NetworkPolicy'],
    ['crd.projectcalico.org/v1', 'NetworkPolicy'],
    ['v1', 'Pod'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['example.com/v1', 'Widget'],
    ['rbac.istio.io/v1alpha1', 'ServiceRole'],
  ])('%s %s is served (or not ours to judge)', (apiVersion, kind) => {
    expect(unservedKindReason(apiVersion, kind)).toBeNull();
  });

  it.each([
    ['security.istio.io/v2', 'AuthorizationPolicy', 'use security.istio.io/v1 or security.istio.io/v1beta1'],
    ['extensions/v1beta1', 'NetworkPolicy', 'removed in Kubernetes 1.16'],
    ['v1', 'NetworkPolicy', 'use networking.k8s.io/v1'],
    ['security.istio.io/v1', 'Authorizationpolicy', 'write kind: AuthorizationPolicy'],
    ['networking.k8s.io/v1', 'NetworkPolicies', 'write kind: NetworkPolicy'],
    ['security.istio.io', 'AuthorizationPolicy', 'write GROUP/VERSION'],
    ['v2', 'Pod', 'write GROUP/VERSION'],
  ])('%s %s is refused, with the fix', (apiVersion, kind, fix) => {
    const reason = unservedKindReason(apiVersion, kind);
    expect(reason).toContain('no matches for kind');
    expect(reason).toContain(fix);
  });
});

describe('in a Snapshot', () => {
  it('is an error with file and line, and no converter reads the object', () => {
    const raw: RawObject = {
      object: {
        apiVersion: 'security.istio.io/v2',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'deny', namespace: 'a' },
        spec: { action: 'DENY', rules: [{}] },
      },
      loc: { file: 'p.yaml', line: 3, doc: 0 },
      lines: null,
    };
    const snapshot = snapshotFromObjects([raw], null, 'test');
    expect(snapshot.istio.authorizationPolicies).toEqual([]);
    const found = snapshot.findings.filter((f) => f.code === 'unserved-kind');
    expect(found.map((f) => [f.severity, f.field, f.loc?.line])).toEqual([['error', 'apiVersion', 3]]);
    expect(found[0]?.message).toMatch(/^p\.yaml:3: AuthorizationPolicy a\/deny: security\.istio\.io\/v2 serves no/);
  });
});
