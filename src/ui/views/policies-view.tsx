/** Every policy of the Snapshot (`:policies`). */
import type { ReactElement } from 'react';
import { TableView, tableWindow, type Column } from '../components/table-view.js';
import type { PolicyItem } from '../data/policy-items.js';
import { visiblePolicies } from '../state/select.js';
import { POLICY_SORTS, sortMarkOf, type TableSort } from '../state/table-sort.js';
import type { ListViewProps } from './pods-view.js';
import { jumpTo, push } from '../state/navigation.js';
import { policyRowKeys } from '../state/row-keys.js';
import { tableProps, type ViewAlias, type ViewDescriptor } from './descriptor.js';
import { allNamespacesKey, filterKey, openRowKey, selectedOf, sortColumnKey } from './common-keys.js';
import { describeKey, showYamlKey } from './pod-keys.js';

/** The navigation entry of this view. */
export interface PoliciesEntry {
  readonly view: 'policies';
  readonly cursor: number;
}

function columns(sort: TableSort | undefined): Column<PolicyItem>[] {
  const mark = (title: string): ReturnType<typeof sortMarkOf> => sortMarkOf(title, POLICY_SORTS, sort);
  return [
    { title: 'KIND', min: 8, max: 26, cell: (p) => p.kind, ...mark('KIND') },
    { title: 'NAMESPACE', min: 9, max: 20, cell: (p) => p.namespace ?? '-', ...mark('NAMESPACE') },
    { title: 'NAME', min: 12, cell: (p) => p.name, ...mark('NAME') },
    { title: 'SUMMARY', min: 10, max: 40, drop: 1, cell: (p) => p.summary },
  ];
}

export function PoliciesView({ data, state, cursor, width, height }: ListViewProps): ReactElement {
  return (
    <TableView
      columns={columns(state.tableSorts.policies)}
      window={tableWindow(visiblePolicies(data, state), cursor, height)}
      cursor={cursor}
      width={width}
      empty="no policies in this source"
    />
  );
}

const openPolicy = openRowKey(
  'Open the policy',
  'open',
  ({ state, data }) => visiblePolicies(data, state),
  (ctx) => {
    const p = selectedOf(visiblePolicies(ctx.data, ctx.state), ctx);
    if (!p) return ctx.state;
    const policy = { kind: p.kind, namespace: p.namespace, name: p.name };
    return { ...ctx.state, stack: push(ctx.state.stack, { view: 'policy', cursor: 0, policy, ruleRef: null }) };
  },
);

/** kubectl's short names (`kubectl api-resources`) and Istio's (`ap`, `pa`, `ra`): the policies of one kind. */
const KIND_ALIASES: readonly ViewAlias[] = [
  ['NetworkPolicy', 'netpol', 'networkpolicy', 'networkpolicies'],
  ['AuthorizationPolicy', 'ap', 'authorizationpolicy', 'authorizationpolicies'],
  ['PeerAuthentication', 'pa', 'peerauthentication', 'peerauthentications'],
  ['RequestAuthentication', 'ra', 'requestauthentication', 'requestauthentications'],
].flatMap(([kind = '', ...words]) => words.map((word) => ({ word, filter: `kind:${kind}` })));

export const policiesView: ViewDescriptor<'policies'> = {
  id: 'policies',
  title: 'Policies',
  crumb: () => 'policies',
  aliases: [{ word: 'policies' }, { word: 'policy' }, { word: 'pol' }, ...KIND_ALIASES],
  open: (state, _data, alias) => ({
    ...state,
    filters: alias.filter === undefined ? state.filters : { ...state.filters, policies: alias.filter },
    stack: jumpTo(state.stack, 'policies'),
  }),
  rows: policyRowKeys,
  render: (props) => <PoliciesView {...tableProps(props)} />,
  keys: [
    allNamespacesKey(),
    showYamlKey(),
    describeKey(openPolicy),
    sortColumnKey(POLICY_SORTS),
    openPolicy,
    filterKey('Filter policies by text'),
  ],
};
