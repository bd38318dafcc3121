/**
 * Edges of the log forms the real corpus (test/fixtures/logs/real, provenance beside each file)
 * showed: each case takes a real line and changes one thing the source describes, so the rule
 * behind the golden is pinned on its own.
 */
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusLines, runCorpusLines } from './corpus.js';

const real = (name: string): string[] => corpusLines(`${corpusDir('real')}${name}.log`);

describe('kube-router NFLOG packets (ulogd syslogemu)', () => {
  const [policyLine, podChainLine] = real('k3s-kube-router-nflog-ulogd') as [string, string];

  it('a k3s `DROP by policy` line alone is likely: another policy may still allow the packet (k3s-io/k3s#9032)', () => {
    const { denials } = runCorpusLines([policyLine]);
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({
      cause: 'kube-router',
      confidence: 'likely',
      attribution: 'policy',
      policy: { kind: 'NetworkPolicy', namespace: 'default', name: 'test-network-policy', rule: null },
      layer: null,
      count: 1,
    });
  });

  it("the pod chain's copy of the same packet makes it certain and is no second denial", () => {
    const { denials } = runCorpusLines([policyLine, podChainLine]);
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({ confidence: 'certain', count: 1 });
    expect(denials[0]?.evidence).toHaveLength(2);
  });

  it('a copy of another packet (other IP ID) is not merged into the first', () => {
    const other = podChainLine.replace('ID=18210', 'ID=18211');
    const { denials } = runCorpusLines([policyLine, other]);
    expect(denials.map((d) => [d.confidence, d.policy?.name ?? null])).toEqual([
      ['likely', 'test-network-policy'],
      ['likely', null],
    ]);
  });

  it('a kernel `LOG` line (a `kernel:` tag, no NFLOG) stays a Calico Log rule hit', () => {
    const kernel = podChainLine.replace(
      'ip-172-31-34-84  IN=',
      'ip-172-31-34-84 kernel: [158271.044316] calico-packet: IN=',
    );
    const { denials } = runCorpusLines([kernel]);
    expect(denials[0]).toMatchObject({ cause: 'calico-log', time: 'Nov  3 16:23:17', reporter: { kind: 'calico' } });
  });
});

describe('ztunnel forms', () => {
  it('1.29 `dry-run deny policy match` and 1.30 `dry-run: deny policy match` are the same shadow denial', () => {
    const [line] = real('ztunnel-1.29-dry-run-deny') as [string];
    const renamed = line.replace('dry-run deny policy match', 'dry-run: deny policy match');
    for (const l of [line, renamed]) {
      const { denials } = runCorpusLines([l]);
      expect(denials[0]).toMatchObject({
        enforcement: 'shadow',
        layer: 'authz-deny',
        policyId: 'server/dry-run-example',
      });
    }
  });

  it('the HBONE connect timeout is a likely NetworkPolicy drop, never a named policy (istio/ztunnel#1229)', () => {
    const { denials } = runCorpusLines(real('ztunnel-hbone-timeout-networkpolicy'));
    expect(denials[0]).toMatchObject({ cause: 'upstream-failure', confidence: 'likely', policy: null, layer: null });
    expect(denials[0]?.reason).toContain('consistent with a DROP-style NetworkPolicy');
  });

  it('a timed-out connection that names no NetworkPolicy hint is no denial', () => {
    const [line] = real('ztunnel-hbone-timeout-networkpolicy') as [string];
    const other = line.replace(/error="[^"]*"/, 'error="connection timed out"');
    expect(runCorpusLines([other]).denials).toEqual([]);
  });
});

describe('who printed an access-log denial', () => {
  const [line] = real('istio-egress-gateway-403') as [string];

  it('an RBAC denial routed to an outbound| cluster comes from a gateway', () => {
    expect(runCorpusLines([line]).denials[0]?.reporter?.kind).toBe('gateway');
  });

  it('the same denial on an inbound| cluster comes from a sidecar', () => {
    const inbound = line.replace('outbound|443||developer.yahoo.com', 'inbound|8080||');
    expect(runCorpusLines([inbound]).denials[0]?.reporter?.kind).toBe('sidecar');
  });
});

describe('terminal colour from tools', () => {
  it('stern --color=always (SGR around namespace, pod and container) reads like the uncoloured line', () => {
    // stern/stern's default template colours the pod and container names with ECMA-48 SGR sequences
    const [line] = real('ztunnel-1.23-stern-prefix') as [string];
    const coloured = line.replace(
      'istio-system ztunnel-dckfd istio-proxy ',
      '\u001b[36mistio-system\u001b[0m \u001b[32mztunnel-dckfd\u001b[0m \u001b[33mistio-proxy\u001b[0m ',
    );
    const plain = runCorpusLines([line]).denials;
    const fromColoured = runCorpusLines([coloured]).denials;
    expect(plain).toHaveLength(1);
    expect(fromColoured.map((d) => ({ ...d, evidence: [] }))).toEqual(plain.map((d) => ({ ...d, evidence: [] })));
  });
});

