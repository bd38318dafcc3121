// Pins the modules whose published CRD YAMLs the cluster tests install (read from
// the module cache by test/cluster/lib/crds.ts). There is no Go code here:
// `go mod tidy` would drop these lines, so add or bump them with `go get MODULE@VERSION`.
module meshdbg.test/cluster/crds

go 1.26.0

require (
	// crd.projectcalico.org: libcalico-go/config/crd. The proxy serves the Calico
	// monorepo only at pseudo-versions (its v3.x tags have no /v3 module path).
	github.com/projectcalico/calico v1.11.0-cni-plugin.0.20250813170300-a0db560f0520
	// security.istio.io and networking.istio.io: kubernetes/customresourcedefinitions.gen.yaml
	istio.io/api v1.32.0
	// Gateway API standard channel: config/crd/standard
	sigs.k8s.io/gateway-api v1.6.3
	// AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1: config/crd (v0.3.0 replaced
	// them with ClusterNetworkPolicy, which meshdbg does not model yet)
	sigs.k8s.io/network-policy-api v0.1.1
)
