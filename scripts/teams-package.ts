import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Zippable, zipSync } from 'fflate';
import { COLOR_ICON_SIZE, colorIcon, OUTLINE_ICON_SIZE, outlineIcon } from './teams-package/icons.ts';
import {
  ACCENT_COLOR,
  buildManifest,
  buildSpanishLocalization,
  COLOR_ICON_FILE,
  checkDeveloperName,
  checkGuid,
  checkHttpsUrl,
  checkValidDomains,
  checkVersion,
  type Developer,
  defaultDeveloper,
  deriveAppId,
  OUTLINE_ICON_FILE,
  SPANISH_FILE,
  type TeamsManifest,
  TeamsPackageConfigError,
} from './teams-package/manifest.ts';
import { localizationSchemaErrors, manifestSchemaErrors } from './teams-package/schema.ts';

export { TeamsPackageConfigError } from './teams-package/manifest.ts';

export const DEFAULT_OUT = 'teams-app/cse-screening-assistant.zip';

const usage = `npm run teams:package -- --bot-id GUID [options]

Builds the Microsoft Teams app package (manifest v1.17, icons, Spanish strings) that a Teams administrator
uploads, validates it against Microsoft's schema and writes the zip plus an unzipped copy beside it.

  --bot-id GUID           the bot's Microsoft app id (default: $MICROSOFT_APP_ID)
  --app-id GUID           the Teams app id (default: $TEAMS_APP_ID, else derived from the bot id, so every
                          rebuild updates the same app)
  --developer-name NAME   publisher shown in Teams, up to 32 characters (default: "${defaultDeveloper.name}")
  --website-url URL       https support page (default: ${defaultDeveloper.websiteUrl})
  --privacy-url URL       https privacy statement (default: ${defaultDeveloper.privacyUrl})
  --terms-url URL         https terms of use (default: ${defaultDeveloper.termsOfUseUrl})
  --valid-domain HOST     a domain the app may open, e.g. bot.example.org; repeatable (default: none)
  --out FILE.zip          where to write the package (default: ${DEFAULT_OUT})
  --help                  show this help

Exit status: 0 written, 1 the package failed schema validation (nothing written), 2 usage or configuration
error (nothing written).`;

export interface TeamsPackageOptions {
  botId: string;
  appId?: string | undefined;
  developer?: Partial<Developer> | undefined;
  validDomains?: readonly string[] | undefined;
  /** Where the zip goes; its unzipped copy goes in a folder of the same name without `.zip`. */
  out?: string | undefined;
  /** Defaults to package.json's version. */
  version?: string | undefined;
}

export interface TeamsPackageResult {
  zipPath: string;
  directory: string;
  manifest: TeamsManifest;
  files: string[];
  zipBytes: number;
  /** Developer fields left at their placeholder defaults, which an administrator should replace. */
  defaultedDeveloperFields: Array<keyof Developer>;
}

