/**
 * `meshdbg map` output formats: text (a table grouped by source), json (the ConnectivityMap
 * contract, streamed edge by edge), csv, md and dot (allowed edges for Graphviz). Each renderer
 * writes as edges arrive, never building one giant string.
 */
import { toJsonLine } from '../json.js';
import type { MapConnection, MapEdge, MapPlan, MapWorkload } from '../../engine/index.js';
import { API_VERSION } from '../../engine/index.js';
import { escapeControlCharacters, escapeLineBreaks, outputLine } from '../../util/terminal-text.js';
import { connectionText, portsText } from './connection-text.js';
import { assertNever } from '../../util/assert-never.js';

export type MapFormat = 'text' | 'json' | 'csv' | 'md' | 'dot';
export const MAP_FORMATS: readonly MapFormat[] = ['text', 'json', 'csv', 'md', 'dot'];

export type Write = (chunk: string) => void | Promise<void>;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A Markdown table cell: a pipe or a line break in a value would end the cell or the row. */
function mdCell(value: string): string {
  return escapeLineBreaks(value.replace(/\|/g, '\\|'));
}

function dotId(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** JSON with the C1 controls escaped too (JSON only requires U+0000-U+001F). */
const json = toJsonLine;

/**
 * The text of `value` through `render`, once per object: the workload pairs of one class pair share
 * their connection (and denial) lists, and a 10k-pod map has 20M edges over a few hundred lists.
 */
function renderedOnce<T extends object>(render: (value: T) => string): (value: T) => string {
  const seen = new WeakMap<T, string>();
  return (value) => {
    let text = seen.get(value);
    if (text === undefined) seen.set(value, (text = render(value)));
    return text;
  };
}

/** `json(edge)`, byte for byte (keys src, dst, connections, denied: the order pairs() builds), each list rendered once. */
export function edgeJson(lists: (value: readonly unknown[]) => string): (edge: MapEdge) => string {
  return (edge) =>
    `{"src":${json(edge.src)},"dst":${json(edge.dst)},"connections":${lists(edge.connections)}${
      edge.denied === undefined ? '' : `,"denied":${lists(edge.denied)}`
    }}`;
}

async function renderJson(plan: MapPlan, conditions: readonly unknown[], write: Write): Promise<void> {
  await write(`{"apiVersion":${json(API_VERSION)},"kind":"ConnectivityMap","workloads":[`);
  for (const [i, w] of plan.workloads.entries()) await write(`${i ? ',' : ''}\n${json(w)}`);
  await write('],"edges":[');
  const edge = edgeJson(renderedOnce(json));
  let first = true;
  for (const e of plan.pairs()) {
    const pending = write(`${first ? '' : ','}\n${edge(e)}`);
    if (pending) await pending;
    first = false;
  }
  await write(`],"conditions":${json(conditions)}}\n`);
}

const allowedText = renderedOnce((connections: readonly MapConnection[]) =>
  escapeControlCharacters(escapeLineBreaks(connections.map((c) => connectionText(c)).join(', ') || 'nothing')),
);

async function renderText(plan: MapPlan, write: Write): Promise<void> {
  let current: string | null = null;
  let edges = 0;
  for (const edge of plan.pairs()) {
    if (edge.src !== current) {
      current = edge.src;
      await write(outputLine(edge.src));
    }
    edges++;
    const pending = write(
      `${escapeControlCharacters(`  -> ${escapeLineBreaks(edge.dst)}  `)}${allowedText(edge.connections)}\n`,
    );
    if (pending) await pending;
    for (const d of edge.denied ?? []) {
      const by = d.by.length > 0 ? d.by.join(', ') : (d.layer ?? 'default');
      await write(
        escapeControlCharacters(
          `     x ${d.protocol} ${portsText(d.ports)} denied at ${d.layer ?? '?'} by ${escapeLineBreaks(by)}\n`,
        ),
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

/** Writes in chunks of about 64 KiB, not one write per edge (a 10k-pod map has 20M edges). */
function batched(write: Write, size = 1 << 16): { readonly write: Write; readonly flush: () => void | Promise<void> } {
  let buffer = '';
  return {
    write: (chunk) => {
      buffer += chunk;
      if (buffer.length < size) return;
      const full = buffer;
      buffer = '';
      return write(full);
    },
    flush: () => (buffer === '' ? undefined : write(buffer)),
  };
}

function renderFormat(plan: MapPlan, format: MapFormat, conditions: readonly unknown[], write: Write): Promise<void> {
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
    default:
      return assertNever(format, 'map format');
  }
}

export async function renderMap(
  plan: MapPlan,
  format: MapFormat,
  conditions: readonly unknown[],
  write: Write,
): Promise<void> {
  const out = batched(write);
  await renderFormat(plan, format, conditions, out.write);
  await out.flush();
}