describe('which RBAC filter decided, when no `checking ...` line was joined', () => {
  const [, , networkDenied] = real('envoy-2019-network-rbac') as [string, string, string];

  it('the network filter (filters/network/rbac) closes the connection: TCP, no HTTP status', () => {
    expect(runCorpusLines([networkDenied]).denials[0]?.request).toMatchObject({ protocol: 'TCP', status: null });
  });

  it('the HTTP filter (filters/http/rbac) answers 403', () => {
    const http = networkDenied.replace('filters/network/rbac', 'filters/http/rbac');
    expect(runCorpusLines([http]).denials[0]?.request).toMatchObject({ protocol: 'HTTP', status: 403 });
  });
});

describe('kubetail prefix', () => {
  it('`[POD CONTAINER] ` (kubetail, as in istio/istio#14969) names the reporting pod and is stripped', () => {
    const [line] = real('istio-egress-gateway-403') as [string];
    const [plain] = runCorpusLines([line]).denials;
    const [prefixed] = runCorpusLines([`[istio-egressgateway-5cd88b84d8-ghb89 istio-proxy] ${line}`]).denials;
    expect(prefixed?.reporter).toEqual({ kind: 'gateway', pod: 'istio-egressgateway-5cd88b84d8-ghb89' });
    expect(prefixed?.ruleRef).toBe(plain?.ruleRef);
    expect(prefixed?.request).toEqual(plain?.request);
  });

  it('an access-log or Envoy time in brackets is no kubetail prefix', () => {
    const lines = real('envoy-2019-network-rbac');
    expect(runCorpusLines(lines).denials[0]?.reporter?.pod).toBeNull();
  });
});

describe('Mixer telemetry entries (Istio 1.0-1.4, permissive mode)', () => {
  const [shadow, allowed, forbidden] = real('istio-1.2-mixer-accesslog-permissive') as [string, string, string];

  it('`permissiveResponseCode: denied` with a 200 is a shadow denial, never an enforced one', () => {
    const { denials } = runCorpusLines([shadow]);
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({
      enforcement: 'shadow',
      confidence: 'certain',
      policyId: null,
      source: { namespace: 'istio-system', name: 'istio-ingressgateway-766f5fd7c9-775qh' },
      destination: { namespace: 'default', name: 'productpage-v1-6f7f6fd5bf-hfnw2' },
      request: { method: 'GET', path: '/productpage', status: 200 },
    });
  });

  it('a permissive `allowed` with a 200 is no denial', () => {
    expect(runCorpusLines([allowed]).denials).toEqual([]);
  });

  it('a 403 the destination reported is enforced whatever the permissive verdict; the source report of it is not a second one', () => {
    const { denials } = runCorpusLines([forbidden]);
    expect(denials[0]).toMatchObject({ enforcement: 'enforced', confidence: 'likely', request: { status: 403 } });
    const fromSource = forbidden.replace('"reporter":"destination"', '"reporter":"source"');
    expect(runCorpusLines([forbidden, fromSource]).denials.map((d) => d.count)).toEqual([1]);
  });

  it('the rbacsamplelog names the peers by principal and app label only', () => {
    const [first] = runCorpusLines(real('istio-1.1-mixer-rbacsamplelog')).denials;
    expect(first).toMatchObject({
      enforcement: 'shadow',
      source: { kind: 'ServiceAccount', namespace: 'default', name: 'bookinfo-reviews' },
      destination: { kind: 'App', name: 'ratings' },
      request: { protocol: 'HTTP', status: 200 },
    });
  });
});

describe('a waypoint denial names the Service it enforced for', () => {
  const lines = real('waypoint-json-pretty-rbac-deny');

  it('from its `inbound-vip|PORT|PROTO|HOST` cluster when nothing resolves the VIP', () => {
    const { denials } = runCorpusLines(lines);
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({
      reporter: { kind: 'waypoint' },
      ruleRef: 'ns[default]-policy[layer7-authz]-rule[0]',
      destination: { kind: 'Service', namespace: 'default', name: 'handson', ip: '10.96.188.110' },
      request: { method: 'POST', path: '/', port: 8080, status: 403 },
    });
  });

  it("a sidecar's `inbound|PORT||` cluster names no Service: the destination stays the address", () => {
    const sidecar = lines.map((l) =>
      l.replace('inbound-vip|8080|http|handson.default.svc.cluster.local', 'inbound|8080||'),
    );
    expect(runCorpusLines(sidecar).denials[0]?.destination).toMatchObject({ kind: 'IP', ip: '10.96.188.110' });
  });
});
