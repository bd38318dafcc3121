/**
 * A field of the wrong type is quoted in its finding as the value it is: a list or a map was
 * shown through String(), so `mode: [STRICT]` read `mTLS mode "STRICT" is not UNSET, DISABLE,
 * PERMISSIVE or STRICT` and a map `"[object Object]"`.
 */
import { describe, expect, it } from 'vitest';
import { quotedValue } from '../../../src/util/cut-text.js';
import { findingsOfYaml } from '../../helpers/snapshot.js';

const messages = (yaml: string): string[] => findingsOfYaml(yaml).map((f) => f.message);

describe('wrong-typed values in findings', () => {
  it('NetworkPolicy policyTypes, protocol and except entries', () => {
    const all = messages(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: x, namespace: a}
spec:
  podSelector: {}
  policyTypes: [{a: 1}]
  ingress:
  - ports: [{protocol: [TCP], port: 80}]
    from: [{ipBlock: {cidr: 10.0.0.0/8, except: [[10.1.0.0/16]]}}]
`);
    expect(all).toContainEqual(expect.stringContaining('spec.policyTypes[0]: {"a":1} must be Ingress or Egress'));
    expect(all).toContainEqual(expect.stringContaining('protocol: ["TCP"] is not a supported protocol'));
    expect(all).toContainEqual(expect.stringContaining('except[0]: ["10.1.0.0/16"] is not a valid CIDR'));
    expect(all.join('\n')).not.toContain('[object Object]');
  });

  it('NetworkPolicy endPort: a string or fraction is named as such, a number out of range by its range', () => {
    const all = messages(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: x, namespace: a}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: 80, endPort: "90"}, {port: 80, endPort: 90.5}, {port: 80, endPort: 70}]
`);
    expect(all).toContainEqual(
      expect.stringContaining(
        'ports[0].endPort: "90" is not a whole number; endPort must be a number between port (80) and 65535, unquoted',
      ),
    );
    expect(all).toContainEqual(expect.stringContaining('ports[1].endPort: 90.5 is not a whole number'));
    expect(all).toContainEqual(
      expect.stringContaining('ports[2].endPort: 70 must be a number between port (80) and 65535'),
    );
  });

  it('Istio enums: AuthorizationPolicy action, PeerAuthentication mode', () => {
    const all = messages(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: x, namespace: a}
spec: {action: [ALLOW], rules: [{}]}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: x, namespace: a}
spec: {mtls: {mode: [STRICT]}}
`);
    expect(all).toContainEqual(expect.stringContaining('spec.action: ["ALLOW"] is not ALLOW, DENY, AUDIT or CUSTOM'));
    expect(all).toContainEqual(
      expect.stringContaining('mTLS mode ["STRICT"] is not UNSET, DISABLE, PERMISSIVE or STRICT'),
    );
  });

  it('a string keeps its quotes, escaped; a long value is cut', () => {
    expect(quotedValue('BLOCK')).toBe('"BLOCK"');
    expect(quotedValue('a\u001bb')).toBe('"a\\u001bb"');
    expect(quotedValue(5)).toBe('5');
    expect(quotedValue(null)).toBe('null');
    expect(quotedValue('x'.repeat(1000)).length).toBeLessThan(260);
  });
});
