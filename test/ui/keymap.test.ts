import { describe, expect, it } from 'vitest';
import { commandFor, KEYMAP } from '../../src/ui/keymap.js';
import type { ViewKey } from '../../src/ui/views/descriptor.js';
import { allViews } from '../../src/ui/views/registry.js';
import { ownKeys } from '../../src/ui/views/view-keys.js';

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

  it('resolves shared keys through a chain of scopes', () => {
    expect(commandFor('j', ['list', 'global'], { readonly: false })).toBe('cursor-down');
    expect(commandFor('q', ['list', 'global'], { readonly: false })).toBe('quit');
    expect(commandFor('/', ['list', 'global'], { readonly: false })).toBeNull();
  });

  it('hides writes in read-only mode', () => {
    expect(commandFor('y', ['confirm'], { readonly: false })).toBe('confirm-yes');
    expect(commandFor('y', ['confirm'], { readonly: true })).toBeNull();
    expect(ownKeys('pods', false).some((k) => k.id === 'log-level')).toBe(true);
    expect(ownKeys('pods', true).some((k) => k.danger)).toBe(false);
  });

  it('marks the log level key as a write in every view', () => {
    const logLevel = allViews().flatMap((v) => (v.keys as readonly ViewKey[]).filter((k) => k.id === 'log-level'));
    expect(logLevel.length).toBeGreaterThan(0);
    expect(logLevel.every((k) => k.danger === true && k.category === 'writes')).toBe(true);
  });
});
