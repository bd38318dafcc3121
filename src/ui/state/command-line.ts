import type { TopLevelView } from './navigation.js';
/** Parses what was typed after `:`. */

export type ParsedCommand =
  | { readonly kind: 'view'; readonly view: TopLevelView; readonly policyKind?: string }
  | { readonly kind: 'explain' }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'write'; readonly path: string }
  | { readonly kind: 'namespace'; readonly namespace: string | null }
  | { readonly kind: 'error'; readonly message: string };

const VIEWS: Readonly<Record<string, TopLevelView>> = {
  svc: 'services',
  service: 'services',
  services: 'services',
  pods: 'pods',
  pod: 'pods',
  po: 'pods',
  denials: 'denials',
  denial: 'denials',
  deny: 'denials',
  policies: 'policies',
  policy: 'policies',
  pol: 'policies',
  map: 'map',
};

/** kubectl's short names (`kubectl api-resources`) and Istio's (`ap`, `pa`, `ra`): the policies view, one kind. */
const POLICY_KINDS: Readonly<Record<string, string>> = {
  netpol: 'NetworkPolicy',
  networkpolicy: 'NetworkPolicy',
  networkpolicies: 'NetworkPolicy',
  ap: 'AuthorizationPolicy',
  authorizationpolicy: 'AuthorizationPolicy',
  authorizationpolicies: 'AuthorizationPolicy',
  pa: 'PeerAuthentication',
  peerauthentication: 'PeerAuthentication',
  peerauthentications: 'PeerAuthentication',
  ra: 'RequestAuthentication',
  requestauthentication: 'RequestAuthentication',
  requestauthentications: 'RequestAuthentication',
};

const ALL_NAMESPACES = new Set(['all', '-', '*', '-A']);

export function parseCommand(text: string, namespaces: readonly string[]): ParsedCommand {
  const [word = '', ...args] = text.trim().split(/\s+/);
  const view = VIEWS[word];
  if (view) return { kind: 'view', view };
  const policyKind = POLICY_KINDS[word.toLowerCase()];
  if (policyKind) return { kind: 'view', view: 'policies', policyKind };
  if (word === 'explain' || word === 'x') return { kind: 'explain' };
  if (word === 'help' || word === '?') return { kind: 'help' };
  if (word === 'q' || word === 'quit' || word === 'q!') return { kind: 'quit' };
  if (word === 'w' || word === 'write') {
    const path = text.trim().slice(word.length).trim();
    return path === '' ? { kind: 'error', message: 'usage: :w FILE (writes the YAML shown)' } : { kind: 'write', path };
  }
  if (word === 'ns' || word === 'namespace') {
    const name = args[0];
    if (name === undefined) return { kind: 'error', message: 'usage: :ns NAME (:ns alone lists them)' };
    if (ALL_NAMESPACES.has(name)) return { kind: 'namespace', namespace: null };
    if (!namespaces.includes(name))
      return { kind: 'error', message: `unknown namespace "${name}"; known: ${namespaces.join(', ')}` };
    return { kind: 'namespace', namespace: name };
  }
  return {
    kind: 'error',
    message: `unknown command ":${text.trim()}"; try :pods, :denials, :policies (:netpol :ap :pa :ra), :svc, :lint, :map, :explain, :ns [NAME]`,
  };
}
