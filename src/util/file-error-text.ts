/**
 * Why a file could not be read, in the words `ls` and `cat` use (strerror), not Node's
 * `ENOENT: no such file or directory, stat '/x'` that repeats the path the message already names.
 */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

export function fileErrorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && ERRNO_TEXT[code] !== undefined) return ERRNO_TEXT[code];
  if (code !== undefined) return code;
  return err instanceof Error ? err.message : String(err);
}
