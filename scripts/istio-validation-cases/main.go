// Prints Istio's validation test tables as JSON: each case's name, expectation and the `in`
// proto rendered in its Kubernetes wire form (camelCase JSON names), keeping what protojson
// would lose: a nil list stays absent, an empty non-nil list is [], a nil list item is null.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"unsafe"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

type out struct {
	Test    string `json:"test"`
	Name    string `json:"name"`
	Valid   bool   `json:"valid"`
	Warning bool   `json:"warning"`
	// set when istiod's webhook decodes the YAML form into something other than the Go literal
	// (pkg/util/protomarshal ApplyJSON, golang/protobuf jsonpb): what it then sees
	WebhookDecodes any `json:"webhookDecodes,omitempty"`
	Object  any    `json:"object"`
}

func jsonName(f reflect.StructField) string {
	for _, part := range strings.Split(f.Tag.Get("protobuf"), ",") {
		if strings.HasPrefix(part, "json=") {
			return strings.TrimPrefix(part, "json=")
		}
	}
	for _, part := range strings.Split(f.Tag.Get("protobuf"), ",") {
		if strings.HasPrefix(part, "name=") {
			return strings.TrimPrefix(part, "name=")
		}
	}
	return ""
}

func render(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		if d, ok := v.Interface().(*durationpb.Duration); ok {
			return d.AsDuration().String(), true
		}
		return render(v.Elem())
	case reflect.Struct:
		m := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Tag.Get("protobuf_oneof") != "" {
				if x, ok := render(v.Field(i)); ok {
					for k, val := range x.(map[string]any) {
						m[k] = val
					}
				}
				continue
			}
			name := jsonName(f)
			if name == "" {
				continue
			}
			if x, ok := render(v.Field(i)); ok {
				m[name] = x
			}
		}
		return m, true
	case reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
		items := []any{}
		for i := 0; i < v.Len(); i++ {
			x, _ := render(v.Index(i))
			items = append(items, x) // a nil item stays null
		}
		return items, true
	case reflect.Map:
		if v.IsNil() {
			return nil, false
		}
		m := map[string]any{}
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return fmt.Sprint(keys[a]) < fmt.Sprint(keys[b]) })
		for _, k := range keys {
			x, _ := render(v.MapIndex(k))
			m[fmt.Sprint(k.Interface())] = x
		}
		return m, true
	case reflect.String:
		return v.String(), v.String() != ""
	case reflect.Bool:
		return v.Bool(), v.Bool()
	case reflect.Int32:
		if s, ok := v.Interface().(fmt.Stringer); ok { // enums by name; the zero enum is omitted
			return s.String(), v.Int() != 0
		}
		return v.Int(), v.Int() != 0
	case reflect.Int64, reflect.Int:
		return v.Int(), v.Int() != 0
	case reflect.Uint32, reflect.Uint64:
		return v.Uint(), v.Uint() != 0
	}
	panic(fmt.Sprintf("unhandled kind %s", v.Kind()))
}

func field(c reflect.Value, names ...string) reflect.Value {
	for _, n := range names {
		if f := c.FieldByName(n); f.IsValid() {
			return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem() // unexported field of the test's anonymous struct
		}
	}
	return reflect.Value{}
}

func table(test string, cases any) []out {
	var res []out
	s := reflect.ValueOf(cases)
	for i := 0; i < s.Len(); i++ {
		c := s.Index(i)
		in := field(c, "in")
		spec, ok := render(in)
		if !ok {
			spec = map[string]any{}
		}
		// metadata as each test builds its config.Meta: AuthorizationPolicy name/namespace,
		// the others configName/someNamespace
		md := map[string]any{"name": "name", "namespace": "namespace"}
		if n := field(c, "configName"); n.IsValid() {
			md = map[string]any{"name": n.String(), "namespace": someNamespace}
		}
		if a := field(c, "annotations"); a.IsValid() && !a.IsNil() {
			md["annotations"] = a.Interface().(map[string]string)
		}
		kind := reflect.TypeOf(in.Interface()).Elem().Name()
		apiVersion := "security.istio.io/v1"
		if kind == "Sidecar" {
			// TestValidateSidecar's config.Meta: Name "foo", Namespace "bar"
			apiVersion, md = "networking.istio.io/v1", map[string]any{"name": someName, "namespace": someNamespace}
		}
		o := out{Test: test, Name: field(c, "name").String(), Valid: field(c, "valid").Bool(),
			Object: map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": md, "spec": spec}}
		if w := field(c, "warning", "Warning", "warn"); w.IsValid() {
			o.Warning = w.Bool()
		}
		if got, same := decodedAsIstiod(in.Interface().(proto.Message), spec); !same {
			o.WebhookDecodes = json.RawMessage(got)
		}
		res = append(res, o)
	}
	return res
}

func main() {
	var all []out
	all = append(all, table("TestValidateAuthorizationPolicy", casesAuthorizationPolicy())...)
	all = append(all, table("TestValidateRequestAuthentication", casesRequestAuthentication())...)
	all = append(all, table("TestValidatePeerAuthentication", casesPeerAuthentication())...)
	all = append(all, table("TestValidateSidecar", casesSidecar())...)
	doc := map[string]any{
		"source": "istio/istio:pkg/config/validation/validation_test.go@" + os.Args[1] +
			" (TestValidateAuthorizationPolicy, TestValidateRequestAuthentication, TestValidatePeerAuthentication, TestValidateSidecar; Apache-2.0)",
		"generator": "scripts/istio-validation-cases: each case's `in` literal rendered in Kubernetes wire form; " +
			"name, valid and warning copied from the table",
		"cases": all,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(err)
	}
}
