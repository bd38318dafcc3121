/**
 * Fields the API server does not know, in the policy kinds meshdbg evaluates. kubectl apply
 * refuses them (server-side field validation, strict by default since Kubernetes 1.27, KEP-2885:
 * `strict decoding error: unknown field "spec.actoin"`); read without a word, a misspelt field was
 * a field left out: `actoin: DENY` made an ALLOW policy, `specs:` a policy with no spec.
 * The trees follow the owners' schemas: Kubernetes networking/v1 types, and istio/api
 * kubernetes/customresourcedefinitions.gen.yaml (v1.32, v1 and v1beta1 share it).
 */
import { isRecord } from '../../util/is-record.js';
import { finding, objectLabel, placePrefix, type Finding } from '../findings.js';
import { metadataOf, stringAt } from './context.js';
import type { SourceLocation } from '../k8s.js';
import { lineOnPath } from './field-line.js';
import { apiGroup } from './kinds.js';

/** A map of known keys; `null`: a scalar or a list of scalars; `ANY`: keys chosen by the user (labels) or not checked. */
type FieldTree = { readonly [key: string]: FieldTree | null | typeof ANY };
const ANY = 'any';

/** Unknown fields reported per object; the rest are counted in one more finding. */
export const MAX_UNKNOWN_FIELDS_SHOWN = 10;

const LABEL_SELECTOR: FieldTree = {
  matchLabels: ANY,
  matchExpressions: { key: null, operator: null, values: null },
};
const WORKLOAD_SELECTOR: FieldTree = { matchLabels: ANY };
const TARGET_REF: FieldTree = { group: null, kind: null, name: null, namespace: null };

const METADATA: FieldTree = {
  name: null,
  generateName: null,
  namespace: null,
  selfLink: null,
  uid: null,
  resourceVersion: null,
  generation: null,
  creationTimestamp: null,
  deletionTimestamp: null,
  deletionGracePeriodSeconds: null,
  labels: ANY,
  annotations: ANY,
  ownerReferences: ANY,
  finalizers: null,
  managedFields: ANY,
};

const NETWORK_POLICY_PEER: FieldTree = {
  podSelector: LABEL_SELECTOR,
  namespaceSelector: LABEL_SELECTOR,
  ipBlock: { cidr: null, except: null },
};
const NETWORK_POLICY_PORT: FieldTree = { protocol: null, port: null, endPort: null };

const NETWORK_POLICY_SPEC: FieldTree = {
  podSelector: LABEL_SELECTOR,
  policyTypes: null,
  ingress: { from: NETWORK_POLICY_PEER, ports: NETWORK_POLICY_PORT },
  egress: { to: NETWORK_POLICY_PEER, ports: NETWORK_POLICY_PORT },
};

const AUTHORIZATION_POLICY_SPEC: FieldTree = {
  selector: WORKLOAD_SELECTOR,
  targetRef: TARGET_REF,
  targetRefs: TARGET_REF,
  action: null,
  provider: { name: null },
  rules: {
    from: {
      source: {
        principals: null,
        notPrincipals: null,
        requestPrincipals: null,
        notRequestPrincipals: null,
        namespaces: null,
        notNamespaces: null,
        serviceAccounts: null,
        notServiceAccounts: null,
        trustDomains: null,
        notTrustDomains: null,
        ipBlocks: null,
        notIpBlocks: null,
        remoteIpBlocks: null,
        notRemoteIpBlocks: null,
      },
    },
    to: {
      operation: {
        hosts: null,
        notHosts: null,
        ports: null,
        notPorts: null,
        methods: null,
        notMethods: null,
        paths: null,
        notPaths: null,
      },
    },
    when: { key: null, values: null, notValues: null },
  },
};

const PEER_AUTHENTICATION_SPEC: FieldTree = {
  selector: WORKLOAD_SELECTOR,
  mtls: { mode: null },
  portLevelMtls: ANY,
};

