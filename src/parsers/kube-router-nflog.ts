/**
 * kube-router's dropped-packet log. kube-router sends the packets its pod firewall chain is about to
 * REJECT to NFLOG group 100, without a prefix (cloudnativelabs/kube-router
 * pkg/controllers/netpol/pod.go, docs/observability.md); k3s's kube-router also logs them at the end of
 * each selecting policy's chain with the prefix `DROP by policy NS/NAME` (k3s-io/docs
 * docs/advanced/advanced.md "Additional Network Policy Logging"). ulogd2 writes NFLOG packets to
 * `/var/log/ulog/syslogemu.log` as `MMM d hh:mm:ss HOST <prefix> IN=.. SRC=.. ID=..` with no `kernel:`
 * tag, which tells them apart from the kernel's iptables `LOG` lines (Calico `Log` rules).
 */
import { kv, looksLikePacketLog, packetFields, splitPacketHead } from './calico.js';
import type { KubeRouterPacketLog } from './log-event.js';

export type KubeRouterPacketFields = Omit<KubeRouterPacketLog, 'kind' | 'lineNo' | 'origin' | 'evidence'>;

const K3S_PREFIX = 'DROP by policy ';

function policyOf(prefix: string): { namespace: string; name: string } | null {
  const ref = prefix.slice(K3S_PREFIX.length).trim();
  const slash = ref.indexOf('/');
  return slash <= 0 || slash === ref.length - 1 ? null : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

/** A kube-router NFLOG packet line; null for anything else (kernel LOG lines stay Calico's). */
export function parseKubeRouterPacketLine(line: string): KubeRouterPacketFields | null {
  if (!looksLikePacketLog(line)) return null;
  const head = splitPacketHead(line);
  const k3s = head.prefix.startsWith(K3S_PREFIX);
  const podChain = head.prefix === '' && !head.kernel && head.time !== null;
  if (!k3s && !podChain) return null;
  const fields = packetFields(line);
  return {
    time: head.time,
    host: head.host,
    policy: k3s ? policyOf(head.prefix) : null,
    ...fields,
    packetId: kv(line, 'ID'),
  };
}

/** Identifies one packet across its copies (the policy chain's and the pod chain's). */
export function packetKey(e: KubeRouterPacketFields): string | null {
  if (e.packetId === null || e.src === null || e.dst === null) return null;
  return `${e.src}|${e.srcPort ?? ''}|${e.dst}|${e.dstPort ?? ''}|${e.protocol ?? ''}|${e.packetId}`;
}
