/**
 * `meshdbg demo`'s source: a bundled example's manifests, its Deployments running as several
 * replicas with pod IPs, the Snapshot of that cluster, and the simulated proxy log stream of the
 * requests in its expect.yaml.
 */
import { snapshotFromObjects } from '../../model/snapshot-from-objects.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import type { Pod } from '../../model/k8s.js';
import type { RawObject } from '../../model/raw.js';
import type { Snapshot } from '../../model/snapshot.js';
import { loadManifests } from '../manifests/load.js';
import { seededRandom } from '../../util/random.js';
import { planTraffic, simulateTraffic, type Simulation, type SimulationOptions, type TrafficPlan } from './simulate.js';
import { readExpectQueries, resolveFlows } from './flows.js';
import { buildTopology, type DemoPod, type DemoTopology } from './topology.js';

export interface Demo {
  readonly name: string;
  readonly snapshot: Snapshot;
  readonly topology: DemoTopology;
  /** the proxies whose `rbac` logger starts at debug (from the pods' log-level annotations) */
  readonly rbacDebugAtStart: ReadonlySet<string>;
  /** access logging is on in every example except np-test (seed 004 relies on RBAC debug lines) */
  readonly accessLog: boolean;
  /** the example's expect.yaml flows, decided on the demo cluster */
  readonly plan: TrafficPlan;
  simulate(options?: SimulationOptions): Simulation;
}

export function snapshotOf(objects: readonly RawObject[], description: string): Snapshot {
  return snapshotFromObjects(objects, null, description, 'demo');
}

/** `sidecar.istio.io/logLevel: debug` (or trace), or `rbac:debug` in logLevel/componentLogLevel. */
export function rbacAtDebug(pod: Pod): boolean {
  const a = pod.annotations;
  const level = `${a['sidecar.istio.io/logLevel'] ?? ''},${a['sidecar.istio.io/componentLogLevel'] ?? ''}`;
  return /(^|,)\s*(debug|trace)\s*(,|$)/.test(level) || /rbac:(debug|trace)/.test(level);
}

/** Loads `dir` (an example folder with `manifests/`) and prepares its simulated cluster. */
export async function loadDemo(dir: string, name: string, seed = 1): Promise<Demo> {
  const loaded = await loadManifests([`${dir}/manifests`]);
  const declared = snapshotOf(loaded.objects, name);
  const injected = (namespace: string, deployment: string): boolean =>
    declared.groups.some(
      (g) =>
        g.namespace === namespace && g.kind === 'Deployment' && g.name === deployment && g.pods.some(podHasSidecar),
    );
  const flows = resolveFlows(declared, await readExpectQueries(`${dir}/expect.yaml`));
  const ends = flows.flows.flatMap((f) => [f.client, f.server]).map((w) => `${w.namespace}/${w.deployment}`);
  const topology = buildTopology(loaded.objects, seededRandom(seed), injected, new Set(ends));
  const snapshot = snapshotOf(topology.objects, `demo ${name}`);
  const plan = planTraffic(snapshot, topology, flows);
  const debugPods = new Set(snapshot.pods.filter((p) => !p.fromTemplate && rbacAtDebug(p)).map((p) => p.name));
  const accessLog = name !== 'np-test';
  return {
    name,
    snapshot,
    topology,
    rbacDebugAtStart: debugPods,
    accessLog,
    plan,
    simulate: (options: SimulationOptions = {}) =>
      simulateTraffic(snapshot, topology, plan, {
        accessLog,
        rbacDebug: (p: DemoPod) => debugPods.has(p.name),
        seed,
        ...options,
      }),
  };
}
