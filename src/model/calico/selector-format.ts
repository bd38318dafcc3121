/**
 * A parsed Calico selector printed the way Calico prints it (Selector.String(), the canonical form):
 * projectcalico/calico:libcalico-go/lib/selector/parser/ast.go collectFragments — && and || always
 * in parentheses, ! glued to its operand, values in "..." unless they contain ", sets sorted.
 */
import { assertNever } from '../../util/assert-never.js';
import type { CalicoSelectorNode } from './selector.js';

function quote(value: string): string {
  const q = value.includes('"') ? "'" : '"';
  return `${q}${value}${q}`;
}

const VALUE_OP_TEXT = {
  eq: ' == ',
  ne: ' != ',
  contains: ' contains ',
  startsWith: ' starts with ',
  endsWith: ' ends with ',
} as const;

export function formatCalicoSelector(node: CalicoSelectorNode): string {
  switch (node.op) {
    case 'all':
    case 'global':
      return `${node.op}()`;
    case 'has':
      return `has(${node.label})`;
    case 'not':
      return `!${formatCalicoSelector(node.operand)}`;
    case 'and':
    case 'or':
      return `(${node.operands.map(formatCalicoSelector).join(node.op === 'and' ? ' && ' : ' || ')})`;
    case 'in':
    case 'notIn':
      return `${node.label} ${node.op === 'in' ? 'in' : 'not in'} {${node.values.map(quote).join(', ')}}`;
    case 'eq':
    case 'ne':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return `${node.label}${VALUE_OP_TEXT[node.op]}${quote(node.value)}`;
    default:
      return assertNever(node, 'selector node');
  }
}
