module istio-validation-cases

go 1.26

require (
	github.com/golang/protobuf v1.5.4
	google.golang.org/protobuf v1.36.12-0.20260120151049-f2248ac996af
	istio.io/api v1.31.0-alpha.1.0.20260819121012-5803fb6accf7
)

require google.golang.org/genproto/googleapis/api v0.0.0-20251213004720-97cd9d5aeac2 // indirect
