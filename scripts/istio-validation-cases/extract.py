# Pull the `cases := []struct{...}{...}` literal of three tests out of Istio's validation_test.go.
import re, sys
src = open(sys.argv[1]).read()
out = []
for test in ['TestValidateAuthorizationPolicy', 'TestValidateRequestAuthentication', 'TestValidatePeerAuthentication', 'TestValidateSidecar']:
    start = src.index('func %s(t *testing.T) {' % test)
    var = 'tests' if test == 'TestValidateSidecar' else 'cases'
    body_start = src.index('%s := []struct {' % var, start)
    end = src.index('\n\tfor _, %s := range %s {' % ('tt' if var == 'tests' else 'c', var), body_start)
    lit = src[body_start + len('%s := ' % var):end].rstrip()
    out.append('func cases%s() any {\n\treturn %s\n}\n' % (test[len('TestValidate'):], lit))
print('''package main

import (
\t"google.golang.org/protobuf/types/known/durationpb"\n\t"google.golang.org/protobuf/types/known/wrapperspb"
\tnetworking "istio.io/api/networking/v1alpha3"\n\tsecurity_beta "istio.io/api/security/v1beta1"
\tapi "istio.io/api/type/v1beta1"
\t"google.golang.org/protobuf/proto"
)

var _ = durationpb.New\nvar _ = wrapperspb.Bool
var _ proto.Message

const someName = "foo"
const someNamespace = "bar"

type kindRef struct{ Group, Kind string }

var gvk = struct{ KubernetesGateway, Service, ServiceEntry, GatewayClass kindRef }{
\tKubernetesGateway: kindRef{"gateway.networking.k8s.io", "Gateway"},
\tService:           kindRef{"", "Service"},
\tServiceEntry:      kindRef{"networking.istio.io", "ServiceEntry"},
\tGatewayClass:      kindRef{"gateway.networking.k8s.io", "GatewayClass"},
}

var constants = struct{ DefaultAuthenticationPolicyName string }{"default"}
''')
print('\n'.join(out))
