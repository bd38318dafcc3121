/** Dispatches argv to a command; each command returns its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--version') {
    process.stdout.write('meshdbg 0.1.0\n');
    return 0;
  }
  process.stderr.write('meshdbg: not implemented yet\n');
  return 2;
}
