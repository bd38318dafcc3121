/**
 * `when` keys are Istio's attribute names (https://istio.io/latest/docs/reference/config/security/conditions/):
 * a name that is only a member every JavaScript object inherits (`constructor`, `toString`,
 * `__proto__`) is no attribute, and a header or claim of that name is absent unless the request has it.
 */
import { describe, expect, it } from 'vitest';
import { whenKey } from '../../../src/engine/istio/when-keys.js';
import type { AuthzAttributes } from '../../../src/engine/istio/attributes.js';

const request = (over: Partial<AuthzAttributes>): AuthzAttributes =>
  ({ headers: {}, claims: {}, ...over }) as unknown as AuthzAttributes;

describe('whenKey', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('%s is not an Istio attribute', (key) => {
    expect(whenKey(key)).toBeNull();
  });

  it('still knows the documented keys', () => {
    expect(whenKey('source.ip')).not.toBeNull();
    expect(whenKey('request.auth.principal')?.http).toBe(true);
  });

  it.each(['constructor', '__proto__', 'hasownproperty'])(
    'request.headers[%s] (names in lower case) is absent unless the request sends it',
    (name) => {
      const key = whenKey(`request.headers[${name}]`);
      expect(key?.actual(request({}))).toBeNull();
      expect(key?.actual(request({ headers: { [name]: 'v' } }))).toEqual(['v']);
    },
  );

  it.each(['constructor', 'toString'])('request.auth.claims[%s] is absent unless the token has it', (name) => {
    const key = whenKey(`request.auth.claims[${name}]`);
    expect(key?.actual(request({ claims: {} }))).toBeNull();
    expect(key?.actual(request({ claims: { [name]: 'v' } }))).toEqual(['v']);
  });
});
