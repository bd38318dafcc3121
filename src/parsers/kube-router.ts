/**
 * kube-router network policy controller lines (klog header, optionally behind a syslog/journald
 * prefix as k3s prints them). kube-router logs no per-packet drops (those go to NFLOG group 100).
 */
import type { CniHealthProblem } from './log-event.js';

export interface KubeRouterMatch {
  readonly problem: CniHealthProblem;
  readonly enforcing: boolean | null;
  readonly summary: string;
  /** klog time `MMDD hh:mm:ss.uuuuuu`, when the header is present */
  readonly time: string | null;
  readonly message: string;
}

/** `I0701 11:06:01.227051    7817 network_policy_controller.go:164] MSG` -> time and MSG. */
function splitKlog(line: string): { time: string | null; message: string } {
  const close = line.indexOf('] ');
  for (let at = 0; at < line.length - 5; at++) {
    const c = line[at];
    if (
      (c === 'I' || c === 'W' || c === 'E' || c === 'F') &&
      /^\d{4} \d\d:\d\d:\d\d/.test(line.slice(at + 1, at + 15))
    ) {
      if (at > 0 && line[at - 1] !== ' ') continue;
      const timeEnd = line.indexOf(' ', at + 6);
      return {
        time: line.slice(at + 1, timeEnd === -1 ? undefined : timeEnd),
        message: close === -1 ? line.slice(at) : line.slice(close + 2),
      };
    }
  }
  return { time: null, message: close === -1 ? line : line.slice(close + 2) };
}

/** Recognizes kube-router controller lines; null for anything else. Cheap checks first. */
export function parseKubeRouterLine(line: string): KubeRouterMatch | null {
  const aborted = line.indexOf('Aborting sync') !== -1;
  const started = !aborted && line.indexOf('Starting network policy controller') !== -1;
  const syncStart =
    !aborted &&
    !started &&
    (line.indexOf('Starting sync of iptables') !== -1 || line.indexOf('Starting sync of nftables') !== -1);
  const syncDone = !aborted && !started && !syncStart && line.indexOf('sync iptables took') !== -1;
  if (!aborted && !started && !syncStart && !syncDone) return null;
  const { time, message } = splitKlog(line);
  if (aborted)
    return {
      problem: 'policy-sync-aborted',
      enforcing: false,
      summary: 'NetworkPolicies are not being enforced on this node',
      time,
      message,
    };
  if (started)
    return {
      problem: 'controller-started',
      enforcing: null,
      summary: 'kube-router network policy controller started',
      time,
      message,
    };
  if (syncStart)
    return {
      problem: 'policy-sync-started',
      enforcing: null,
      summary: 'kube-router started a policy sync',
      time,
      message,
    };
  return {
    problem: 'policy-sync-completed',
    enforcing: true,
    summary: 'kube-router programmed the NetworkPolicies',
    time,
    message,
  };
}
