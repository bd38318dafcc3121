/** Reads a check file (the schema of each example's expect.yaml): a YAML list of queries, each with an expect block. */
import yaml from 'js-yaml';
import { describeNestingExcess, findExcessiveNesting } from '../util/nesting-depth.js';
import { inputError } from '../util/errors.js';
import { decodeUtf8Strict, notUtf8Message } from '../util/utf8.js';
import { readInputFile } from '../util/input-bytes.js';

export async function readExpectations(file: string): Promise<unknown[]> {
  const bytes = await readInputFile(file, 'split the queries over several check files');
  // refused like a manifest (sources/manifests/load.ts): a lenient read would turn the bytes into U+FFFD
  // in names and paths, and the check would then test other queries than the ones written
  const decoded = decodeUtf8Strict(bytes);
  if (!decoded.ok) throw inputError('yaml-syntax', notUtf8Message(file, decoded.line, decoded.column));
  const text = decoded.text;
  const deep = findExcessiveNesting(text);
  if (deep) throw inputError('nesting-too-deep', `${file}:${deep.line}: ${describeNestingExcess(deep)}`);
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    const m = err instanceof yaml.YAMLException && err.mark ? `:${err.mark.line + 1}:${err.mark.column + 1}` : '';
    throw inputError('yaml-syntax', `${file}${m}: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  if (!Array.isArray(doc))
    throw inputError('bad-check-file', `${file}: must be a YAML list of queries, each with an expect block`);
  return doc;
}
