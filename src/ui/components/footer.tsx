/** Key hints: help, then the view's own keys, then the global ones; generated from the keymap, writes marked. */
import type { ReactElement } from 'react';
import { Text } from 'ink';
import { displayKey } from '../keymap.js';
import type { ViewKey } from '../views/descriptor.js';
import { fit } from './truncate.js';

/** The hints of `keys` (those that can act, see `footerKeys`), help first, writes marked. */
export function hintText(keys: readonly Pick<ViewKey, 'id' | 'keys' | 'short' | 'danger'>[], lead = ''): string {
  const seen = new Set<string>();
  const hints: string[] = lead === '' ? [] : [lead];
  // `? help` first so it survives truncation on narrow terminals
  for (const b of [...keys.filter((x) => x.id === 'help'), ...keys.filter((x) => x.id !== 'help')]) {
    if (b.short === undefined || seen.has(b.id)) continue;
    seen.add(b.id);
    hints.push(`${displayKey(b.keys[0] ?? '')} ${b.short}${b.danger ? ' [write]' : ''}`);
  }
  return hints.join('  ');
}

/** The key hints; while frozen the footer starts with the frozen mark, in reverse video so it is not missed. */
export function Footer({
  hints,
  width,
  frozen = null,
}: {
  hints: string;
  width: number;
  frozen?: string | null;
}): ReactElement {
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
