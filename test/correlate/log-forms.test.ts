/**
 * What each log form means, asserted field by field on the corpus (test/fixtures/logs/real and
 * constructed, provenance beside each file) and on small Snapshots.
 */
import { describe, expect, it } from 'vitest';
import { formatDenialLine } from '../../src/commands/denials.js';
import { corpusDir, corpusLines, runCorpusLines } from './corpus.js';
import { snapshotFromYaml } from '../helpers/snapshot.js';

const real = (name: string) => runCorpusLines(corpusLines(`${corpusDir('real')}${name}.log`));
const constructed = (name: string) => runCorpusLines(corpusLines(`${corpusDir('constructed')}${name}.log`));

const WORLD = `
apiVersion: v1
kind: Pod
metadata: {name: httpbin-74fb669cc6-lpscm, namespace: foo, labels: {app: httpbin}}
spec: {containers: [{name: httpbin, image: x, ports: [{containerPort: 80}]}, {name: istio-proxy, image: proxyv2}]}
status: {podIP: 192.168.24.67}
---
apiVersion: v1
kind: Pod
metadata: {name: socket-server, namespace: foo, labels: {app: socket-server}}
spec: {containers: [{name: server, image: x, ports: [{containerPort: 50000}]}, {name: istio-proxy, image: proxyv2}]}
status: {podIP: 10.1.2.188}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict, namespace: foo}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  action: CUSTOM
  provider: {name: missing-provider}
  rules: [{to: [{operation: {paths: ["/headers"]}}]}]
`;

describe('RBAC lines that name no policy', () => {
  it('an old `enforced denied` is "not logged", never "matched policy none"', () => {
    const { denials } = real('old-enforced-denied');
    expect(denials.map((d) => d.count)).toEqual([1, 2]);
    for (const d of denials) {
      expect(d).toMatchObject({ layer: null, policyId: null, attribution: 'unknown', confidence: 'certain' });
      const line = formatDenialLine(d);
      expect(line).not.toContain('ALLOW policies: no rule matched');
      expect(line).toContain('policy not logged by this Envoy');
    }
    expect(denials[0]?.time).toBeNull(); // `[timestamp]` placeholder
    expect(denials[1]?.request).toMatchObject({ protocol: 'TCP', port: 15090 });
  });

  it('`matched policy none` is the ALLOW miss', () => {
    const { denials } = real('matched-policy-none');
    expect(denials[0]).toMatchObject({ layer: 'authz-allow', policyId: null, count: 2 });
    expect(formatDenialLine(denials[0]!)).toContain('ALLOW policies: no rule matched');
  });

  it("default-deny-all-due-to-bad-CUSTOM-action is istiod's stand-in for a CUSTOM policy with a bad provider", () => {
    const [d] = real('bad-custom-action').denials;
    expect(d?.layer).toBe('authz-custom');
    expect(d?.reason).toContain('CUSTOM policy whose ext_authz provider is missing or invalid');
    expect(d?.reason).not.toContain('EnvoyFilter');
    const withSnapshot = runCorpusLines(
      corpusLines(`${corpusDir('constructed')}tool-prefixes.log`).slice(0, 1),
      snapshotFromYaml(WORLD),
    ).denials[0];
    expect(withSnapshot).toMatchObject({
      attribution: 'inferred',
      ruleRef: 'AuthorizationPolicy:foo/ext-authz',
      reporter: { kind: 'sidecar', pod: 'httpbin-74fb669cc6-lpscm' },
    });
  });
});

describe('access-log forms', () => {
  it('NR filter_chain_not_found is an mtls denial tied to the STRICT PeerAuthentication', () => {
    const bare = real('nr-filter-chain-not-found').denials;
    expect(bare.map((d) => [d.cause, d.layer, d.count])).toEqual([
      ['mtls', 'mtls', 2],
      ['mtls', 'mtls', 1],
    ]);
    const [d] = runCorpusLines(
      corpusLines(`${corpusDir('real')}nr-filter-chain-not-found.log`),
      snapshotFromYaml(WORLD),
    ).denials;
    expect(d).toMatchObject({ attribution: 'inferred', policy: { kind: 'PeerAuthentication', name: 'strict' } });
    expect(d?.reason).toContain('STRICT mTLS (PeerAuthentication foo/strict)');
  });

  it('401/403 without details are likely denials; Mixer-era, 1.8, plain Envoy and JSON columns line up', () => {
    const { denials } = constructed('access-log-eras');
    expect(denials.map((d) => [d.cause, d.confidence, d.request.status])).toEqual([
      ['rbac', 'likely', 403],
      ['jwt', 'likely', 401],
      ['rbac', 'likely', 403],
      ['ext-authz', 'certain', 403],
      ['rbac', 'certain', 403],
      ['rbac', 'certain', 403],
    ]);
    expect(denials[0]?.request).toMatchObject({ method: 'GET', path: '/productpage', port: 9080 });
    expect(denials[2]?.reporter?.kind).toBe('envoy');
    expect(denials[4]).toMatchObject({ attribution: 'exact', ruleRef: 'ns[foo]-policy[deny-admin]-rule[0]' });
    expect(denials[5]).toMatchObject({ layer: 'authz-allow', request: { method: 'POST', path: '/admin' } });
  });

  it('ext_authz trace line, its local reply and UAEX are authz-custom denials', () => {
    const [d, ...rest] = real('ext-authz-trace').denials;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ cause: 'ext-authz', layer: 'authz-custom', request: { status: 500 } });
    expect(d?.evidence).toHaveLength(2);
  });

  it("older Envoy's `filter`-logger ext_authz line and the plain 401 after it are one ext_authz denial", () => {
    const [d, ...rest] = real('envoy-ext-authz-401-plain').denials;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ cause: 'ext-authz', confidence: 'certain', request: { status: 401 } });
    expect(d?.evidence).toHaveLength(2);
  });

  it('a waypoint reports with its own name', () => {
    expect(constructed('waypoint-deny').denials[0]?.reporter?.kind).toBe('waypoint');
  });
});

