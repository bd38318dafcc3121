/** Key hints: help, then the view's own keys, then the global ones; generated from the keymap, writes marked. */
import type { ReactElement } from 'react';
import { Text } from 'ink';
import { bindingsFor, displayKey, type CommandId, type Scope } from '../keymap.js';
import { fit } from './truncate.js';

/** The hints of the keys that can act (`canAct`), help first. */
export function hintText(
  scopes: readonly Scope[],
  readonly: boolean,
  canAct: (id: CommandId) => boolean = () => true,
): string {
  const seen = new Set<string>();
  const hints: string[] = [];
  const ordered = scopes.flatMap((scope) => bindingsFor([scope], { readonly }));
  // `? help` first so it survives truncation on narrow terminals
  for (const b of [...ordered.filter((x) => x.id === 'help'), ...ordered.filter((x) => x.id !== 'help')]) {
    if (b.short === undefined || seen.has(b.id) || !canAct(b.id)) continue;
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
  canAct,
}: {
  scopes: readonly Scope[];
  readonly: boolean;
  width: number;
  frozen?: string | null;
  canAct?: (id: CommandId) => boolean;
}): ReactElement {
  const hints = hintText(scopes, readonly, canAct);
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
