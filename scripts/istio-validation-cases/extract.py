# Pull the `cases := []struct{...}{...}` literal of three tests out of Istio's validation_test.go.
import re, sys
src = open(sys.argv[1]).read()
out = []
for test in ['TestValidateAuthorizationPolicy', 'TestValidateRequestAuthentication', 'TestValidatePeerAuthentication']:
    start = src.index('func %s(t *testing.T) {' % test)
    body_start = src.index('cases := []struct {', start)
    end = src.index('\n\tfor _, c := range cases {', body_start)
    lit = src[body_start + len('cases := '):end].rstrip()
    out.append('func cases%s() any {\n\treturn %s\n}\n' % (test[len('TestValidate'):], lit))
print('''package main

import (
\t"google.golang.org/protobuf/types/known/durationpb"
\tsecurity_beta "istio.io/api/security/v1beta1"
\tapi "istio.io/api/type/v1beta1"
\t"google.golang.org/protobuf/proto"
)

var _ = durationpb.New
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
