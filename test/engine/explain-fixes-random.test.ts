/**
 * Property of the fix contract (DESIGN: "fix entries are applied together and re-running explain
 * on the patched Snapshot must give allowed"), over seeded random NetworkPolicy sets: every denied
 * flow's fixes, appended to the manifests, make the same flow allowed, and add no invalid object.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../helpers/snapshot.js';
import { PODS, PROBES, generator, worldYaml } from './network-policy/random-policies.js';
import {
  PODS as ADMIN_PODS,
  PROBES as ADMIN_PROBES,
  generate as generateAdmin,
  worldYaml as adminWorldYaml,
} from './network-policy/admin-random-policies.js';

describe('fixes of random denials re-explain as allowed', () => {
  it.each(Array.from({ length: 150 }, (_, i) => i + 1))('seed %i', (seed) => {
    const text = worldYaml(generator(seed).policies());
    const snapshot = snapshotFromYaml(text);
    const failures: string[] = [];
    for (const src of PODS) {
      for (const dst of PODS) {
        if (src === dst) continue;
        for (const { port, protocol } of PROBES) {
          const q = {
            src: `${src.namespace}/po/${src.name}`,
            dst: `${dst.namespace}/po/${dst.name}`,
            port,
            protocol: protocol as 'TCP' | 'UDP',
          };
          const e = explainOk(snapshot, q);
          if (e.verdict !== 'denied') continue;
          const patched = snapshotFromYaml(`${text}---\n${e.fix.map((f) => `${f.yaml.trim()}\n---\n`).join('')}`);
          const errors = patched.findings.filter((f) => f.severity === 'error').map((f) => f.message);
          const after = explainOk(patched, q).verdict;
          if (after !== 'allowed' || errors.length > 0)
            failures.push(
              `${q.src} -> ${q.dst} ${protocol}/${port}: after fixes ${after}${errors.length ? `; errors: ${errors.join(' | ')}` : ''}`,
            );
        }
      }
    }
    expect(failures, `manifests:\n${text}`).toEqual([]);
  });
});

describe('fixes of random denials under admin tiers', () => {
  it.each(Array.from({ length: 150 }, (_, i) => i + 1))(
    'seed %i: a NetworkPolicy or BANP denial is fixed; an ANP Deny gets a manual fix',
    (seed) => {
      const text = adminWorldYaml(generateAdmin(seed));
      const snapshot = snapshotFromYaml(text);
      const failures: string[] = [];
      for (const src of ADMIN_PODS) {
        for (const dst of ADMIN_PODS) {
          if (src === dst) continue;
          for (const { port, protocol } of ADMIN_PROBES) {
            const q = {
              src: `${src.namespace}/po/${src.name}`,
              dst: `${dst.namespace}/po/${dst.name}`,
              port,
              protocol: protocol as 'TCP' | 'UDP',
            };
            const e = explainOk(snapshot, q);
            if (e.verdict !== 'denied') continue;
            const anpDenies = e.steps
              .filter((s) => s.verdict === 'denied')
              .some((s) => s.policies.some((p) => p.kind === 'AdminNetworkPolicy' && p.effect === 'denied'));
            if (anpDenies) {
              if (!e.fix.some((f) => f.action === 'manual' && f.target.kind === 'AdminNetworkPolicy'))
                failures.push(`${q.src} -> ${q.dst} ${protocol}/${port}: ANP Deny without a manual fix`);
              continue;
            }
            const patched = snapshotFromYaml(`${text}---\n${e.fix.map((f) => `${f.yaml.trim()}\n---\n`).join('')}`);
            const after = explainOk(patched, q).verdict;
            if (after !== 'allowed') failures.push(`${q.src} -> ${q.dst} ${protocol}/${port}: after fixes ${after}`);
          }
        }
      }
      expect(failures, `manifests:\n${text}`).toEqual([]);
    },
  );
});
