/**
 * Which extension providers istiod can use for CUSTOM (istio/istio:pilot/pkg/security/authz/builder/extauthz.go
 * processExtensionProvider, validateProviderName, buildExtAuthzHTTP at 86c9f01fd73;
 * pkg/config/validation/agent/extensionprovider.go), with the error istiod logs.
 */
import { describe, expect, it } from 'vitest';
import { customProviderError, readExtensionProviders } from '../../../src/model/convert/extension-providers.js';

const http = (name: string, config: Record<string, unknown>) => ({ name, envoyExtAuthzHttp: config });
const grpc = (name: string, config: Record<string, unknown>) => ({ name, envoyExtAuthzGrpc: config });
const ok = { service: 'ext-authz.foo.svc.cluster.local', port: 8000 };

describe('readExtensionProviders', () => {
  it.each([
    ['valid HTTP provider', http('ext', ok), null],
    ['valid gRPC provider', grpc('ext', { ...ok, port: 9000 }), null],
    ['port 0 (absent)', http('ext', { service: ok.service }), /port must be in the range \[1, 65535\], found: 0/],
    ['port 70000', grpc('ext', { ...ok, port: 70000 }), /found: 70000/],
    ['empty service', http('ext', { port: 80 }), /service must not be empty/],
    [
      'pathPrefix without /',
      http('ext', { ...ok, pathPrefix: 'check' }),
      /pathPrefix must begin with `\/`, found: "check"/,
    ],
    ['pathPrefix with /', http('ext', { ...ok, pathPrefix: '/check' }), null],
    [
      'a lone * header',
      http('ext', { ...ok, includeRequestHeadersInCheck: ['*'] }),
      /single wildcard.*includeRequestHeadersInCheck/,
    ],
    ['a prefix header', http('ext', { ...ok, includeRequestHeadersInCheck: ['x-*'] }), null],
    ['uppercase name', http('Ext', ok), /only lowercase letters, digits, and hyphens/],
    ['name ending in -', http('ext-', ok), /cannot start or end with hyphen/],
    ['64-character name', http('a'.repeat(64), ok), /too long/],
  ])('%s', (_what, provider, want) => {
    const [p] = readExtensionProviders([provider]);
    if (want === null) expect(p?.error).toBeNull();
    else expect(p?.error).toMatch(want);
  });

  it('a duplicate name: the later entry carries the error and is the one istiod resolves', () => {
    const ps = readExtensionProviders([http('ext', ok), grpc('ext', ok)]);
    expect(ps.map((p) => p.error)).toEqual([null, 'extension provider name must be unique, found duplicate: ext']);
    expect(customProviderError(ps, 'ext')).toMatch(/found errors in provider ext: .*duplicate/);
  });

  it('tracing and logging providers are not ext_authz: a CUSTOM policy naming one is bad, their names are not checked', () => {
    const ps = readExtensionProviders([{ name: 'Zipkin', zipkin: { service: 'z', port: 9411 } }, http('ext', ok)]);
    expect(ps[0]?.error).toBeNull();
    expect(customProviderError(ps, 'Zipkin')).toMatch(/not an ext_authz provider .*available: ext/);
    expect(customProviderError(ps, 'ext')).toBeNull();
    expect(customProviderError(ps, 'nope')).toMatch(/"nope" is not an ext_authz provider/);
  });
});
