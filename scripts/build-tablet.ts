import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import type { DutyRule } from '#flows/duty-rule.ts';
import { encodePng } from './teams-package/png.ts';

/**
 * Builds the interviewers' tablet app (issue 8) into web/tablet/dist: the app script with the `flows/`
 * engine inside, its page, style, manifest and icons, and a service worker that caches exactly those
 * files under a version derived from their contents.
 */

const root = join(import.meta.dirname, '..');
const tabletDir = join(root, 'web', 'tablet');
const TARGETS = ['chrome111', 'firefox111', 'safari16.4', 'edge111'];
const COPIED = ['index.html', 'app.css', 'manifest.webmanifest', 'icon.svg'];

export interface BuiltTablet {
  dir: string;
  version: string;
  files: string[];
  scriptBytes: number;
  scriptGzipBytes: number;
}

/**
 * The app's icon as a PNG (home screens that ignore the SVG want one): the brand square with a light
 * speech bubble, drawn pixel by pixel and encoded by the PNG writer the Teams package uses.
 */
export function iconPng(size: number): Buffer {
  const brand = [0x1f, 0x4e, 0x5f];
  const paper = [0xf6, 0xf4, 0xef];
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const u = x / size;
      const v = y / size;
      const bubble = u > 0.22 && u < 0.78 && v > 0.3 && v < 0.68;
      const tail = v >= 0.68 && v < 0.8 && u > 0.32 && u < 0.32 + (0.8 - v) * 1.1;
      pixels.set(bubble || tail ? paper : brand, (y * size + x) * 3);
    }
  }
  return encodePng({ width: size, height: size, channels: 3, pixels });
}

async function bundle(entry: string, define: Record<string, string> = {}): Promise<Uint8Array> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: TARGETS,
    define,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'error',
    write: false,
  });
  return result.outputFiles[0]!.contents;
}

export async function buildTablet(
  options: {
    outdir?: string;
    /** The county's duty rules (the deployment's countyConfig), so the tablet's outcomes are the server's. */
    dutyRules?: readonly DutyRule[];
  } = {},
): Promise<BuiltTablet> {
  const outdir = options.outdir ?? join(tabletDir, 'dist');
  const contents = new Map<string, Uint8Array>();
  contents.set(
    'app.js',
    await bundle(join(tabletDir, 'app.ts'), { COUNTY_DUTY_RULES: JSON.stringify(options.dutyRules ?? null) }),
  );
  for (const file of COPIED) contents.set(file, await readFile(join(tabletDir, file)));
  contents.set('icon-192.png', iconPng(192));
  contents.set('icon-512.png', iconPng(512));
  const hash = createHash('sha256');
  for (const [name, content] of [...contents].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(name).update(content);
  }
  const version = hash.digest('hex').slice(0, 16);
  // The page is cached under the scope URL itself, the address the app is opened at.
  const files = ['./', ...[...contents.keys()].filter((file) => file !== 'index.html')];
  contents.set(
    'sw.js',
    await bundle(join(tabletDir, 'worker', 'sw.ts'), {
      APP_VERSION: JSON.stringify(version),
      APP_FILES: JSON.stringify(files),
    }),
  );
  // Built aside and swapped in whole: a server (npm start, a test) may be serving the old build.
  const staging = `${outdir}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(staging, { recursive: true });
  for (const [name, content] of contents) await writeFile(join(staging, name), content);
  const old = `${outdir}.${process.pid}.old`;
  await rm(old, { recursive: true, force: true });
  await rename(outdir, old).catch(() => undefined);
  await rename(staging, outdir);
  await rm(old, { recursive: true, force: true });
  const script = contents.get('app.js')!;
  return {
    dir: outdir,
    version,
    files,
    scriptBytes: script.byteLength,
    scriptGzipBytes: gzipSync(script).length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const built = await buildTablet();
  console.log(
    `${relative(process.cwd(), built.dir)}: version ${built.version}, app.js ${(built.scriptBytes / 1024).toFixed(0)} KB, ${(built.scriptGzipBytes / 1024).toFixed(0)} KB gzipped (${Date.now() - started} ms)`,
  );
}
