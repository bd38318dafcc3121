import { describe, expect, it } from 'vitest';
import { bindingsFor, commandFor, KEYMAP, VIEW_SCOPES, type Scope } from '../../src/ui/keymap.js';

describe('keymap', () => {
  it('gives every entry a description and exactly one category', () => {
    for (const b of KEYMAP) {
      expect(b.description.trim().length, b.id).toBeGreaterThan(4);
      expect(typeof b.category, b.id).toBe('string');
      expect(b.keys.length, b.id).toBeGreaterThan(0);
    }
  });

  it('binds no key twice within a scope', () => {
    const seen = new Map<string, string>();
    for (const b of KEYMAP) {
      for (const key of b.keys) {
        const where = `${b.scope}:${key}`;
        expect(seen.get(where), `${where} bound to ${seen.get(where)} and ${b.id}`).toBeUndefined();
        seen.set(where, b.id);
      }
    }
  });

  it('lets no view scope shadow a key of the scopes it inherits, except on purpose', () => {
    // in help, q closes help (k9s) instead of quitting
    const onPurpose = new Set(['help:q']);
    for (const [view, scopes] of Object.entries(VIEW_SCOPES)) {
      const owner = new Map<string, Scope>();
      for (const scope of scopes) {
        for (const b of KEYMAP.filter((x) => x.scope === scope)) {
          for (const key of b.keys) {
            const first = owner.get(key);
            if (onPurpose.has(`${view}:${key}`)) continue;
            expect(first, `${view}: ${key} in ${scope} is shadowed by ${first}`).toBeUndefined();
            owner.set(key, scope);
          }
        }
      }
    }
  });

  it('resolves keys through the scope chain of a view', () => {
    expect(commandFor('j', VIEW_SCOPES['pods'] ?? [], { readonly: false })).toBe('cursor-down');
    expect(commandFor('q', VIEW_SCOPES['logs'] ?? [], { readonly: false })).toBe('quit');
    expect(commandFor('/', VIEW_SCOPES['pod'] ?? [], { readonly: false })).toBeNull();
  });

  it('hides writes in read-only mode', () => {
    expect(commandFor('L', VIEW_SCOPES['pods'] ?? [], { readonly: false })).toBe('log-level');
    expect(commandFor('L', VIEW_SCOPES['pods'] ?? [], { readonly: true })).toBeNull();
    expect(bindingsFor(['pods'], { readonly: true }).some((b) => b.danger)).toBe(false);
  });

  it('marks the log level key as a write in every scope', () => {
    const logLevel = KEYMAP.filter((b) => b.id === 'log-level');
    expect(logLevel.length).toBeGreaterThan(0);
    expect(logLevel.every((b) => b.danger === true && b.category === 'writes')).toBe(true);
  });
});