describe('tool prefixes', () => {
  it('kubectl --prefix, --timestamps, stern and journald are stripped; the pod is the reporter', () => {
    const { denials } = constructed('tool-prefixes');
    expect(denials.map((d) => [d.cause, d.reporter?.pod ?? null])).toEqual([
      ['rbac', 'httpbin-74fb669cc6-lpscm'],
      ['mtls', null],
      ['mtls', 'socket-server-7f9c6d5b8-x2x4q'],
      ['ztunnel', null],
    ]);
    expect(denials[1]?.time).toBe('2023-02-21T19:45:06.559Z');
  });
});

describe('ztunnel', () => {
  it('names the policy, counts the connection once for both ztunnels, and keeps dry-run as shadow', () => {
    const { denials } = constructed('ztunnel-forms');
    expect(denials.map((d) => [d.ruleRef, d.enforcement, d.attribution, d.count])).toEqual([
      ['AuthorizationPolicy:default/deny-reviews', 'enforced', 'policy', 1],
      ['AuthorizationPolicy:default/deny-ratings', 'enforced', 'policy', 1],
      ['AuthorizationPolicy:default/dry-run-deny', 'shadow', 'policy', 1],
    ]);
    expect(denials[0]?.evidence).toHaveLength(2);
    expect(denials[0]?.reporter?.kind).toBe('ztunnel');
  });

  it('early ztunnel (1.18): `RBAC rejected` and the `401` of the same span are one connection; three connections counted', () => {
    const [d, ...rest] = real('ztunnel-1.18-rbac-rejected').denials;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      cause: 'ztunnel',
      layer: null,
      attribution: 'unknown',
      count: 3,
      request: { port: 9080 },
    });
    expect(d?.evidence).toHaveLength(2);
  });

  it('a NAMESPACE POD CONTAINER prefix names the ztunnel; a rejection without a reason is still a denial', () => {
    const [d] = real('ztunnel-1.23-stern-prefix').denials;
    expect(d).toMatchObject({
      cause: 'ztunnel',
      reporter: { kind: 'ztunnel', pod: 'ztunnel-dckfd' },
      destination: { name: 'jaeger-query-56d575c9fc-zqbvj', namespace: 'jaeger-system' },
      request: { port: 16686 },
    });
  });

  it('reads pretty-printed JSON records and the allow-miss text', () => {
    expect(real('ztunnel-json-pretty').denials[0]).toMatchObject({
      cause: 'ztunnel',
      layer: 'authz-allow',
      destination: { namespace: 'default', name: 'http-server-6cbcc86f5d-rfbvw' },
    });
    expect(real('ztunnel-text').denials.map((d) => d.layer)).toEqual(['authz-allow', 'authz-allow']);
  });
});

describe('Calico', () => {
  it('flows name tier, policy and rule (-1: end of tier for Calico kinds)', () => {
    const { denials } = constructed('calico-forms');
    expect(denials.map((d) => [d.ruleRef, d.tier ?? null, d.attribution])).toEqual([
      ['NetworkPolicy:b/default-deny:ingress', 'default', 'exact'],
      ['GlobalNetworkPolicy:security.block-db:egress[0]', 'security', 'exact'],
      ['NetworkPolicy:policy-demo/default-deny:ingress', 'default', 'exact'],
      ['CalicoNetworkPolicy:shop/security.block-db:ingress[0]', 'security', 'exact'],
    ]);
  });

  it('a pretty-printed Enterprise flow log (trailing comma and all): allowed, but its staged policy would deny it (shadow)', () => {
    const [d, ...rest] = real('calico-enterprise-flow').denials;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      enforcement: 'shadow',
      tier: 'tier2',
      ruleRef: 'StagedNetworkPolicy:ns2/tier1.policy1:ingress[1]',
      request: { port: 80 },
    });
  });

  it('eBPF DENIED is a denial, ALLOWED is not; an iptables LOG line is a likely one', () => {
    const bpf = real('calico-ebpf-verdict').denials;
    expect(bpf.map((d) => [d.layer, d.request.port])).toEqual([['networkpolicy-egress', 8055]]);
    expect(real('calico-iptables-log').denials[0]).toMatchObject({ confidence: 'likely', request: { port: 22 } });
  });
});

describe('never a silent drop', () => {
  it('reports lines that carry a denial marker and were not understood, and only those', () => {
    const r = runCorpusLines([
      'some application line',
      '2024-01-01 10:00:00 myproxy: request to /admin denied by policy X',
      'GET /x returned 403 Forbidden',
      '{"level":"info","msg":"all good"}',
    ]);
    expect(r.denials).toEqual([]);
    expect(r.unrecognized.map((u) => u.lineNo)).toEqual([2, 3]);
  });

  it('an unfinished pretty-printed record that carries a denial is reported at its first line', () => {
    const r = runCorpusLines(['{', '  "action": "deny",', '  "reporter": "dst",']);
    expect(r.unrecognized.map((u) => u.lineNo)).toEqual([1]);
  });
});
