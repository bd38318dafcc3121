/**
 * Live mode reads ServiceAccounts (GET /api/v1/serviceaccounts, listed and watched with the other
 * Snapshot kinds), so a Calico policy's serviceAccountSelector is decided from the labels the
 * cluster holds (projectcalico/calico:libcalico-go/lib/backend/k8s/conversion/conversion.go
 * ServiceAccountToProfile). Against the local API server with the poc-mesh example installed.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../helpers/kube-api-server.js';
import { ensureBuilt, runCliAsync } from '../../commands/cli-harness.js';
import { writeKubeconfig } from './support/fixtures.js';
import { ALLOWED_ARGS, pocCluster } from './support/poc-cluster.js';

let api: KubeApiServer;
afterEach(async () => {
  await api.close();
});
beforeAll(() => ensureBuilt(), 120_000);

const PAYMENTS_EGRESS = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'payments-egress' },
  spec: { serviceAccountSelector: 'team == "payments"', selector: 'all()', egress: [{ action: 'Deny' }] },
};

async function explainWithFrontendSa(labels: Record<string, string> | null) {
  api = await pocCluster();
  api.put(PAYMENTS_EGRESS);
  const frontendSa = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'frontend-sa', namespace: 'poc-mesh' },
  };
  if (labels) api.put({ ...frontendSa, metadata: { ...frontendSa.metadata, labels } });
  else api.remove(frontendSa);
  const r = await runCliAsync(ALLOWED_ARGS, { env: { KUBECONFIG: writeKubeconfig(api, 'poc-mesh') } });
  const out = JSON.parse(r.stdout) as {
    verdict: string;
    decidedBy: { policy: { ruleRef: string } | null } | null;
    conditions: { code: string }[];
  };
  return { code: r.code, out };
}

describe('live ServiceAccount labels decide Calico serviceAccountSelector', () => {
  it('the cluster labels frontend-sa team=payments: the GlobalNetworkPolicy denies its egress (exit 1)', async () => {
    const { code, out } = await explainWithFrontendSa({ team: 'payments' });
    expect([code, out.verdict]).toEqual([1, 'denied']);
    expect(out.decidedBy?.policy?.ruleRef).toBe('GlobalNetworkPolicy:payments-egress:egress[0]');
  }, 30_000);

  it('another label: the policy does not select frontend (exit 0)', async () => {
    const { code, out } = await explainWithFrontendSa({ team: 'search' });
    expect([code, out.verdict]).toEqual([0, 'allowed']);
  }, 30_000);

  it('the ServiceAccount is not served: conditional (exit 4), never a guess', async () => {
    const { code, out } = await explainWithFrontendSa(null);
    expect([code, out.verdict]).toEqual([4, 'conditional']);
    expect(out.conditions.map((c) => c.code)).toContain('calico-service-account-labels');
  }, 30_000);
});
