/** The complete --help text (one place, so it cannot drift from the dispatcher). */
export const HELP = `meshdbg — can A reach B, and which rule decides? Kubernetes NetworkPolicy (L3/L4)
and Istio authorization (L7) in one answer, live or from YAML manifests.

Usage:
  meshdbg demo [EXAMPLE] [--print-logs]       open the TUI on a bundled example with simulated traffic
                                              (poc-mesh, np-test, kyma-netpol, legacy-rbac, ...);
                                              --print-logs writes the simulated proxy/CNI logs instead
  meshdbg [--from PATH]... [--logs FILE]...   open the TUI on manifests and recorded logs, or on the
                                              kube context without --from; --readonly hides writes
  meshdbg explain SRC DST [flags]             explain one flow (also: meshdbg --explain SRC DST)
  meshdbg explain --batch FILE|- [flags]      one JSON query per line in, one JSON result per line out
  meshdbg check FILE [--from PATH] [--junit F] run expectations (examples/*/expect.yaml schema)
  meshdbg lint PATH... | --from PATH          validate manifests; errors and refusals exit 2
  meshdbg completion bash|zsh|fish            shell completion (source <(meshdbg completion bash));
                                              also installed as kubectl-meshdbg: kubectl meshdbg ...
  meshdbg authz-check --file DUMP [-o json]   istioctl x authz check's table from an Envoy config_dump
  meshdbg authz-check POD[.NS] [--from PATH]  the same from a live pod's proxy; --from: drift against
                                              the manifests (exit 1 when they differ)
  meshdbg denials [--from PATH] --logs FILE|- every denial in proxy/CNI logs, with the rule behind it
  meshdbg snapshot [-n NS | -A] > cluster.yaml  write what meshdbg sees in the cluster, for --from
  meshdbg map [--from PATH]... [-n NS | -A]   every allowed connection between workloads, all layers
  meshdbg diff --from OLD [--to NEW]          connections a change opens, closes, narrows or widens
                                              (without --to, NEW is the live cluster)

Peers (SRC, DST):
  NS/NAME, NAME.NS, KIND/NAME[.NS] (istioctl form, e.g. deployment/backend.poc-mesh), NS/KIND/NAME,
  a bare NAME (namespace from -n, else searched in all), a pod IP or ClusterIP, or any other IP.
  Kinds: po deploy sts ds rs job cj rc svc. A DST that is both a workload and its Service resolves
  to the Service, so Service port -> targetPort mapping applies.

Input:
  --from PATH            manifest file, directory (searched recursively) or - (stdin); repeatable.
                         YAML (multi-document), JSON and kind: List (kubectl get -A -o yaml) are read.
  -n, --namespace NS     namespace for objects without one and for bare peer names
  --context C, --kubeconfig F, -A/--all-namespaces, --request-timeout D (default 10s)
                         live cluster access (without --from)

Explain flags:
  -p, --port N           destination port (a Service port when DST is a Service); required unless
                         the Service has exactly one port
  --protocol P           tcp | udp | sctp (default: the Service port's, else TCP)
  --method M --path P --host H --header K=V   the HTTP request; P starts with /, --header
                                              is repeatable and also takes 'K: V' (curl -H)
  --jwt TOKEN|@FILE|-    a JWT (decoded, signature not verified offline); --jwt-claims JSON instead
  --now RFC3339          clock for JWT exp/nbf (default: now)
  --mtls | --no-mtls     override the computed client TLS
  --ext-authz allow|deny outcome of CUSTOM (ext_authz) policies; unknown otherwise (conditional)
  --resolve HOST=IP[,IP] addresses of a host (repeatable): a jwksUri host, or the externalName of a
                         DST Service of type ExternalName (a cluster Service name is followed as is)
  --cni C                calico | cilium | kube-router | generic (default: $MESHDBG_CNI, else detected
                         from the input). Decides DROP vs REJECT and whether ipBlocks match pod IPs
  --root-namespace NS, --trust-domain TD   mesh overrides
  -o, --output F         text | json | yaml
  --workers N            threads answering a --batch FILE with --from (default: one per idle CPU by
                         the load average, at most 4; 1 = one thread) when the FILE has 1.5 MB or more
                         (~12,000 queries); they load while the mesh is read; output keeps the input
                         order, the same bytes as one thread

TUI keys: ? in any view, or docs/keys.md. / filter, Enter drill down, Esc back, : command
  (:pods :denials :policies :explain :ns NAME), l logs, L raise the rbac log level (a write), q quit.

Denials flags:
  --logs FILE|-          kubectl logs output of istio-proxy (any Istio era, text or JSON), access logs,
                         istiod/pilot-agent logs, Calico kernel/flow logs, kube-router logs; repeatable.
                         Also a node's files (/var/log/pods/NS_POD_UID/CONTAINER/0.log: CRI or Docker
                         json-file, cut lines joined, the pod read from the path) and shipper exports
                         with one JSON object per line (Fluent Bit, Cloud Logging, Filebeat, LogScale),
                         and Loki's logcli query output (default, --no-labels, -o jsonl)
  -o text|json           one line per denial, or one Denial JSON object per line

Map flags:
  --focus WORKLOAD       only edges into or out of this workload (NS/KIND/NAME, NS/NAME or NAME)
  --denied               also list what each pair is refused, and by which rule
  -o, --output F         text (grouped by source) | json (ConnectivityMap, streamed) | csv | md |
                         dot (allowed TCP edges for Graphviz; bold green = mTLS, dashed = HTTP-restricted)

Diff flags:
  --to PATH              the new manifests (repeatable); without it, the live cluster
  --fail-on K            opened (opened or widened) | closed (closed or narrowed) | any (default):
                         exit 1 only for changes of that kind
  -o text|json           one line per change, or the ConnectivityDiff object
  --junit FILE           also write JUnit XML (a failing case per change of the --fail-on kind)
                         exit 4 when OLD or NEW is a partial view (a list the cluster refused, a
                         snapshot's status.gaps): its changes are listed but not trusted
  --workers N            1 = one thread; by default, when every pair must be evaluated (no edit
                         scope) and both maps are large, NEW's map is evaluated on a second thread
                         while a CPU is idle (the load average); the output is the same bytes

Check flags:
  --junit FILE           also write JUnit XML for CI systems

Lint flags:
  --failure-threshold warning|info   also exit 1 on findings of this severity or worse
  -v, --verbose          also list ignored object kinds and info findings

Other:
  -h, --help             this text          --version   print the version
  MESHDBG_DEBUG=1        print the stack trace of an internal error

Exit status:
  0 allowed / all pass   1 denied / a check failed   2 bad input (unknown peer, invalid manifest,
  bad flag)   3 nothing needed could be read from the cluster   4 conditional or unsupported
  70 internal error (a bug in meshdbg)
`;
