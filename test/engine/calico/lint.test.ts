import { describe, expect, it } from 'vitest';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { lintCalico } from '../../../src/engine/calico/lint.js';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: b, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
`;

function gnp(name: string, spec: string, kind = 'GlobalNetworkPolicy'): string {
  return `---\napiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
}

function codes(yaml: string): string[] {
  return lintCalico(snapshotFromYaml(POD + yaml)).map((f) => `${f.code} ${f.object?.name ?? ''}`);
}

describe('Calico lint', () => {
  it('a selector that selects no pod', () => {
    expect(codes(gnp('nobody', 'selector: app == "nope"\ningress: [{action: Allow}]'))).toContain(
      'selector-matches-nothing nobody',
    );
    expect(codes(gnp('web', 'selector: app == "web"\ningress: [{action: Allow}]'))).toEqual([]);
  });

  it('rules after a catch-all rule of the same policy', () => {
    expect(codes(gnp('p', 'selector: all()\ningress: [{action: Deny}, {action: Allow, protocol: TCP}]'))).toContain(
      'calico-rule-shadowed p',
    );
    expect(codes(gnp('p', 'selector: all()\ningress: [{action: Log}, {action: Deny}]'))).toEqual([]);
  });

  // tiered-policy docs: a Pass in the last tier goes to the profiles
  it('Pass in the last tier', () => {
    const yaml =
      '---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: late}\nspec: {order: 20000000}\n' +
      gnp('late.p', 'tier: late\nselector: all()\ningress: [{action: Pass}]');
    expect(codes(yaml)).toContain('calico-pass-in-last-tier late.p');
    const early =
      '---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: early}\nspec: {order: 10}\n' +
      gnp('early.p', 'tier: early\nselector: all()\ningress: [{action: Pass}]') +
      gnp('d', 'selector: all()\ningress: [{action: Allow}]');
    expect(codes(early)).toEqual([]);
  });

  it('a default-deny GlobalNetworkPolicy without DNS egress', () => {
    expect(codes(gnp('deny', 'selector: all()\ntypes: [Ingress, Egress]'))).toContain(
      'calico-default-deny-without-dns deny',
    );
    const dns =
      'selector: all()\ntypes: [Ingress, Egress]\negress: [{action: Allow, protocol: UDP, destination: {ports: [53]}}]';
    expect(codes(gnp('deny', dns))).toEqual([]);
  });

  it('a staged policy that would deny traffic allowed today', () => {
    const staged = gnp(
      'lockdown',
      'order: 1\nselector: app == "web"\ningress: [{action: Deny}]',
      'StagedGlobalNetworkPolicy',
    );
    expect(codes(gnp('allow', 'selector: all()\ningress: [{action: Allow}]') + staged)).toContain(
      'calico-staged-would-deny lockdown',
    );
  });

  it('policies with and without order in one tier', () => {
    const yaml =
      gnp('ordered', 'order: 10\nselector: all()\ningress: [{action: Allow}]') +
      gnp('unordered', 'selector: all()\ningress: [{action: Allow}]');
    expect(codes(yaml)).toContain('calico-mixed-order unordered');
  });
});
