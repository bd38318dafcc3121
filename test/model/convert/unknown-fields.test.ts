/**
 * A field the API server does not know is refused by kubectl apply (strict field validation,
 * KEP-2885), and was silently ignored here: `actoin: DENY` made an ALLOW policy (explain said
 * allowed), `policyType:` and `ingres:` were dropped from a NetworkPolicy, `__proto__:` in a spec
 * too. Each is now an `unknown-field` error with its path, line and the field it probably meant.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { MAX_UNKNOWN_FIELDS_SHOWN, unknownFieldFindings } from '../../../src/model/convert/unknown-fields.js';

function findings(text: string): string[] {
  const { objects } = parseManifestText('p.yaml', text);
  return objects
    .flatMap((o) => unknownFieldFindings(o.object, o.loc, o.lines))
    .map((f) => `${f.severity} ${f.field} ${f.message}`);
}

const AP = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: x, namespace: a}\n';
const NP = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: a}\n';

describe('unknown fields in the policy kinds', () => {
  it('a misspelt action: the line, the path and the fix', () => {
    expect(findings(`${AP}spec:\n  actoin: DENY\n  rules: [{}]\n`)).toEqual([
      expect.stringMatching(
        /^error spec\.actoin p\.yaml:5: AuthorizationPolicy a\/x: spec\.actoin: unknown field .*did you mean action\?$/,
      ),
    ]);
  });

  it('deep in rules and in a NetworkPolicy peer, with list indexes', () => {
    const ap = `${AP}spec:\n  rules:\n  - from:\n    - source: {principal: [a]}\n    to:\n    - operation: {method: [GET]}\n`;
    expect(findings(ap)).toEqual([
      expect.stringContaining('spec.rules[0].from[0].source.principal: unknown field'),
      expect.stringContaining('spec.rules[0].to[0].operation.method: unknown field'),
    ]);
    const np = `${NP}spec:\n  podSelector: {}\n  policyType: [Ingress]\n  ingress:\n  - from: [{podselector: {}}]\n`;
    expect(findings(np)).toEqual([
      expect.stringContaining(
        'spec.ingress[0].from[0].podselector: unknown field (kubectl apply refuses it: strict decoding error: unknown field "spec.ingress[0].from[0].podselector"); did you mean podSelector?',
      ),
      expect.stringContaining('spec.policyType: unknown field'),
    ]);
  });

  it('a top-level `specs:` and a `__proto__` key', () => {
    expect(findings(`${AP}specs: {action: DENY}\n`)).toEqual([
      expect.stringContaining(
        'specs: unknown field (kubectl apply refuses it: strict decoding error: unknown field "specs"); did you mean spec?',
      ),
    ]);
    expect(findings(`${NP}spec:\n  __proto__: {policyTypes: [Egress]}\n  podSelector: {}\n`)).toEqual([
      expect.stringContaining('spec.__proto__: unknown field'),
    ]);
  });

  it('what the schemas allow gives nothing: labels, annotations, status, every source and jwtRules field', () => {
    const ap = `${AP.replace('namespace: a}', 'namespace: a, labels: {any-key: v}, annotations: {x/y: z}, uid: u, resourceVersion: "1"}')}spec:\n  selector: {matchLabels: {app: a}}\n  action: CUSTOM\n  provider: {name: p}\n  rules:\n  - from: [{source: {principals: [a], notPrincipals: [b], requestPrincipals: [c], namespaces: [d], ipBlocks: [1.2.3.4], remoteIpBlocks: [1.2.3.4], serviceAccounts: [x], trustDomains: [t]}}]\n    to: [{operation: {hosts: [h], ports: ["80"], methods: [GET], paths: [/], notPaths: [/x]}}]\n    when: [{key: request.headers[x], values: [a], notValues: [b]}]\nstatus: {anything: 1}\n`;
    expect(findings(ap)).toEqual([]);
    const ra =
      'apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: r}\nspec:\n  jwtRules:\n  - {issuer: i, jwksUri: u, audiences: [a], fromHeaders: [{name: h, prefix: "Bearer "}], fromParams: [p], fromCookies: [c], outputPayloadToHeader: o, forwardOriginalToken: true, outputClaimToHeaders: [{header: h, claim: c}], timeout: 5s}\n';
    expect(findings(ra)).toEqual([]);
    const pa =
      'apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {name: p}\nspec:\n  selector: {matchLabels: {a: b}}\n  mtls: {mode: STRICT}\n  portLevelMtls: {"8080": {mode: DISABLE}}\n';
    expect(findings(pa)).toEqual([]);
  });

  it('kinds without a schema here are not checked (a Calico NetworkPolicy has other fields)', () => {
    expect(
      findings(
        'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {order: 10, selector: all()}\n',
      ),
    ).toEqual([]);
  });

  it(`at most ${MAX_UNKNOWN_FIELDS_SHOWN} are named; one more finding counts the rest`, () => {
    const keys = Array.from({ length: 50 }, (_, i) => `  k${i}: 1`).join('\n');
    const out = findings(`${NP}spec:\n${keys}\n`);
    expect(out).toHaveLength(MAX_UNKNOWN_FIELDS_SHOWN + 1);
    expect(out.at(-1)).toContain(`and ${50 - MAX_UNKNOWN_FIELDS_SHOWN} more unknown fields`);
  });
});
