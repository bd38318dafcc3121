/** Parses what was typed after `:` when it is not a view's alias (the views' aliases are in their modules). */

export type ParsedCommand =
  | { readonly kind: 'quit' }
  | { readonly kind: 'write'; readonly path: string }
  | { readonly kind: 'namespace'; readonly namespace: string | null }
  | { readonly kind: 'error'; readonly message: string };

const ALL_NAMESPACES = new Set(['all', '-', '*', '-A']);

export function parseCommand(text: string, namespaces: readonly string[]): ParsedCommand {
  const [word = '', ...args] = text.trim().split(/\s+/);
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
