/**
 * YAML views: `y` shows the selected object's YAML, `f` the explain result's fix; in either,
 * `c` copies it (OSC 52) and `:w FILE` writes it. The writes are effects the App runs.
 */
import { dump } from 'js-yaml';
import { stripControl } from '../sanitize.js';
import { line, type DocLine } from '../docs/doc.js';
import type { AppState, UiData } from './app-state.js';
import { flash } from './flash.js';
import { push, top } from './navigation.js';
import { podRowKeys, policyRowKeys } from './row-keys.js';
import { visiblePods, visiblePolicies } from './select.js';
import { selectedIndexBy } from './selection.js';

interface Shown {
  readonly title: string;
  readonly text: string;
}

function yamlOf(value: unknown): string {
  return stripControl(dump(value, { skipInvalid: true, noRefs: true, lineWidth: -1 }), true);
}

/** The object the view is about, as YAML: a policy as it was read, a pod as meshdbg modelled it. */
export function selectedYaml(state: AppState, data: UiData): Shown | null {
  const entry = top(state.stack);
  const pod =
    entry.view === 'pods'
      ? visiblePods(data, state)[selectedIndexBy(podRowKeys, data, state, entry)]
      : entry.view === 'pod'
        ? data.rowsByKey.get(entry.pod)
        : undefined;
  if (pod) {
    const { loc: _loc, ...model } = pod.pod;
    return { title: `yaml Pod/${pod.name}`, text: `# Pod ${pod.key} as meshdbg modelled it\n${yamlOf(model)}` };
  }
  const policy =
    entry.view === 'policies'
      ? visiblePolicies(data, state)[selectedIndexBy(policyRowKeys, data, state, entry)]
      : entry.view === 'policy'
        ? data.policies.find(
            (p) =>
              p.kind === entry.policy.kind && p.namespace === entry.policy.namespace && p.name === entry.policy.name,
          )
        : undefined;
  if (policy) return { title: `yaml ${policy.kind}/${policy.name}`, text: yamlOf(policy.raw) };
  return null;
}

export function showYaml(state: AppState, data: UiData): AppState {
  const shown = selectedYaml(state, data);
  if (shown === null) return flash(state, 'error', 'select a pod or a policy first');
  return { ...state, stack: push(state.stack, { view: 'yaml', cursor: 0, ...shown }) };
}

export function showFix(state: AppState): AppState {
  const entry = top(state.stack);
  if (entry.view !== 'explain' || entry.step !== 'result') return flash(state, 'error', 'run the query first');
  if (!entry.fixYaml) return flash(state, 'info', 'no fix: nothing in this answer needs a change');
  return { ...state, stack: push(state.stack, { view: 'yaml', cursor: 0, title: 'fix', text: entry.fixYaml }) };
}

/** What `:w` and `c` act on: the YAML view on top, or the fix of an explain result. */
export function shownText(state: AppState): string | null {
  const entry = top(state.stack);
  if (entry.view === 'yaml') return entry.text;
  if (entry.view === 'explain' && entry.step === 'result') return entry.fixYaml ?? null;
  return null;
}

export function writeShown(state: AppState, path: string): AppState {
  const text = shownText(state);
  if (text === null) return flash(state, 'error', 'nothing to write here: open a YAML view (y) or a fix (f) first');
  return { ...state, effects: [...state.effects, { kind: 'write-file', path, text }] };
}

export function copyShown(state: AppState): AppState {
  const text = shownText(state);
  if (text === null) return flash(state, 'error', 'nothing to copy here');
  return { ...state, effects: [...state.effects, { kind: 'copy', text }] };
}

export function yamlDoc(text: string): DocLine[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => line(l));
}
