/** Key hints for the current view (its own keys first), generated from the keymap; writes are marked. */
import type { ReactElement } from 'react';
import { Text } from 'ink';
import { bindingsFor, displayKey, type Scope } from '../keymap.js';
import { fit } from './truncate.js';

export function hintText(scopes: readonly Scope[], readonly: boolean): string {
  const seen = new Set<string>();
  const hints: string[] = [];
  for (const b of scopes.flatMap((scope) => bindingsFor([scope], { readonly }))) {
    if (b.short === undefined || seen.has(b.id)) continue;
    seen.add(b.id);
    hints.push(`${displayKey(b.keys[0] ?? '')} ${b.short}${b.danger ? ' [write]' : ''}`);
  }
  return hints.join('  ');
}

export function Footer({ scopes, readonly, width }: { scopes: readonly Scope[]; readonly: boolean; width: number }): ReactElement {
  return <Text dimColor>{fit(hintText(scopes, readonly), width)}</Text>;
}
