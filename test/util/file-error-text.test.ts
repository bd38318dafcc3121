/** Unreadable inputs are named once, with the reason in strerror's words (what `cat FILE` says). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileErrorText } from '../../src/util/file-error-text.js';
import { readInputFile } from '../../src/util/input-bytes.js';

const errno = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

describe('fileErrorText', () => {
  it.each([
    ['ENOENT', "ENOENT: no such file or directory, stat '/x'", 'no such file or directory'],
    ['EACCES', "EACCES: permission denied, open '/x'", 'permission denied'],
    ['EISDIR', 'EISDIR: illegal operation on a directory, read', 'is a directory'],
    ['ENOTDIR', "ENOTDIR: not a directory, stat '/etc/hosts/x'", 'a part of the path is not a directory'],
    ['ELOOP', "ELOOP: too many symbolic links encountered, stat '/x'", 'too many levels of symbolic links'],
    ['EWHATEVER', 'EWHATEVER: something', 'EWHATEVER'],
  ])('%s', (code, message, text) => {
    expect(fileErrorText(errno(code, message))).toBe(text);
  });

  it('an error without a code keeps its message', () => {
    expect(fileErrorText(new Error('stream ended early'))).toBe('stream ended early');
    expect(fileErrorText('odd')).toBe('odd');
  });
});

describe('readInputFile names the path once', () => {
  it.each([
    ['a missing file', (dir: string) => join(dir, 'nothing'), 'no such file or directory'],
    ['a directory', (dir: string) => dir, 'is a directory'],
  ])('%s', async (_what, pathOf, reason) => {
    const path = pathOf(mkdtempSync(join(tmpdir(), 'meshdbg-read-')));
    await expect(readInputFile(path, 'split it')).rejects.toThrow(`cannot read ${path}: ${reason}`);
    await expect(readInputFile(path, 'split it')).rejects.not.toThrow(/ENOENT|EISDIR|stat '/);
  });
});
