import { describe, expect, it } from 'vitest';
import { policyCell } from '../../../src/ui/views/denials-view.js';
import type { ShownDenial } from '../../../src/ui/state/app-state.js';
import { paymentsDenial, T0 } from '../fixtures/denials.js';

const unnamed = (layer: string): ShownDenial => ({
  ...paymentsDenial(),
  arrived: T0,
  layer,
  policy: null,
  ruleRef: null,
});

describe('the denials table POLICY[RULE] cell', () => {
  it('names the policy with its namespace and rule', () => {
    expect(policyCell({ ...paymentsDenial(), arrived: T0 })).toBe('poc-mesh/backend-deny-payments-example[0]');
  });

  it('says `matched policy none` (Envoy RBAC) only for an ALLOW miss', () => {
    expect(policyCell(unnamed('authz-allow'))).toBe('matched policy none');
  });

  it('says the layer for a JWT or mTLS refusal whose log names no policy', () => {
    expect(policyCell(unnamed('jwt'))).toBe('jwt: no policy in the log');
    expect(policyCell(unnamed('mtls'))).toBe('mtls: no policy in the log');
  });
});
