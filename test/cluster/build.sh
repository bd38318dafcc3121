#!/usr/bin/env bash
# Builds etcd and kube-apiserver from the modules pinned in go.mod/go.sum (Go's `tool`
# directive names them) and prints the folder that holds both binaries. Outputs live
# outside the clone, keyed by the hash of go.mod + go.sum, so a fresh clone on the same
# machine reuses them; from scratch the build takes ~10-25 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${MESHDBG_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshdbg-cluster}"
key="$(cat "$here/go.mod" "$here/go.sum" "$here/build.sh" | sha256sum | cut -c1-16)"
out="$cache/bin-$key"
if [ -x "$out/etcd" ] && [ -x "$out/kube-apiserver" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: the go command is needed (Go >= 1.26)" >&2; exit 2; }
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
k8s_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
minor="$(echo "$k8s_version" | cut -d. -f2)"
# what `kubectl version` and discovery's /version report (hack/lib/version.sh sets the same)
ldflags="-X k8s.io/component-base/version.gitVersion=$k8s_version"
ldflags="$ldflags -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
started=$(date +%s)
echo "build.sh: building etcd and kube-apiserver $k8s_version into $out" >&2
nice -n 10 go build -o "$tmp/etcd" go.etcd.io/etcd/server/v3
nice -n 10 go build -ldflags "$ldflags" -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "build.sh: built in $(( $(date +%s) - started ))s" >&2
echo "$out"
