/**
 * Reads manifests from files, directories (searched recursively) and `-` (stdin)
 * into raw objects. All file I/O for manifests lives here.
 */
import { fileErrorText } from '../../util/file-error-text.js';
import { appendAll } from '../../util/append.js';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RawObject } from '../../model/raw.js';
import type { SnapshotGap } from './snapshot-gaps.js';
import type { Finding } from '../../model/findings.js';
import { finding } from '../../model/findings.js';
import { inputError } from '../../util/errors.js';
import { parseManifestText } from './parse-documents.js';
import { decodeTextStrict, notUtf8Message } from '../../util/utf8.js';
import { readInputFile, readInputStream, SPLIT_MANIFESTS } from '../../util/input-bytes.js';
import { progressTracker, type ProgressListener } from '../load-progress.js';

export interface LoadedManifests {
  readonly objects: RawObject[];
  readonly findings: Finding[];
  /** every file read, in order */
  readonly files: string[];
  /** what `meshdbg snapshot` files among them could not read (their status.gaps) */
  readonly gaps: SnapshotGap[];
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** Files above this size say on a terminal that they are being read (a cluster dump takes seconds). */
const PROGRESS_BYTES = 4 * 1024 * 1024;

/**
 * Manifest files under `dir`, recursively. Only regular files are read (a symlink counts by
 * its target): a FIFO, socket or device found in a directory is skipped with a warning
 * (reading a FIFO would wait for a writer for ever); an unreadable directory is an error.
 */
async function listManifestFiles(
  dir: string,
  warnings: { file: string; reason: string }[],
  flag: string,
): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw inputError(
      'unreadable-path',
      `cannot read directory ${dir}: ${fileErrorText(err)}`,
      `check its permissions, or point ${flag} at readable manifests`,
    );
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    // kubelet's atomic-writer entries of a mounted ConfigMap (`..data`, `..2026_...`) repeat the files
    if (entry.name.startsWith('..')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) appendAll(files, await listManifestFiles(path, warnings, flag));
    } else if (MANIFEST_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) files.push(path);
      else
        warnings.push({
          file: path,
          reason: info ? 'not a regular file (a FIFO, socket or device)' : 'unreadable or a broken link',
        });
    }
  }
  return files;
}

async function readStdin(): Promise<string> {
  const decoded = decodeTextStrict(await readInputStream(process.stdin, '<stdin>', SPLIT_MANIFESTS));
  if (decoded.ok) return decoded.text;
  throw inputError('yaml-syntax', notUtf8Message('<stdin>', decoded.line, decoded.column, decoded.utf16));
}

async function filesFor(path: string, warnings: { file: string; reason: string }[], flag: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw inputError(
      'unreadable-path',
      `cannot read ${flag} ${path}: ${fileErrorText(err)}`,
      'give a manifest file, a directory of manifests, or - for stdin',
    );
  }
  if (!info.isDirectory()) return [path];
  const skippedBefore = warnings.length;
  const files = await listManifestFiles(path, warnings, flag);
  if (files.length === 0) {
    // manifest names that could not be read (broken links, FIFOs) are why, not an empty folder
    const skipped = warnings.slice(skippedBefore);
    const why = skipped.length
      ? `no readable .yaml, .yml or .json files in this directory: ${skipped
          .slice(0, 3)
          .map((w) => `${w.file} is ${w.reason}`)
          .join('; ')}${skipped.length > 3 ? `; and ${skipped.length - 3} more` : ''}`
      : 'no .yaml, .yml or .json files in this directory';
    throw inputError(
      'no-manifests',
      `${flag} ${path}: ${why}`,
      skipped.length
        ? `fix or remove the links, or point ${flag} at the files they meant`
        : `point ${flag} at the folder with your manifests`,
    );
  }
  return files;
}

/**
 * Loads every path; `-` reads stdin once. Syntax errors come back as `error` findings.
 * `flag` names the option the paths came from in messages (default `--from`; diff's NEW is `--to`).
 */
export async function loadManifests(
  paths: readonly string[],
  options: { readStdin?: () => Promise<string>; onProgress?: ProgressListener; flag?: string } = {},
): Promise<LoadedManifests> {
  const flag = options.flag ?? '--from';
  const progress = progressTracker('file', options.onProgress);
  const objects: RawObject[] = [];
  const findings: Finding[] = [];
  const files: string[] = [];
  const gaps: SnapshotGap[] = [];
  for (const path of paths) {
    if (path === '-') {
      const text = await (options.readStdin ?? readStdin)();
      const parsed = parseManifestText('<stdin>', text);
      appendAll(objects, parsed.objects);
      appendAll(findings, parsed.findings);
      appendAll(gaps, parsed.gaps ?? []);
      files.push('<stdin>');
      progress.finish('<stdin>', parsed.objects.length);
      continue;
    }
    const warnings: { file: string; reason: string }[] = [];
    const found = await filesFor(path, warnings, flag);
    // relative to the working directory, unless that climbs out of it
    const shownName = (file: string): string => {
      const rel = relative(process.cwd(), file) || file;
      return rel.startsWith('..') ? file : rel;
    };
    progress.add(found.map(shownName));
    for (const w of warnings)
      findings.push(
        finding('skipped-file', `${w.file}: skipped: ${w.reason}`, { loc: { file: w.file, line: null, doc: 0 } }),
      );
    for (const file of found) {
      const bytes = await readInputFile(file, SPLIT_MANIFESTS);
      const shown = shownName(file);
      const decoded = decodeTextStrict(bytes);
      if (!decoded.ok) {
        const { line, column, utf16 } = decoded;
        findings.push(
          finding('yaml-syntax', notUtf8Message(shown, line, column, utf16), { loc: { file: shown, line, doc: 0 } }),
        );
        files.push(file);
        progress.finish(shown, 0);
        continue;
      }
      const text = decoded.text;
      // with a progress listener the caller shows it (the TUI's loading screen); else a line on stderr
      const big = text.length > PROGRESS_BYTES && process.stderr.isTTY && options.onProgress === undefined;
      if (big) process.stderr.write(`meshdbg: reading ${shown} (${(text.length / 1024 / 1024).toFixed(1)} MB)...`);
      const parsed = parseManifestText(shown, text);
      if (big) process.stderr.write(` ${parsed.objects.length} objects\n`);
      appendAll(objects, parsed.objects);
      appendAll(findings, parsed.findings);
      appendAll(gaps, parsed.gaps ?? []);
      files.push(file);
      progress.finish(shown, parsed.objects.length);
    }
  }
  return { objects, findings, files, gaps };
}
