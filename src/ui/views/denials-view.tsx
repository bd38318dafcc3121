/**
 * The correlator's denials, newest first, repeats counted. The full rule reference
 * of the selected denial is shown under the table, whatever the terminal width.
 */
import type { ReactElement } from 'react';
import { Box, Text } from 'ink';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import { fit } from '../components/truncate.js';
import { formatClock } from '../docs/time.js';
import type { ShownDenial } from '../state/app-state.js';
import { visibleDenials } from '../state/select.js';
import { DENIAL_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import { stripControl } from '../sanitize.js';
import type { ListViewProps } from './pods-view.js';
import { jumpTo, push } from '../state/navigation.js';
import { denialRowKeys } from '../state/row-keys.js';
import { currentDenial, explainDenial, explainDenialDisabledReason } from '../state/explain-from-denial.js';
import { tableProps, type ViewDescriptor, type ViewKey } from './descriptor.js';
import { allNamespacesKey, filterKey, openRowKey, selectedOf, sortColumnKey } from './common-keys.js';
import { describeKey } from './pod-keys.js';

/** The navigation entry of this view. */
export interface DenialsEntry {
  readonly view: 'denials';
  readonly cursor: number;
}

/**
 * What names no policy: `matched policy none` is Envoy's word for an ALLOW miss only; a JWT or
 * mTLS refusal whose log names no policy says its layer instead.
 */
function unnamedPolicy(d: ShownDenial): string {
  return d.layer === 'authz-allow' ? 'matched policy none' : `${stripControl(d.layer)}: no policy in the log`;
}

/** `poc-mesh/backend-deny-payments-example[0]` (always with its namespace), or what the proxy said when no policy matched. */
export function policyCell(d: ShownDenial): string {
  if (d.policy === null) return d.ruleRef === null ? unnamedPolicy(d) : stripControl(d.ruleRef);
  const ns = d.policy.namespace === null ? '' : `${d.policy.namespace}/`;
  return stripControl(`${ns}${d.policy.name}${d.policy.rule === null ? '' : `[${d.policy.rule}]`}`);
}

/** A denial that reached the screen this recently is marked new (`+`). */
export const NEW_DENIAL_MS = 10_000;

export function isNewDenial(d: ShownDenial, now: number): boolean {
  return now - d.arrived < NEW_DENIAL_MS;
}

function columns(now: number, sort: TableSort | undefined): Column<ShownDenial>[] {
  const tone = (d: ShownDenial): 'warning' | 'error' => (d.enforcement === 'shadow' ? 'warning' : 'error');
  const mark = (title: string): ReturnType<typeof sortMarkOf> => sortMarkOf(title, DENIAL_SORTS, sort);
  return [
    { title: ' ', width: 1, cell: (d) => (isNewDenial(d, now) ? '+' : ' ') },
    { title: 'TIME', width: 8, cell: (d) => formatClock(d.time), ...mark('TIME') },
    { title: 'N', min: 1, max: 7, cell: (d) => String(d.count), ...mark('N') },
    { title: 'SOURCE', min: 12, cell: (d) => stripControl(d.source), ...mark('SOURCE') },
    { title: 'DESTINATION', min: 12, cell: (d) => stripControl(d.destination), ...mark('DESTINATION') },
    { title: 'REQUEST', min: 8, max: 40, drop: 1, cell: (d) => stripControl(d.request), ...mark('REQUEST') },
    { title: 'POLICY[RULE]', min: 64, cell: policyCell, tone, ...mark('POLICY[RULE]') },
  ];
}

export function DenialsView({ state, cursor, width, height }: ListViewProps): ReactElement {
  const rows = visibleDenials(state);
  const selected = rows[cursor];
  const fresh = rows.filter((d) => isNewDenial(d, state.now)).length;
  const preview = selected
    ? `${fresh > 0 ? `[${fresh} new +]  ` : ''}${selected.ruleRef === null ? unnamedPolicy(selected) : stripControl(selected.ruleRef)}  ${selected.enforcement} ${selected.layer} ${stripControl(selected.request)}`
    : '';
  return (
    <Box flexDirection="column">
      <TableView
        columns={columns(state.now, state.tableSorts.denials)}
        window={tableWindow(rows, cursor, Math.max(1, height - 1))}
        cursor={cursor}
        width={width}
        empty="no denials seen yet"
      />
      <Text bold>{fit(preview, width)}</Text>
    </Box>
  );
}

/** `x` on a denial (row or detail): explain with its source, destination, port and request filled in. */
export const explainDenialKey: ViewKey = {
  id: 'explain-denial',
  keys: ['x'],
  description: "Explain this denial's request (source, destination, port, method, path filled in)",
  short: 'explain',
  category: 'views',
  run: ({ state, data }) => {
    const denial = currentDenial(state, data);
    return denial ? explainDenial(state, data, denial) : state;
  },
  disabled: ({ state, data }) => explainDenialDisabledReason(currentDenial(state, data)),
};

const openDenial = openRowKey(
  'Open this denial: its log evidence, the policy and rule that decided, the ALLOW policies in force',
  'detail',
  ({ state }) => visibleDenials(state),
  (ctx) => {
    const d = selectedOf(visibleDenials(ctx.state), ctx);
    return d ? { ...ctx.state, stack: push(ctx.state.stack, { view: 'denial', cursor: 0, denial: d.id }) } : ctx.state;
  },
);

export const denialsView: ViewDescriptor<'denials'> = {
  id: 'denials',
  title: 'Denials',
  crumb: () => 'denials',
  aliases: [{ word: 'denials' }, { word: 'denial' }, { word: 'deny' }],
  open: (state) => ({ ...state, stack: jumpTo(state.stack, 'denials') }),
  rows: denialRowKeys,
  render: (props) => <DenialsView {...tableProps(props)} />,
  keys: [
    allNamespacesKey(),
    openDenial,
    filterKey('Filter denials by text'),
    explainDenialKey,
    describeKey(openDenial),
    sortColumnKey(DENIAL_SORTS),
  ],
};
