/**
 * Sorting of every table by Shift+letter, as k9s does (Shift-N name, Shift-S ... : a capital
 * letter picks the column, the same letter again reverses). The pods table keeps its own sort
 * (`AppState.sort`, N/S/D/R); the others are listed here, the letters per view in one table so
 * the keymap, the column marks and the sorting agree.
 */
import type { ShownDenial } from './app-state.js';
import { SEVERITY_RANK, type Finding } from '../../model/findings.js';
import type { PolicyItem } from '../data/policy-items.js';
import type { NamespaceItem, ServiceItem } from '../data/service-items.js';

export interface SortColumn<T> {
  /** the Shift+letter */
  readonly key: string;
  /** the column title it marks */
  readonly title: string;
  readonly value: (row: T) => string | number;
}

export interface TableSort {
  readonly key: string;
  readonly descending: boolean;
}

export const DENIAL_SORTS: readonly SortColumn<ShownDenial>[] = [
  { key: 'T', title: 'TIME', value: (d) => d.time },
  { key: 'N', title: 'N', value: (d) => d.count },
  { key: 'S', title: 'SOURCE', value: (d) => d.source },
  { key: 'D', title: 'DESTINATION', value: (d) => d.destination },
  { key: 'Q', title: 'REQUEST', value: (d) => d.request },
  { key: 'P', title: 'POLICY[RULE]', value: (d) => d.ruleRef ?? '' },
];

export const POLICY_SORTS: readonly SortColumn<PolicyItem>[] = [
  { key: 'K', title: 'KIND', value: (p) => p.kind },
  { key: 'S', title: 'NAMESPACE', value: (p) => p.namespace ?? '' },
  { key: 'N', title: 'NAME', value: (p) => p.name },
];

export const SERVICE_SORTS: readonly SortColumn<ServiceItem>[] = [
  { key: 'S', title: 'NAMESPACE', value: (s) => s.namespace },
  { key: 'N', title: 'NAME', value: (s) => s.name },
  { key: 'T', title: 'TYPE', value: (s) => s.type },
  { key: 'P', title: 'PODS', value: (s) => s.pods.length },
];

export const NAMESPACE_SORTS: readonly SortColumn<NamespaceItem>[] = [
  { key: 'N', title: 'NAME', value: (n) => n.name },
  { key: 'P', title: 'PODS', value: (n) => n.pods },
  { key: 'O', title: 'POLICIES', value: (n) => n.policies },
];

export const FINDING_SORTS: readonly SortColumn<Finding>[] = [
  { key: 'S', title: 'SEVERITY', value: (f) => -SEVERITY_RANK[f.severity] },
  { key: 'C', title: 'CODE', value: (f) => f.code },
  {
    key: 'O',
    title: 'OBJECT',
    value: (f) => `${f.object?.kind ?? ''} ${f.object?.namespace ?? ''}/${f.object?.name ?? ''}`,
  },
];

/** The help line of a view's sort keys: `T time, N n, ...`. */
export function sortKeysDescription(columns: readonly SortColumn<never>[]): string {
  return `Sort by column (again: reverse): ${columns.map((c) => `${c.key} ${c.title.toLowerCase()}`).join(', ')}`;
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/** Rows in the order `sort` asks for (stable: ties keep their order); unchanged without a sort. */
export function sortRows<T>(rows: readonly T[], columns: readonly SortColumn<T>[], sort: TableSort | undefined): T[] {
  const column = sort === undefined ? undefined : columns.find((c) => c.key === sort.key);
  if (column === undefined || sort === undefined) return [...rows];
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => sign * compare(column.value(a), column.value(b)));
}

/** Pressing a column's letter sorts by it; pressing it again reverses. */
export function nextSort(current: TableSort | undefined, key: string): TableSort {
  return current?.key === key ? { key, descending: !current.descending } : { key, descending: false };
}

/** The `sorted` mark of a column titled `title`. */
export function sortMarkOf<T>(
  title: string,
  columns: readonly SortColumn<T>[],
  sort: TableSort | undefined,
): { sorted?: 'ascending' | 'descending' } {
  const column = sort === undefined ? undefined : columns.find((c) => c.key === sort.key);
  return column?.title === title && sort ? { sorted: sort.descending ? 'descending' : 'ascending' } : {};
}
