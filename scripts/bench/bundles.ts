import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { routes } from '#functions/api/routes.ts';
import { round, summarize } from './stats.ts';

const root = join(import.meta.dirname, '..', '..');

/** The same bundling the CDK construct (infra/api-function.ts) asks esbuild for. */
const bundling = {
  bundle: true,
  format: 'esm' as const,
  platform: 'node' as const,
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: 'silent' as const,
};

export interface BundleResults {
  baseline: BundleResult;
  functions: BundleResult[];
}

export interface BundleResult {
  name: string;
  bytes: number;
  importMs: number;
  importRatio: number;
}

function importTimeMs(file: string): number {
  // A fresh process each time: this is a cold start's module load, nothing cached in memory.
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`import of ${file} failed: ${result.stderr}`);
  return Number(result.stdout);
}

export async function measureBundles(outDir: string, runs: number): Promise<BundleResults> {
  mkdirSync(outDir, { recursive: true });
  const targets = [
    {
      name: 'baseline: @aws-sdk/client-dynamodb',
      file: join(outDir, 'baseline.mjs'),
      options: {
        stdin: {
          contents:
            "export { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';",
          resolveDir: root,
          loader: 'ts' as const,
        },
      },
    },
    ...routes.map((route) => ({
      name: route.name,
      file: join(outDir, `${route.name}.mjs`),
      options: { entryPoints: [join(root, route.entry)] },
    })),
  ];
  for (const target of targets) await build({ ...bundling, ...target.options, outfile: target.file });

  // Interleaved rounds, so a busy moment on the machine slows every bundle alike.
  const samples = new Map<string, number[]>(targets.map((target) => [target.name, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const target of targets) samples.get(target.name)!.push(importTimeMs(target.file));
  }
  const results = targets.map((target) => ({
    name: target.name,
    bytes: statSync(target.file).size,
    importMs: round(summarize(samples.get(target.name)!).median),
    importRatio: 0,
  }));
  const baseline = results[0]!;
  for (const result of results) result.importRatio = round(result.importMs / baseline.importMs, 3);
  return { baseline, functions: results.slice(1) };
}
