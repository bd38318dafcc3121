/**
 * Where `meshdbg lint` and the real apiserver disagree on an object of our corpora, and why.
 * Key: file:first line of the document. `server`: what the apiserver did; `lint`: whether lint
 * said error. conformance.test.ts checks that each one still holds.
 */
export interface KnownDifference {
  readonly server: 'accepted' | 'rejected';
  readonly lint: 'error' | 'ok';
  readonly why: string;
}

const NO_IMAGE: KnownDifference = {
  server: 'rejected',
  lint: 'ok',
  why:
    'semantic: a container needs an image (kubernetes/kubernetes pkg/apis/core/validation/validation.go, ' +
    'validateContainers "Required value"); lint checks what policy evaluation reads, and no verdict reads the image',
};

const ANP_V011: KnownDifference = {
  server: 'rejected',
  lint: 'ok',
  why:
    'CRD version: in sigs.k8s.io/network-policy-api v0.1.1 (the v1alpha1 release the Go module proxy serves) an ' +
    'AdminNetworkPolicy peer `namespaces` is a NamespacedPeer with minProperties: 1 ' +
    '(config/crd/policy.networking.k8s.io_adminnetworkpolicies.yaml); from v0.1.5 it is a LabelSelector ' +
    'where {} selects every namespace, the form meshdbg reads and this file uses',
};

/** Rejected by istiod's validating webhook, which does not run here: only the CRD schema and CEL rules do. */
function webhookOnly(rule: string): KnownDifference {
  return {
    server: 'accepted',
    lint: 'error',
    why: `webhook: istiod rejects it (${rule}, istio/istio pkg/config/validation); the API server alone applies only the CRD schema and its CEL rules`,
  };
}

export const KNOWN_DIFFERENCES: Readonly<Record<string, KnownDifference>> = {
  'test/fixtures/manifests/cli/anp-same-priority.yaml:1': ANP_V011,
  'test/fixtures/manifests/cli/anp-same-priority.yaml:9': ANP_V011,
  'test/fixtures/manifests/cli/lint-errors.yaml:69': {
    server: 'accepted',
    lint: 'error',
    why:
      'semantic: two documents with one kind, namespace and name are one object to the apiserver (the second apply ' +
      'updates the first); lint refuses the input because only one of them can be in force',
  },
  'test/fixtures/manifests/istio-validation/security.yaml:19': webhookOnly(
    'ValidateAuthorizationPolicy: "DENY action without `rules` is meaningless"',
  ),
  'test/fixtures/manifests/istio-validation/security.yaml:25': webhookOnly(
    'ValidateAuthorizationPolicy via security.ValidateAttribute: "unknown attribute"',
  ),
  'test/fixtures/manifests/istio-validation/security.yaml:62': webhookOnly(
    'ValidateRequestAuthentication via validateJwtRule: "jwks parse error"',
  ),
  'test/fixtures/manifests/istio-validation/security.yaml:77': webhookOnly(
    'ValidateSidecar via agent.ValidateNamespaceSlashWildcardHostname: "host must be of form namespace/dnsName"',
  ),
  'test/fixtures/manifests/cli/world.yaml:9': NO_IMAGE,
  'test/fixtures/manifests/cli/world.yaml:18': NO_IMAGE,
  'test/fixtures/manifests/cli/world.yaml:35': NO_IMAGE,
  'test/fixtures/manifests/cli-ambient.yaml:9': NO_IMAGE,
  'test/fixtures/manifests/cli-ambient.yaml:18': NO_IMAGE,
  'test/fixtures/manifests/cli-ambient.yaml:35': NO_IMAGE,
  'test/fixtures/manifests/cli-tree/workloads.yaml:9': NO_IMAGE,
  'test/fixtures/manifests/cli-tree/workloads.yaml:18': NO_IMAGE,
  'test/fixtures/manifests/cli-tree/workloads.yaml:35': NO_IMAGE,
  'test/fixtures/manifests/tree/nested/pod.yml:1': NO_IMAGE,
};
