import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * The scripts' shared command-line contract: strict options, no positionals, `--help` prints the usage and
 * exits 0, a bad option prints the problem and the usage and exits 2.
 */
export function parseCli<Options extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: Options,
  usage: string,
  io: CliIo,
): { values: ReturnType<typeof parseArgs<{ options: Options; strict: true }>>['values'] } | { exit: number } {
  let values: ReturnType<typeof parseArgs<{ options: Options; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    }) as unknown as { values: typeof values });
  } catch (error) {
    io.stderr(error instanceof Error ? error.message : String(error));
    io.stderr(usage);
    return { exit: 2 };
  }
  if ((values as { help?: boolean }).help) {
    io.stdout(usage);
    return { exit: 0 };
  }
  return { values };
}
