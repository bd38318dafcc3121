/**
 * Calico's serviceAccounts match on a ServiceAccount's own labels. Calico turns each ServiceAccount
 * into a profile `ksa.NS.NAME` whose labels are the ServiceAccount's labels prefixed `pcsa.`, plus
 * `pcsa.projectcalico.org/name` (projectcalico/calico:libcalico-go/lib/backend/k8s/conversion/
 * conversion.go ServiceAccountToProfile; conversion_test.go expects `pcsa.foo: bar` and
 * `pcsa.projectcalico.org/name: sa-test`). A rule's `serviceAccounts.selector` is that selector
 * with its labels prefixed `pcsa.`, AND'ed with `projectcalico.org/serviceaccount in {names}`
 * (libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go parseServiceAccounts; rules_test.go
 * "should parse a serviceaccount match"), and a policy's `serviceAccountSelector` is AND'ed into
 * its selector the same way (networkpolicyprocessor.go / globalnetworkpolicyprocessor.go
 * prefixAndAppendSelector). When the ServiceAccount object is not in the input only its name is
 * known: an answer that depends on its other labels is `conditional`, never a guess.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import type { Explanation } from '../../../src/engine/explanation.js';

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {serviceAccountName: client-sa, containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: b, labels: {app: server}}
spec: {serviceAccountName: server-sa, containers: [{name: s, image: x, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.2}
`;

function serviceAccount(namespace: string, name: string, labels: string): string {
  return `---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}, namespace: ${namespace}, labels: ${labels}}
`;
}

/** Ingress to the server: rule 0 allows sources whose ServiceAccount matches, the tier's end denies the rest. */
const ALLOW_BY_SA_LABELS = `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-frontends}
spec:
  selector: app == "server"
  ingress:
  - action: Allow
    source: {serviceAccounts: {names: [client-sa, other-sa], selector: role == "frontend"}}
`;

/** Egress of every pod whose ServiceAccount is labelled team == "payments" is denied. */
const DENY_BY_SA_SELECTOR = `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: payments-egress}
spec:
  serviceAccountSelector: team == "payments"
  selector: all()
  egress: [{action: Deny}]
`;

function explain(yaml: string): Explanation {
  return explainOk(snapshotFromYaml(PODS + yaml), { src: 'a/client', dst: 'b/server', port: 8080 });
}

const ruleRef = (e: Explanation): string | null => e.decidedBy?.policy?.ruleRef ?? null;
const conditionCodes = (e: Explanation): string[] => e.conditions.map((c) => c.code);

describe('Calico serviceAccounts.selector reads the ServiceAccount labels', () => {
  it('a labelled ServiceAccount that matches: the rule allows', () => {
    const e = explain(ALLOW_BY_SA_LABELS + serviceAccount('a', 'client-sa', '{role: frontend}'));
    expect(e.verdict).toBe('allowed');
    expect(ruleRef(e)).toBe('GlobalNetworkPolicy:allow-frontends:ingress[0]');
  });

  it('a labelled ServiceAccount that does not match: the end of the tier denies', () => {
    const e = explain(ALLOW_BY_SA_LABELS + serviceAccount('a', 'client-sa', '{role: batch}'));
    expect(e.verdict).toBe('denied');
    expect(ruleRef(e)).toBe('GlobalNetworkPolicy:allow-frontends:ingress[-1]');
  });

  it('names and selector are AND-ed: the right labels on a ServiceAccount not named does not match', () => {
    const e = explain(
      ALLOW_BY_SA_LABELS.replace('client-sa, other-sa', 'other-sa') +
        serviceAccount('a', 'client-sa', '{role: frontend}'),
    );
    expect(e.verdict).toBe('denied');
  });

  it('the ServiceAccount of another namespace with the same name does not lend its labels', () => {
    const e = explain(ALLOW_BY_SA_LABELS + serviceAccount('b', 'client-sa', '{role: frontend}'));
    expect(e.verdict).toBe('conditional');
    expect(conditionCodes(e)).toContain('calico-service-account-labels');
  });

  it('the ServiceAccount is not in the input: conditional, naming it', () => {
    const e = explain(ALLOW_BY_SA_LABELS);
    expect(e.verdict).toBe('conditional');
    const condition = e.conditions.find((c) => c.code === 'calico-service-account-labels');
    expect(condition?.message).toContain('a/client-sa');
  });

  it('a selector on the name alone needs no ServiceAccount object', () => {
    const e = explain(ALLOW_BY_SA_LABELS.replace('role == "frontend"', 'projectcalico.org/name == "client-sa"'));
    expect(e.verdict).toBe('allowed');
  });

  it('unknown labels cannot change an answer that does not depend on them: a false AND is false', () => {
    const e = explain(
      ALLOW_BY_SA_LABELS.replace('role == "frontend"', 'role == "frontend" && projectcalico.org/name == "nobody"'),
    );
    expect(e.verdict).toBe('denied');
    expect(conditionCodes(e)).not.toContain('calico-service-account-labels');
  });
});

describe("a policy's serviceAccountSelector reads the ServiceAccount labels", () => {
  it('selects the pod whose ServiceAccount carries the label', () => {
    const e = explain(DENY_BY_SA_SELECTOR + serviceAccount('a', 'client-sa', '{team: payments}'));
    expect(e.verdict).toBe('denied');
    expect(ruleRef(e)).toBe('GlobalNetworkPolicy:payments-egress:egress[0]');
  });

  it('does not select the pod whose ServiceAccount lacks it', () => {
    const e = explain(DENY_BY_SA_SELECTOR + serviceAccount('a', 'client-sa', '{team: search}'));
    expect(e.verdict).toBe('allowed');
  });

  it('the ServiceAccount is not in the input: whether it selects the pod is not known', () => {
    const e = explain(DENY_BY_SA_SELECTOR);
    expect(e.verdict).toBe('conditional');
    const condition = e.conditions.find((c) => c.code === 'calico-service-account-labels');
    expect(condition?.message).toContain('GlobalNetworkPolicy payments-egress');
  });
});
