import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/**
 * Builds the shelter widget into web/widget/dist/: `widget.js`, the small loader a host page's script tag
 * loads (web/widget/widget.ts: it only makes the iframe); `frame.js`, the widget itself (web/widget/frame.ts,
 * with Web Chat's ESM build and React inside); and `frame.html`, the page the iframe shows, on the
 * deployment's origin (issue 18). Web Chat's full bundle also carries speech, Direct Line, every UI
 * language and a carousel; the plugin below leaves those out, which roughly halves the file.
 *
 * Issue 20: `frame.html` names its script with the script's content version (`frame.js?v=…`), so a browser
 * may keep that address for good (the dev server says `immutable` when the version matches the bytes) and a
 * second opening of the chat reads the 2 MB from its cache; a new build is a new address.
 */

const root = join(import.meta.dirname, '..');
const widgetDir = join(root, 'web', 'widget');

interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The loader (`file`, what host pages load) and the frame's script; `frame.html` sits beside them. */
export interface BuiltWidget extends BuiltFile {
  frame: BuiltFile & { version: string };
}

/**
 * A file's content version: the first characters of its SHA-256, base64url. The dev server computes the
 * same from the bytes it serves, and only a matching `?v=` is cached as immutable.
 */
const CONTENT_VERSION_CHARS = 16;
function contentVersion(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('base64url').slice(0, CONTENT_VERSION_CHARS);
}

/** The one script of frame.html, as written in the source (checked, so a changed page fails the build). */
const FRAME_SCRIPT = '<script src="/widget/frame.js"></script>';

/** Only the languages the screening speaks; Web Chat falls back to English for anything else. */
const KEPT_LANGUAGES = ['en-US', 'es-ES'];

/**
 * Two statements in Web Chat's prebuilt chunks (`window.WebChat = {...}`) reference every export,
 * speech and Direct Line included, and also put a global on the host page. Without them the bundler
 * can drop what the widget never calls. A Web Chat upgrade that changes them fails the build loudly.
 */
const GLOBAL_ASSIGNMENT = /window\.WebChat=\{\.\.\.window\.WebChat,[^{}]*\};/;
const LANGUAGE_TABLE = /\{"ar-EG":[\w$]+,[^{}]*\}/;

/** Packages that only Web Chat's unused entry points (speech, Direct Line) import. */
const UNUSED_UNLESS_CALLED =
  /^(botframework-directlinespeech-sdk|botframework-directlinejs|web-speech-cognitive-services)(\/|$)/;

const slimWebChat: esbuild.Plugin = {
  name: 'slim-web-chat',
  setup(build) {
    build.onResolve({ filter: UNUSED_UNLESS_CALLED }, async (args) => {
      if (args.pluginData === 'slim-web-chat') return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'slim-web-chat',
      });
      return { ...resolved, sideEffects: false };
    });
    build.onResolve({ filter: /^(punycode|swiper|swiper\/modules|postcss)$/ }, (args) => ({
      path: join(widgetDir, 'shims', `${args.path.replace('/modules', '')}.ts`),
    }));
    build.onLoad({ filter: /botframework-webchat[/\\]dist[/\\]chunk-[A-Z0-9]+\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!GLOBAL_ASSIGNMENT.test(source))
        throw new Error(`Web Chat changed: no window.WebChat assignment in ${args.path}`);
      return { contents: source.replace(GLOBAL_ASSIGNMENT, ''), loader: 'js' };
    });
    build.onLoad(
      { filter: /botframework-webchat-api[/\\]dist[/\\]botframework-webchat-api\.mjs$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!LANGUAGE_TABLE.test(source))
          throw new Error(`Web Chat changed: no language table in ${args.path}`);
        return {
          contents: source.replace(LANGUAGE_TABLE, (table) => {
            const kept = table
              .slice(1, -1)
              .split(',')
              .filter((entry) => KEPT_LANGUAGES.some((language) => entry.startsWith(`"${language}":`)));
            return `{${kept.join(',')}}`;
          }),
          loader: 'js',
        };
      },
    );
  },
};

async function bundle(
  entry: string,
  file: string,
  plugins: esbuild.Plugin[],
): Promise<BuiltFile & { content: Uint8Array }> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(widgetDir, entry)],
    outfile: file,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox111', 'safari16.4', 'edge111'],
    define: { 'process.env.NODE_ENV': '"production"', 'process.env.node_env': '"production"' },
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'error',
    plugins,
    write: false,
  });
  const content = result.outputFiles[0]!.contents;
  await writeWhole(file, content);
  return { file, bytes: content.byteLength, gzipBytes: gzipSync(content).length, content };
}

/** Written whole and renamed into place: a server (npm start, a test) may be reading the old file. */
async function writeWhole(file: string, content: Uint8Array | string): Promise<void> {
  const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(partial, content);
  await rename(partial, file);
}

export async function buildWidget(options: { outdir?: string } = {}): Promise<BuiltWidget> {
  const outdir = options.outdir ?? join(widgetDir, 'dist');
  await mkdir(outdir, { recursive: true });
  const [loader, frame, page] = await Promise.all([
    bundle('widget.ts', join(outdir, 'widget.js'), []),
    bundle('frame.ts', join(outdir, 'frame.js'), [slimWebChat]),
    readFile(join(widgetDir, 'frame.html'), 'utf8'),
  ]);
  if (!page.includes(FRAME_SCRIPT)) throw new Error(`frame.html no longer has ${FRAME_SCRIPT}`);
  const version = contentVersion(frame.content);
  // Written after frame.js, so the page never names a version that is not there yet.
  await writeWhole(
    join(outdir, 'frame.html'),
    page.replace(FRAME_SCRIPT, `<script src="/widget/frame.js?v=${version}"></script>`),
  );
  const { content: _loader, ...loaderFile } = loader;
  const { content: _frame, ...frameFile } = frame;
  return { ...loaderFile, frame: { ...frameFile, version } };
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const built = await buildWidget();
  for (const file of [built, built.frame])
    console.log(
      `${relative(process.cwd(), file.file)}: ${kilobytes(file.bytes)} minified, ${kilobytes(file.gzipBytes)} gzipped`,
    );
  console.log(`(${Date.now() - started} ms)`);
}