const REQUEST_AUTHENTICATION_SPEC: FieldTree = {
  selector: WORKLOAD_SELECTOR,
  targetRef: TARGET_REF,
  targetRefs: TARGET_REF,
  jwtRules: {
    issuer: null,
    audiences: null,
    jwksUri: null,
    jwks_uri: null,
    jwks: null,
    fromHeaders: { name: null, prefix: null },
    fromParams: null,
    fromCookies: null,
    outputPayloadToHeader: null,
    forwardOriginalToken: null,
    outputClaimToHeaders: { header: null, claim: null },
    spaceDelimitedClaims: null,
    presence: null,
    timeout: null,
  },
};

const objectTree = (spec: FieldTree): FieldTree => ({
  apiVersion: null,
  kind: null,
  metadata: METADATA,
  spec,
  status: ANY,
});

/** By `group/kind` (the versions served are checked by unservedKindReason). */
const SCHEMAS: Readonly<Record<string, FieldTree>> = {
  'networking.k8s.io/NetworkPolicy': objectTree(NETWORK_POLICY_SPEC),
  'security.istio.io/AuthorizationPolicy': objectTree(AUTHORIZATION_POLICY_SPEC),
  'security.istio.io/PeerAuthentication': objectTree(PEER_AUTHENTICATION_SPEC),
  'security.istio.io/RequestAuthentication': objectTree(REQUEST_AUTHENTICATION_SPEC),
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The known key a misspelt one most likely meant (same letters in another case, or two edits away). */
function nearest(key: string, known: readonly string[]): string | null {
  if (key.length > 64) return null;
  const lower = key.toLowerCase();
  const same = known.find((k) => k.toLowerCase() === lower);
  if (same) return same;
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Every unknown field under `value`, as a path and the key it probably meant; walked with a stack. */
function unknownPaths(root: unknown, tree: FieldTree): { path: string; meant: string | null }[] {
  const found: { path: string; meant: string | null }[] = [];
  const stack: { value: unknown; tree: FieldTree; path: string }[] = [{ value: root, tree, path: '' }];
  while (stack.length > 0) {
    const { value, tree: at, path } = stack.pop() as { value: unknown; tree: FieldTree; path: string };
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, tree: at, path: `${path}[${i}]` }));
      continue;
    }
    if (!isRecord(value)) continue; // a wrong type is the type checks' to report
    const known = Object.keys(at);
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      const sub = Object.hasOwn(at, key) ? at[key] : undefined;
      if (sub === undefined) found.push({ path: field, meant: nearest(key, known) });
      else if (sub !== null && sub !== ANY) stack.push({ value: value[key], tree: sub, path: field });
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Errors for the fields of one object the API server does not know (none for kinds without a schema here). */
export function unknownFieldFindings(
  object: Readonly<Record<string, unknown>>,
  loc: SourceLocation | null,
  lines: WeakMap<object, number> | null,
): Finding[] {
  const tree = SCHEMAS[`${apiGroup(String(object['apiVersion']))}/${String(object['kind'])}`];
  if (!tree) return [];
  const paths = unknownPaths(object, tree);
  if (paths.length === 0) return [];
  const kind = String(object['kind']);
  const meta = metadataOf(object);
  const ref = { kind, namespace: stringAt(meta['namespace']), name: stringAt(meta['name']) ?? '' };
  const out = paths.slice(0, MAX_UNKNOWN_FIELDS_SHOWN).map(({ path, meant }) => {
    const line = lineOnPath(object, path, lines) ?? loc?.line ?? null;
    const fix = meant ? `did you mean ${meant}?` : 'remove it';
    return finding(
      'unknown-field',
      `${placePrefix(loc, line)}${objectLabel(ref)}: ${path}: unknown field (kubectl apply refuses it: strict decoding error: unknown field "${path}"); ${fix}`,
      { object: ref, field: path, loc: loc ? { ...loc, line } : null },
    );
  });
  if (paths.length > MAX_UNKNOWN_FIELDS_SHOWN)
    out.push(
      finding(
        'unknown-field',
        `${placePrefix(loc)}${objectLabel(ref)}: and ${paths.length - MAX_UNKNOWN_FIELDS_SHOWN} more unknown fields`,
        { object: ref, loc },
      ),
    );
  return out;
}
