/**
 * Text from logs, manifests or the cluster, made safe for the TUI: terminal sequences removed
 * (src/util/terminal-text.ts), tabs as spaces, newlines kept only when `keepNewlines` is set.
 */
import { removeTerminalSequences } from '../util/terminal-text.js';

export function stripControl(text: string, keepNewlines = false): string {
  const cleaned = removeTerminalSequences(text).replace(/\t/g, '  ');
  return keepNewlines ? cleaned : cleaned.replace(/\n/g, ' ');
}
