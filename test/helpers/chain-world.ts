/**
 * A world that is slow to map on purpose, for the tests of long runs (progress lines, the diff's
 * second thread): `size` pods in namespace a, each admitting the next one on a port of its own
 * (`firstPort` + i). Every pod is its own class, so the map evaluates about size² class pairs: a
 * few seconds of work at 300.
 */
import { podYaml } from './pod-yaml.js';

export function chainOfPolicies(size = 300, firstPort = 1000): string {
  const docs = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: a}'];
  for (let i = 0; i < size; i++)
    docs.push(podYaml({ name: `p${i}`, namespace: 'a', ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
  for (let i = 0; i < size; i++) {
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: p${i}}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: p${(i + 1) % size}}}\n    ports: [{port: ${firstPort + i}}]`,
    );
  }
  return docs.join('\n---\n');
}
