/** The validation conformance table (docs/validation-conformance.md) from the observed rows. */
import type { ServerVerdict } from './conformance.js';

export interface ConformanceRow {
  readonly key: string; // file:first line of the document
  readonly object: string; // Kind namespace/name
  readonly server: ServerVerdict;
  readonly lintErrors: readonly string[];
}

export const agrees = (r: ConformanceRow) => (r.server.outcome === 'rejected') === r.lintErrors.length > 0;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderTable(rows: readonly ConformanceRow[], notes: Readonly<Record<string, string>>): string {
  const served = rows.filter((r) => r.server.outcome !== 'not-served');
  const differ = served.filter((r) => !agrees(r));
  const lines = [
    `${served.length} objects sent with dryRun=All; ${served.length - differ.length} agree, ${differ.length} differ; ` +
      `${rows.length - served.length} of kinds this cluster does not serve.`,
    '',
    '| object | file:line | apiserver | meshdbg lint errors | agree | note |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const server = r.server.outcome === 'accepted' ? 'accepted' : `${r.server.outcome}: ${r.server.reason}`;
      const agree = r.server.outcome === 'not-served' ? 'n/a' : agrees(r) ? 'yes' : '**no**';
      return `| ${cell(r.object)} | ${cell(r.key)} | ${cell(server)} | ${r.lintErrors.join(', ') || '-'} | ${agree} | ${cell(notes[r.key] ?? '')} |`;
    }),
  ];
  return lines.join('\n') + '\n';
}
