import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { normalizeKeys, splitText } from '../../../src/ui/input/normalize-keys.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('normalizeKeys', () => {
  it('splits a pasted chunk into one key per character, Enter included', () => {
    expect(normalizeKeys('pay\r', NO_KEY)).toEqual(['p', 'a', 'y', 'enter']);
  });

  it('names special keys from Ink flags', () => {
    expect(normalizeKeys('', { ...NO_KEY, downArrow: true })).toEqual(['down']);
    expect(normalizeKeys('', { ...NO_KEY, escape: true })).toEqual(['esc']);
    expect(normalizeKeys('\r', { ...NO_KEY, return: true })).toEqual(['enter']);
  });

  it('names control chords', () => {
    expect(normalizeKeys('c', { ...NO_KEY, ctrl: true })).toEqual(['ctrl+c']);
  });

  it('drops control characters it has no name for', () => {
    expect(splitText('a\u0007b\u007f')).toEqual(['a', 'b', 'backspace']);
  });
});