/** Thrown when the built package does not satisfy the official schema: a bug here, not the caller's input. */
export class TeamsPackageInvalidError extends Error {
  override name = 'TeamsPackageInvalidError';
  constructor(readonly problems: readonly string[]) {
    super(`The Teams package does not match the v1.17 schema:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

function packageVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof packageJson.version === 'string' ? packageJson.version : '';
}

const jsonFile = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

interface PackageFile {
  name: string;
  data: Uint8Array;
}

/**
 * A flat zip (fflate), entries in the given order; the icons are PNGs, already deflated, so they are stored.
 * Every entry's time is 1980-01-01 00:00, the earliest a zip can record, so the same inputs give the same bytes
 * on every rebuild. fflate writes the time from a Date's local-time fields, so the Date is made here, in the
 * current zone's local time: the fields come out the same in every time zone.
 */
function zipPackage(files: readonly PackageFile[]): Uint8Array {
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  const zippable: Zippable = {};
  for (const { name, data } of files)
    zippable[name] = [data, { level: name.endsWith('.png') ? 0 : 9, mtime }];
  return zipSync(zippable);
}

/**
 * Builds, validates and writes the package. Everything is checked before the first file is written, so a
 * refused build leaves an earlier package in place.
 */
export function buildTeamsPackage(options: TeamsPackageOptions): TeamsPackageResult {
  const botId = checkGuid(options.botId, 'The bot id (--bot-id or MICROSOFT_APP_ID)');
  const appId =
    options.appId === undefined
      ? deriveAppId(botId)
      : checkGuid(options.appId, 'The app id (--app-id or TEAMS_APP_ID)');
  const given = options.developer ?? {};
  const defaultedDeveloperFields = (Object.keys(defaultDeveloper) as Array<keyof Developer>).filter(
    (field) => given[field] === undefined,
  );
  const developer: Developer = {
    name: checkDeveloperName(given.name ?? defaultDeveloper.name),
    websiteUrl: checkHttpsUrl(given.websiteUrl ?? defaultDeveloper.websiteUrl, 'The website URL'),
    privacyUrl: checkHttpsUrl(given.privacyUrl ?? defaultDeveloper.privacyUrl, 'The privacy URL'),
    termsOfUseUrl: checkHttpsUrl(given.termsOfUseUrl ?? defaultDeveloper.termsOfUseUrl, 'The terms URL'),
  };
  const zipPath = resolve(options.out ?? DEFAULT_OUT);
  if (!zipPath.endsWith('.zip'))
    throw new TeamsPackageConfigError(`--out must name a .zip file, not "${options.out}".`);

  const manifest = buildManifest({
    appId,
    botId,
    version: checkVersion(options.version ?? packageVersion()),
    developer,
    validDomains: checkValidDomains(options.validDomains ?? []),
  });
  const spanish = buildSpanishLocalization();
  const problems = [
    ...manifestSchemaErrors(manifest).map((problem) => `manifest.json ${problem}`),
    ...localizationSchemaErrors(spanish).map((problem) => `${SPANISH_FILE} ${problem}`),
  ];
  if (problems.length > 0) throw new TeamsPackageInvalidError(problems);

  const entries: PackageFile[] = [
    { name: 'manifest.json', data: jsonFile(manifest) },
    { name: COLOR_ICON_FILE, data: colorIcon(ACCENT_COLOR) },
    { name: OUTLINE_ICON_FILE, data: outlineIcon() },
    { name: SPANISH_FILE, data: jsonFile(spanish) },
  ];
  const zip = zipPackage(entries);

  const directory = join(dirname(zipPath), basename(zipPath, '.zip'));
  mkdirSync(directory, { recursive: true });
  writeFileSync(zipPath, zip);
  for (const entry of entries) writeFileSync(join(directory, entry.name), entry.data);
  return {
    zipPath,
    directory,
    manifest,
    files: entries.map((entry) => entry.name),
    zipBytes: zip.length,
    defaultedDeveloperFields,
  };
}

export interface TeamsPackageIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** The CLI without the process: returns the exit code, so tests can call it directly. */
export function runTeamsPackage(
  argv: readonly string[],
  io: TeamsPackageIo,
  env: NodeJS.ProcessEnv = process.env,
): number {
  let values: {
    'bot-id'?: string | undefined;
    'app-id'?: string | undefined;
    'developer-name'?: string | undefined;
    'website-url'?: string | undefined;
    'privacy-url'?: string | undefined;
    'terms-url'?: string | undefined;
    'valid-domain'?: string[] | undefined;
    out?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'bot-id': { type: 'string' },
        'app-id': { type: 'string' },
        'developer-name': { type: 'string' },
        'website-url': { type: 'string' },
        'privacy-url': { type: 'string' },
        'terms-url': { type: 'string' },
        'valid-domain': { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(error instanceof Error ? error.message : String(error));
    io.stderr(usage);
    return 2;
  }
  if (values.help) {
    io.stdout(usage);
    return 0;
  }

  const botId = values['bot-id'] ?? (env.MICROSOFT_APP_ID || undefined);
  if (botId === undefined) {
    io.stderr('The bot id is required: pass --bot-id GUID or set MICROSOFT_APP_ID.');
    io.stderr(usage);
    return 2;
  }
  let result: TeamsPackageResult;
  try {
    result = buildTeamsPackage({
      botId,
      appId: values['app-id'] ?? (env.TEAMS_APP_ID || undefined),
      developer: {
        ...(values['developer-name'] === undefined ? {} : { name: values['developer-name'] }),
        ...(values['website-url'] === undefined ? {} : { websiteUrl: values['website-url'] }),
        ...(values['privacy-url'] === undefined ? {} : { privacyUrl: values['privacy-url'] }),
        ...(values['terms-url'] === undefined ? {} : { termsOfUseUrl: values['terms-url'] }),
      },
      validDomains: values['valid-domain'],
      out: values.out,
    });
  } catch (error) {
    if (error instanceof TeamsPackageConfigError) {
      io.stderr(error.message);
      return 2;
    }
    if (error instanceof TeamsPackageInvalidError) {
      io.stderr(error.message);
      io.stderr('Nothing was written.');
      return 1;
    }
    throw error;
  }

  const shown = (path: string) => relative(process.cwd(), path) || '.';
  const { manifest } = result;
  io.stdout(`Teams app package: ${shown(result.zipPath)} (${result.zipBytes} bytes)`);
  io.stdout(`  app id ${manifest.id}, version ${manifest.version}, bot id ${manifest.bots[0]?.botId}`);
  io.stdout(
    `  manifest.json (schema v${manifest.manifestVersion}, validated), ${COLOR_ICON_FILE} ${COLOR_ICON_SIZE}×${COLOR_ICON_SIZE}, ` +
      `${OUTLINE_ICON_FILE} ${OUTLINE_ICON_SIZE}×${OUTLINE_ICON_SIZE}, ${SPANISH_FILE} (Spanish)`,
  );
  io.stdout(`  unzipped copy for inspection: ${shown(result.directory)}/`);
  if (result.defaultedDeveloperFields.length > 0)
    io.stdout(
      `Note: placeholder developer ${result.defaultedDeveloperFields.join(', ')}; pass --developer-name, ` +
        '--website-url, --privacy-url and --terms-url with your agency’s own before uploading for real use.',
    );
  io.stdout(
    'Next, a Teams administrator uploads the zip: Teams admin center → Teams apps → Manage apps → Upload new app, ' +
      'then makes it available to screeners with an app permission or setup policy.',
  );
  return 0;
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(invokedPath).href) {
  process.exitCode = runTeamsPackage(process.argv.slice(2), {
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
  });
}
