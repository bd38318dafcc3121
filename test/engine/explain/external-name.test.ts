/**
 * A destination Service of type ExternalName is a DNS CNAME, no address of its own: the client
 * connects to what spec.externalName resolves to, with no proxying and no port mapping
 * (https://kubernetes.io/docs/concepts/services-networking/service/#externalname). A cluster
 * Service name (`NAME.NS.svc.DOMAIN`) resolves as cluster DNS resolves it
 * (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#services); any other
 * name only through --resolve.
 */
import { describe, expect, it } from 'vitest';
import { explainError, explainOk, networkVerdict, snapshotFromYaml } from '../../helpers/snapshot.js';

const WORLD = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: web}]}
status: {podIP: 10.0.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: data, labels: {app: db}}
spec: {containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]}
status: {podIP: 10.0.1.7}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec: {selector: {app: db}, clusterIP: 10.96.0.20, ports: [{name: tcp-pg, port: 5432, targetPort: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {type: ExternalName, externalName: db.data.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: db-alias, namespace: shop}
spec: {type: ExternalName, externalName: db.shop.svc.cluster.local.}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: shop}
spec: {type: ExternalName, externalName: api.payments.example.com}
---
apiVersion: v1
kind: Service
metadata: {name: loop-a, namespace: shop}
spec: {type: ExternalName, externalName: loop-b.shop.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: loop-b, namespace: shop}
spec: {type: ExternalName, externalName: loop-a.shop.svc}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
    ports: [{port: 443}]
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: data}}}]
    ports: [{port: 5432}]
`;

describe('explain to an ExternalName Service', () => {
  const snapshot = snapshotFromYaml(WORLD);

  it('a cluster Service name: the flow is to that Service and its pods', () => {
    const e = explainOk(snapshot, { src: 'shop/web', dst: 'shop/db', port: 5432 });
    expect(e.destination).toMatchObject({ namespace: 'data', resolvedFrom: 'service' });
    expect(networkVerdict(e)).toEqual({ egress: 'allowed', ingress: 'allowed' });
    expect(e.notes.join('\n')).toContain(
      'ExternalName shop/db -> db.data.svc.cluster.local: the client reaches Service data/db',
    );
  });

  it('a chain of ExternalName Services (and a trailing dot) is followed to the end', () => {
    const e = explainOk(snapshot, { src: 'shop/web', dst: 'shop/db-alias', port: 5432 });
    expect(e.destination).toMatchObject({ namespace: 'data' });
    expect(e.notes.join('\n')).toContain(
      'shop/db-alias -> db.shop.svc.cluster.local, shop/db -> db.data.svc.cluster.local',
    );
  });

  it('an outside name with --resolve: the flow is to that address, under the ipBlocks', () => {
    const inside = explainOk(snapshot, {
      src: 'shop/web',
      dst: 'shop/payments',
      port: 443,
      resolve: { 'api.payments.example.com': ['203.0.113.9', '203.0.113.10'] },
    });
    expect(inside.destination).toMatchObject({ resolvedFrom: 'ip', ip: '203.0.113.9' });
    expect(networkVerdict(inside).egress).toBe('allowed');
    expect(inside.notes.join('\n')).toContain('evaluated to 203.0.113.9 (--resolve); 1 more address(es) not evaluated');
    const outside = explainOk(snapshot, {
      src: 'shop/web',
      dst: 'shop/payments',
      port: 443,
      resolve: { 'api.payments.example.com': ['198.51.100.1'] },
    });
    expect(networkVerdict(outside).egress).toBe('denied');
  });

  it('an outside name without --resolve: an error that says how to ask', () => {
    const e = explainError(snapshot, { src: 'shop/web', dst: 'shop/payments', port: 443 });
    expect(e.code).toBe('bad-query');
    expect(e.message).toContain('type ExternalName for api.payments.example.com');
    expect(e.message).toContain('--resolve api.payments.example.com=IP');
  });

  it('an IPv4 address as externalName: no DNS server resolves it, so it is refused with the address to ask instead', () => {
    const ip = snapshotFromYaml(
      `${WORLD}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: raw, namespace: shop}\nspec: {type: ExternalName, externalName: 203.0.113.9}\n`,
    );
    const e = explainError(ip, {
      src: 'shop/web',
      dst: 'shop/raw',
      port: 443,
      resolve: { '203.0.113.9': ['203.0.113.9'] },
    });
    expect(e.message).toContain('203.0.113.9, an IP address: DNS servers do not resolve it');
  });

  it('a loop of ExternalName Services ends in an error, not a hang', () => {
    const e = explainError(snapshot, { src: 'shop/web', dst: 'shop/loop-a', port: 80 });
    expect(e.message).toContain('a loop');
  });

  it('a cluster Service name not in the input: add it or --resolve', () => {
    const gone = snapshotFromYaml(
      `${WORLD}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: old, namespace: shop}\nspec: {type: ExternalName, externalName: gone.data.svc.cluster.local}\n`,
    );
    const e = explainError(gone, { src: 'shop/web', dst: 'shop/old', port: 80 });
    expect(e.message).toContain('a Service that is not in the input');
  });
});
