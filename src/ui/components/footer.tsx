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

/** The key hints; while frozen the footer starts with the frozen mark, in reverse video so it is not missed. */
export function Footer({
  scopes,
  readonly,
  width,
  frozen = null,
}: {
  scopes: readonly Scope[];
  readonly: boolean;
  width: number;
  frozen?: string | null;
}): ReactElement {
  const hints = hintText(scopes, readonly);
  if (frozen === null) return <Text dimColor>{fit(hints, width)}</Text>;
  return (
    <Text>
      <Text inverse bold>
        {fit(frozen, width)}
      </Text>
      <Text dimColor>{fit(`  ${hints}`, Math.max(0, width - frozen.length))}</Text>
    </Text>
  );
}
