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

/** What listens on each of `npm start`'s ports, and the option that moves it. */
export const portRoles = {
  port: 'the API and chat page',
  'idp-port': 'the sign-in provider',
  'teams-playground-port': 'the Agents Playground',
} as const;
export type PortRole = keyof typeof portRoles;

/**
 * A port someone else holds, said in one line: which port, what wanted it, and the option to pick another
 * (issue 19: before, `npm start` on a busy port printed a stack trace).
 */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly role: PortRole,
  ) {
    super(
      `Port ${port} (${portRoles[role]}) is busy: stop what holds it, or pick another with --${role} PORT.`,
    );
    this.name = 'PortInUseError';
  }
}

/** Resolves if `port` is free on 127.0.0.1 (0 always is); a `PortInUseError` for `role` if it is taken. */
export async function ensurePortFree(port: number, role: PortRole): Promise<void> {
  if (port === 0) return;
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, role) : error),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
