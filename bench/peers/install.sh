#!/usr/bin/env bash
# Installs the peer analysers compared in bench/peers/ into a cache outside the clone, each
# from its package registry, and prints one line per peer: NAME=PATH, or NAME-failed=STEP: why.
#   nca        np-guard's network-config-analyzer, from PyPI, in its own venv
#   netpolicy  np-guard's netpol-analyzer `netpolicy` command, from the Go module proxy
set -uo pipefail
cache="${MESHDBG_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshdbg-cluster}/peers"
mkdir -p "$cache"
NCA_VERSION=2.1.0
venv="$cache/nca-$NCA_VERSION"
if [ ! -f "$venv/.installed" ]; then
  rm -rf "$venv"
  if python3 -m venv "$venv" >"$cache/nca-install.log" 2>&1 &&
    nice -n 10 "$venv/bin/pip" install --quiet "network-config-analyzer==$NCA_VERSION" >>"$cache/nca-install.log" 2>&1; then
    touch "$venv/.installed"
  fi
fi
if [ -f "$venv/.installed" ]; then
  echo "nca=$venv/bin/nca"
else
  echo "nca-failed=pip install network-config-analyzer==$NCA_VERSION: $(tail -1 "$cache/nca-install.log")"
fi
bin="$cache/bin"
if [ ! -x "$bin/netpolicy" ]; then
  GOBIN="$bin" nice -n 10 go install github.com/np-guard/netpol-analyzer/cmd/netpolicy@latest >"$cache/netpolicy-install.log" 2>&1
fi
if [ -x "$bin/netpolicy" ]; then
  echo "netpolicy=$bin/netpolicy"
else
  echo "netpolicy-failed=go install github.com/np-guard/netpol-analyzer/cmd/netpolicy@latest: $(grep -m1 -i 'forbidden\|not available\|error' "$cache/netpolicy-install.log" || tail -1 "$cache/netpolicy-install.log")"
fi
