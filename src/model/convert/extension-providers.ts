/**
 * meshConfig.extensionProviders as istiod resolves them for CUSTOM AuthorizationPolicies
 * (istio/istio:pilot/pkg/security/authz/builder/extauthz.go, processExtensionProvider at 86c9f01fd73):
 * a provider with an error is kept under its name with that error, and every CUSTOM rule naming it
 * becomes an enforced DENY `...-deny-due-to-bad-CUSTOM-action` (builder.go, getBadCustomDenyRules).
 * Errors modelled: empty or duplicate name, a name that is not a lowercase DNS label of at most 63
 * characters (validateProviderName), port outside [1, 65535] and empty service
 * (pkg/config/validation/agent/extensionprovider.go, ValidateExtensionProviderEnvoyExtAuthzHTTP/GRPC;
 * parsePort), an HTTP pathPrefix not starting with `/`, a single `*` in an HTTP header list
 * (buildExtAuthzHTTP). Not modelled: statusOnError codes and whether the service exists in istiod's
 * registry (LookupCluster).
 */
import type { ExtensionProvider } from '../istio.js';
import { list, rec, str, strList } from './istio-raw.js';

const EXT_AUTHZ_TYPES: ReadonlySet<string> = new Set(['envoyExtAuthzHttp', 'envoyExtAuthzGrpc']);
const HEADER_LISTS = [
  'includeRequestHeadersInCheck',
  'includeHeadersInCheck',
  'headersToDownstreamOnDeny',
  'headersToDownstreamOnAllow',
  'headersToUpstreamOnAllow',
] as const;

function nameError(name: string, seen: ReadonlySet<string>, index: number): string | null {
  if (name === '') return `extension provider name must not be empty, found empty at index: ${index}`;
  if (seen.has(name)) return `extension provider name must be unique, found duplicate: ${name}`;
  if (name.length > 63) return `invalid provider name "${name}": provider name too long (max 63 characters)`;
  if (!/^[a-z0-9-]+$/.test(name))
    return `invalid provider name "${name}": only lowercase letters, digits, and hyphens allowed`;
  if (name.startsWith('-') || name.endsWith('-'))
    return `invalid provider name "${name}": provider name cannot start or end with hyphen`;
  return null;
}

function extAuthzErrors(type: string, config: Readonly<Record<string, unknown>>): string[] {
  const errors: string[] = [];
  const port = config['port'];
  if (!(typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535))
    errors.push(`port must be in the range [1, 65535], found: ${JSON.stringify(port ?? 0)}`);
  if (!str(config['service'])) errors.push('service must not be empty');
  if (type !== 'envoyExtAuthzHttp') return errors;
  const prefix = str(config['pathPrefix']);
  if (prefix && !prefix.startsWith('/')) errors.push(`pathPrefix must begin with \`/\`, found: "${prefix}"`);
  for (const field of HEADER_LISTS)
    if ((strList(config[field]) ?? []).includes('*'))
      errors.push(`a single wildcard ("*") is not supported, change it to either prefix or suffix match: ${field}`);
  return errors;
}

export function readExtensionProviders(value: unknown): readonly ExtensionProvider[] {
  const seen = new Set<string>();
  return list(value).map((p, index) => {
    const r = rec(p);
    const name = str(r['name']) ?? '';
    const type = Object.keys(r).find((k) => k !== 'name') ?? 'unknown';
    // istiod skips other provider types (tracing, logging) before checking names
    if (!EXT_AUTHZ_TYPES.has(type)) return { name, type, error: null };
    const errors = [nameError(name, seen, index), ...extAuthzErrors(type, rec(r[type]))];
    seen.add(name);
    const error = errors.filter((e): e is string => e !== null).join('; ');
    return { name, type, error: error === '' ? null : error };
  });
}

/** Why istiod cannot use `name` for a CUSTOM policy, or null when it can (getExtAuthz). */
export function customProviderError(providers: readonly ExtensionProvider[], name: string | null): string | null {
  // the last entry of a name wins, as istiod's resolved map
  const found = [...providers].reverse().find((p) => p.name === name && EXT_AUTHZ_TYPES.has(p.type));
  if (!found)
    return `provider "${name ?? ''}" is not an ext_authz provider in meshConfig.extensionProviders (available: ${
      providers
        .filter((p) => EXT_AUTHZ_TYPES.has(p.type))
        .map((p) => p.name)
        .join(', ') || 'none'
    })`;
  return found.error === null ? null : `found errors in provider ${found.name}: ${found.error}`;
}
