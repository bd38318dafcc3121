/** Builders for wire-shape objects and a kubeconfig pointing at the mock API server. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeApiServer } from '../../../helpers/kube-api-server.js';
import { resolveKubeContext } from '../../../../src/sources/kube/kubeconfig.js';
import type { KubeContext } from '../../../../src/sources/kube/kubeconfig.js';
import type { ReflectorClock } from '../../../../src/sources/kube/reflector.js';

export function namespace(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

export function pod(
  ns: string,
  name: string,
  ip: string,
  labels: Record<string, string> = { app: name },
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: {
      containers: [
        { name: 'app', image: 'app:1' },
        { name: 'istio-proxy', image: 'proxyv2' },
      ],
    },
    status: { podIP: ip, phase: 'Running' },
  };
}

export function denyAllExceptFrom(ns: string, name: string, fromApp: string): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: fromApp } } }] }],
    },
  };
}

export function writeKubeconfig(api: KubeApiServer, ns = 'default', caData?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-kube-'));
  const file = join(dir, 'config');
  writeFileSync(file, api.kubeconfig(ns, caData));
  return file;
}

export function contextFor(api: KubeApiServer, ns = 'default', caData?: string): KubeContext {
  return resolveKubeContext({
    kubeconfig: writeKubeconfig(api, ns, caData),
    context: null,
    env: {},
    homeDir: '/nonexistent',
  });
}

/** A clock whose sleeps are short and recorded, with fixed jitter and time. */
export function testClock(now = new Date('2026-11-22T10:00:00Z')): ReflectorClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        sleeps.push(ms);
        const t = setTimeout(resolve, 20);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            resolve();
          },
          { once: true },
        );
      }),
    random: () => 0.5,
    now: () => now,
  };
}
