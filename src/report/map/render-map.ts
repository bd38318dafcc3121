/**
 * `meshdbg map` output formats: text (a table grouped by source), json (the ConnectivityMap
 * contract, streamed edge by edge), csv, md and dot (allowed edges for Graphviz). Each renderer
 * writes as edges arrive, never building one giant string.
 */
import { toJsonLine } from '../json.js';
import type { MapEdge, MapPlan, MapWorkload } from '../../engine/index.js';
import { API_VERSION } from '../../engine/index.js';
import { escapeControlCharacters } from '../../util/terminal-text.js';
import { connectionText, portsText } from './connection-text.js';

export type MapFormat = 'text' | 'json' | 'csv' | 'md' | 'dot';
export const MAP_FORMATS: readonly MapFormat[] = ['text', 'json', 'csv', 'md', 'dot'];

export type Write = (chunk: string) => void | Promise<void>;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function mdCell(value: string): string {
  return value.replace(/\|/g, '\\|');
}

function dotId(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** JSON with the C1 controls escaped too (JSON only requires U+0000-U+001F). */
const json = toJsonLine;

async function renderJson(plan: MapPlan, conditions: readonly unknown[], write: Write): Promise<void> {
  await write(`{"apiVersion":${json(API_VERSION)},"kind":"ConnectivityMap","workloads":[`);
  for (const [i, w] of plan.workloads.entries()) await write(`${i ? ',' : ''}\n${json(w)}`);
  await write('],"edges":[');
  let first = true;
  for (const edge of plan.pairs()) {
    await write(`${first ? '' : ','}\n${json(edge)}`);
    first = false;
  }
  await write(`],"conditions":${json(conditions)}}\n`);
}

function edgeLines(edge: MapEdge): string[] {
  return edge.connections.map((c) => connectionText(c));
}

async function renderText(plan: MapPlan, write: Write): Promise<void> {
  let current: string | null = null;
  let edges = 0;
  for (const edge of plan.pairs()) {
    if (edge.src !== current) {
      current = edge.src;
      await write(escapeControlCharacters(`${edge.src}\n`));
    }
    edges++;
    const allowed = edgeLines(edge).join(', ') || 'nothing';
    await write(escapeControlCharacters(`  -> ${edge.dst}  ${allowed}\n`));
    for (const d of edge.denied ?? []) {
      const by = d.by.length > 0 ? d.by.join(', ') : (d.layer ?? 'default');
      await write(
        escapeControlCharacters(`     x ${d.protocol} ${portsText(d.ports)} denied at ${d.layer ?? '?'} by ${by}\n`),
      );
    }
  }
  await write(`${plan.workloads.length} workloads, ${edges} edges with allowed connections\n`);
}

async function renderRows(plan: MapPlan, write: Write, format: 'csv' | 'md'): Promise<void> {
  const header = ['src', 'dst', 'protocol', 'ports', 'verdict', 'http', 'by'];
  if (format === 'csv') await write(`${header.join(',')}\n`);
  else await write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const edge of plan.pairs()) {
    for (const c of edge.connections) {
      const http = c.http ? json(c.http.rules) : '';
      const cells = [edge.src, edge.dst, c.protocol, portsText(c.ports), c.verdict, http, c.by.join(' ')];
      const line = format === 'csv' ? cells.map(csvCell).join(',') : `| ${cells.map(mdCell).join(' | ')} |`;
      await write(escapeControlCharacters(`${line}\n`));
    }
  }
}

function nodeLine(w: MapWorkload): string {
  const shape = w.kind === 'External' ? 'box' : 'ellipse';
  return `  ${dotId(w.id)} [label=${dotId(`${w.kind === 'External' ? w.name : `${w.namespace}/${w.name}`}`)}, shape=${shape}];\n`;
}

async function renderDot(plan: MapPlan, write: Write): Promise<void> {
  await write('digraph meshdbg {\n  rankdir=LR;\n');
  for (const w of plan.workloads) await write(escapeControlCharacters(nodeLine(w)));
  for (const edge of plan.pairs()) {
    const tcp = edge.connections.filter((c) => c.protocol === 'TCP');
    if (tcp.length === 0) continue;
    const label = tcp.map(connectionText).join('\\n');
    const mtls = tcp.every((c) => c.mtls);
    const style = tcp.every((c) => c.verdict === 'conditional') ? 'dashed' : 'solid';
    await write(
      escapeControlCharacters(
        `  ${dotId(edge.src)} -> ${dotId(edge.dst)} [label=${dotId(label)}, style=${style}${mtls ? ', color=darkgreen, penwidth=2' : ''}];\n`,
      ),
    );
  }
  await write('}\n');
}

export async function renderMap(
  plan: MapPlan,
  format: MapFormat,
  conditions: readonly unknown[],
  write: Write,
): Promise<void> {
  switch (format) {
    case 'json':
      return renderJson(plan, conditions, write);
    case 'text':
      return renderText(plan, write);
    case 'csv':
    case 'md':
      return renderRows(plan, write, format);
    case 'dot':
      return renderDot(plan, write);
  }
}
