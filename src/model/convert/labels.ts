/** Label keys/values and label selectors, validated as the API server does. */
import type { LabelSelector, LabelSelectorRequirement, SelectorOperator } from '../k8s.js';
import { arrayAt, isRecord, stringAt, type ConvertContext } from './context.js';

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function labelKeyProblem(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `label key prefix "${prefix}" must be a DNS subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return `label key "${key}" must be 1-63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`;
  }
  return null;
}

/**
 * How to make a number or boolean the string a field wants, or null for other values. A boolean's
 * written word is not known here: kubectl's YAML reads several as booleans (util/kubectl-yaml.ts).
 */
export function quoteHint(value: unknown): string | null {
  if (typeof value === 'number') return `quote it ("${value}")`;
  if (typeof value === 'boolean')
    return 'quote it (kubectl reads unquoted true/false, yes/no, on/off and y/n as booleans, as YAML 1.1 does)';
  return null;
}

export function labelValueProblem(value: string): string | null {
  if (value === '') return null;
  if (value.length > 63 || !NAME.test(value)) {
    return `label value "${value}" must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`;
  }
  return null;
}

function nonStringProblem(key: string, value: unknown): string {
  const hint = quoteHint(value);
  if (hint === null) return `value of "${key}" must be a string`;
  const what = typeof value === 'number' ? `${JSON.stringify(value)}, a number` : 'a boolean';
  return `value of "${key}" is ${what}; the API server wants a string: ${hint}`;
}

/**
 * metadata.labels of an object: string values as the API server stores them; a null value is
 * stored as "" (Go decodes null map values as zero values); numbers and booleans are rejected.
 */
export function convertLabels(raw: unknown, field: string, ctx: ConvertContext): Record<string, string> {
  return convertStringMap(raw, field, ctx, true);
}

/** A map of strings (labels, annotations, a Service selector): numbers and booleans are API errors. */
export function convertStringMap(
  raw: unknown,
  field: string,
  ctx: ConvertContext,
  labels = false,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === null || raw === undefined) return out;
  if (!isRecord(raw)) {
    ctx.report(labels ? 'invalid-label' : 'invalid-field', field, 'must be a map of key to string value', raw);
    return out;
  }
  for (const [k, v] of Object.entries(raw)) {
    const value = v === null ? '' : typeof v === 'string' ? v : null;
    const problem =
      value === null ? nonStringProblem(k, v) : labels ? (labelKeyProblem(k) ?? labelValueProblem(value)) : null;
    if (problem) ctx.report(labels ? 'invalid-label' : 'invalid-field', `${field}.${k}`, problem, raw);
    else out[k] = value as string;
  }
  return out;
}

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Converts a selector; reports invalid ones and returns a selector that matches nothing
 * for them (an invalid object cannot exist in a cluster, and lint/explain refuse it anyway).
 */
export function convertSelector(raw: unknown, field: string, ctx: ConvertContext): LabelSelector {
  if (raw === null || raw === undefined) return { matchLabels: {}, matchExpressions: [] };
  if (!isRecord(raw)) {
    ctx.report('invalid-selector', field, 'must be a label selector object', raw);
    return { matchLabels: {}, matchExpressions: [{ key: '', operator: 'In', values: [] }] };
  }
  const matchLabels: Record<string, string> = {};
  let valid = true;
  const labels = raw['matchLabels'];
  if (labels !== undefined && labels !== null) {
    if (!isRecord(labels)) {
      ctx.report('invalid-selector', `${field}.matchLabels`, 'must be a map of label key to value', raw);
      valid = false;
    } else {
      for (const [k, v] of Object.entries(labels)) {
        const value = typeof v === 'string' ? v : null;
        const problem = labelKeyProblem(k) ?? (value === null ? nonStringProblem(k, v) : labelValueProblem(value));
        if (problem) {
          ctx.report('invalid-label', `${field}.matchLabels`, problem, labels);
          valid = false;
        } else matchLabels[k] = value as string;
      }
    }
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  const exprs = raw['matchExpressions'];
  if (exprs !== undefined && exprs !== null) {
    const list = arrayAt(exprs);
    if (!list) {
      ctx.report('invalid-selector', `${field}.matchExpressions`, 'must be a list', raw);
      valid = false;
    }
    (list ?? []).forEach((e, i) => {
      const f = `${field}.matchExpressions[${i}]`;
      const key = isRecord(e) ? stringAt(e['key']) : null;
      const op = isRecord(e) ? stringAt(e['operator']) : null;
      const rawValues = isRecord(e) ? (arrayAt(e['values']) ?? []) : [];
      const nonString = rawValues.find((x) => typeof x !== 'string');
      if (nonString !== undefined) {
        ctx.report(
          'invalid-label',
          `${f}.values`,
          `${JSON.stringify(nonString)} is not a string; quote it ("${String(nonString)}")`,
          e,
        );
        valid = false;
        return;
      }
      const values = rawValues as string[];
      if (key === null || labelKeyProblem(key)) {
        ctx.report(
          'invalid-selector',
          `${f}.key`,
          key === null ? 'key is required' : (labelKeyProblem(key) as string),
          e,
        );
        valid = false;
        return;
      }
      if (!OPERATORS.includes(op as SelectorOperator)) {
        ctx.report(
          'invalid-selector',
          `${f}.operator`,
          `"${op ?? ''}" is not a valid operator (In, NotIn, Exists, DoesNotExist)`,
          e,
        );
        valid = false;
        return;
      }
      const operator = op as SelectorOperator;
      if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
        ctx.report('invalid-selector', `${f}.values`, `must be non-empty for operator ${operator}`, e);
        valid = false;
        return;
      }
      if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
        ctx.report('invalid-selector', `${f}.values`, `must be empty for operator ${operator}`, e);
        valid = false;
        return;
      }
      for (const v of values) {
        const problem = labelValueProblem(v);
        if (problem) {
          ctx.report('invalid-label', `${f}.values`, problem, e);
          valid = false;
        }
      }
      matchExpressions.push({ key, operator, values });
    });
  }
  if (!valid)
    return {
      matchLabels: {},
      matchExpressions: [{ key: 'meshdbg.dev/invalid-selector', operator: 'Exists', values: [] }],
    };
  return { matchLabels, matchExpressions };
}
