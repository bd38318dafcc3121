/** Key hints: help, then the view's own keys, then the global ones; generated from the keymap, writes marked. */
import type { ReactElement } from 'react';
import { Text } from 'ink';
import { bindingsFor, displayKey, type Scope } from '../keymap.js';
import { fit } from './truncate.js';

export function hintText(scopes: readonly Scope[], readonly: boolean): string {
  const seen = new Set<string>();
  const hints: string[] = [];
  const ordered = scopes.flatMap((scope) => bindingsFor([scope], { readonly }));
  // `? help` first so it survives truncation on narrow terminals
  for (const b of [...ordered.filter((x) => x.id === 'help'), ...ordered.filter((x) => x.id !== 'help')]) {
    if (b.short === undefined || seen.has(b.id)) continue;
    seen.add(b.id);
    hints.push(`${displayKey(b.keys[0] ?? '')} ${b.short}${b.danger ? ' [write]' : ''}`);
  }
  return hints.join('  ');
}

export function Footer({
  scopes,
  readonly,
  width,
}: {
  scopes: readonly Scope[];
  readonly: boolean;
  width: number;
}): ReactElement {
  return <Text dimColor>{fit(hintText(scopes, readonly), width)}</Text>;
}
