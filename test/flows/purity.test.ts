import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const flowsDir = join(import.meta.dirname, '..', '..', 'flows');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Flows run on the server, on tablets and in replays: a clock, randomness or I/O would make them disagree. */
const forbidden: Array<[string, RegExp]> = [
  ['a clock (Date.now)', /Date\.now\s*\(/],
  ['a clock (new Date())', /new Date\(\s*\)/],
  ['randomness', /Math\.random|randomUUID|crypto\./],
  ['Node built-ins (I/O)', /from ['"]node:/],
  ['process environment', /process\.env/],
  ['network', /\bfetch\s*\(/],
  ['timers', /setTimeout|setInterval|\bafter\s*:/],
  ['the AWS SDK', /@aws-sdk/],
  ['async code', /\basync\b|\bawait\b/],
];

describe('flows/ is pure', () => {
  const files = sourceFiles(flowsDir);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(forbidden)('uses no %s', (_what, pattern) => {
    const offenders = files
      .filter((file) => pattern.test(readFileSync(file, 'utf8')))
      .map((file) => relative(flowsDir, file));
    expect(offenders).toEqual([]);
  });
});
