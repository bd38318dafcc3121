/** Pods grouped under their outermost owner (a workload), or alone for bare pods. */
import type { Pod } from '../k8s.js';
import type { PodGroup } from '../snapshot.js';

export function groupPods(pods: readonly Pod[]): PodGroup[] {
  const byKey = new Map<
    string,
    { kind: string; name: string; namespace: string; pods: Pod[]; aliases: Map<string, { kind: string; name: string }> }
  >();
  for (const pod of pods) {
    const top = pod.owners[0] ?? { kind: 'Pod', name: pod.name };
    const key = `${pod.namespace}/${top.kind}/${top.name}`;
    let g = byKey.get(key);
    if (!g) {
      g = { kind: top.kind, name: top.name, namespace: pod.namespace, pods: [], aliases: new Map() };
      byKey.set(key, g);
    }
    g.pods.push(pod);
    for (const o of pod.owners) g.aliases.set(`${o.kind}/${o.name}`, o);
    if (!pod.fromTemplate) g.aliases.set(`Pod/${pod.name}`, { kind: 'Pod', name: pod.name });
  }
  return [...byKey.values()].map((g) => ({
    namespace: g.namespace,
    kind: g.kind,
    name: g.name,
    aliases: [...g.aliases.values()],
    pods: [...g.pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  }));
}
