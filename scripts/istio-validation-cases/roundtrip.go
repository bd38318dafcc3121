package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/golang/protobuf/jsonpb"
	legacyproto "github.com/golang/protobuf/proto"
	"google.golang.org/protobuf/proto"
)

// decodedAsIstiod re-decodes a rendered spec as istiod's webhook does (pkg/util/protomarshal
// ApplyJSON: golang/protobuf jsonpb) and says whether the Go literal survives the trip.
func decodedAsIstiod(in proto.Message, spec any) (string, bool) {
	js, _ := json.Marshal(spec)
	fresh := reflect.New(reflect.TypeOf(in).Elem()).Interface().(proto.Message)
	if err := (&jsonpb.Unmarshaler{}).Unmarshal(strings.NewReader(string(js)), legacyproto.MessageV1(fresh)); err != nil {
		b, _ := json.Marshal(fmt.Sprintf("decode error: %v", err))
		return string(b), false
	}
	again, _ := render(reflect.ValueOf(fresh))
	a, _ := json.Marshal(again)
	return string(a), string(a) == string(js)
}
