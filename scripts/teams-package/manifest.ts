import { createHash } from 'node:crypto';

export const MANIFEST_VERSION = '1.17';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
export const LOCALIZATION_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`;
export const ACCENT_COLOR = '#2B5F75';
export const COLOR_ICON_FILE = 'color.png';
export const OUTLINE_ICON_FILE = 'outline.png';
export const SPANISH_FILE = 'es-us.json';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Teams refuses pre-release and build suffixes although its schema only limits the length.
const TEAMS_VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A mistake in what the administrator passed: the CLI reports it and exits 2. */
export class TeamsPackageConfigError extends Error {
  override name = 'TeamsPackageConfigError';
}

export interface Developer {
  name: string;
  websiteUrl: string;
  privacyUrl: string;
  termsOfUseUrl: string;
}

export interface ManifestConfig {
  appId: string;
  botId: string;
  version: string;
  developer: Developer;
  validDomains: readonly string[];
}

export interface BotCommand {
  title: string;
  description: string;
}

export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: Developer;
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: Array<{
    botId: string;
    scopes: Array<'personal' | 'team' | 'groupChat'>;
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists: Array<{ scopes: Array<'personal' | 'team' | 'groupChat'>; commands: BotCommand[] }>;
  }>;
  validDomains: string[];
  localizationInfo: {
    defaultLanguageTag: string;
    additionalLanguages: Array<{ languageTag: string; file: string }>;
  };
}

/** A Teams localization file: flat keys naming the manifest fields they replace. */
export type LocalizationFile = Record<string, string>;

interface Wording {
  name: { short: string; full: string };
  description: { short: string; full: string };
  commands: BotCommand[];
}

/*
 * The command titles are what Teams types into the compose box when a command is picked, so each must be a
 * word the bot's parser (functions/teams/commands.ts) understands in that language. Descriptions follow the
 * bot's own register: calm, case reference only, never a name.
 */
const english: Wording = {
  name: { short: 'CSE Screening', full: 'CSE screening assistant' },
  description: {
    short: 'Guides CSE screenings and tracks the reports California law requires.',
    full: [
      'Guides screeners, one question at a time and at their own pace, through a commercial sexual exploitation',
      '(CSE) screening, a missing-from-care report, a runaway-return interview and a custody check, and keeps',
      'track of the reports California law requires, with reminders before they are due.',
      'Identify each case by its case reference: never enter a youth’s name.',
      'Any question can be answered “Unknown” or skipped.',
    ].join(' '),
  },
  commands: [
    {
      title: 'screen',
      description: 'Start a CSE screening: screen CASE-REF (the case reference, never a name)',
    },
    { title: 'return interview', description: 'Runaway-return interview: return interview CASE-REF' },
    { title: 'missing', description: 'Report a youth missing from care: missing CASE-REF' },
    { title: 'custody', description: 'Custody check (WIC § 305): custody CASE-REF' },
    { title: 'resume', description: 'Go back to your last conversation' },
    { title: 'my tasks', description: 'Your open reporting tasks and when they are due' },
    { title: 'help', description: 'What I can do and how to use a case reference' },
  ],
};

const spanish: Wording = {
  name: { short: 'Evaluación de ESC', full: 'Asistente de evaluación de ESC' },
  description: {
    short: 'Guía evaluaciones de ESC y los informes que exige la ley de California.',
    full: [
      'Guía a quien evalúa, una pregunta a la vez y a su propio ritmo, en una evaluación de explotación sexual',
      'comercial (ESC), un reporte de joven desaparecido de un hogar de cuidado, una entrevista de regreso y una',
      'verificación de custodia, y da seguimiento a los informes que exige la ley de California, con',
      'recordatorios antes de su vencimiento.',
      'Identifique cada caso por su referencia: nunca escriba el nombre del joven.',
      'Toda pregunta se puede responder “No se sabe” u omitir.',
    ].join(' '),
  },
  commands: [
    {
      title: 'evaluar',
      description:
        'Iniciar una evaluación de ESC: evaluar REF-CASO (la referencia del caso, nunca un nombre)',
    },
    { title: 'entrevista de regreso', description: 'Entrevista de regreso: entrevista de regreso REF-CASO' },
    { title: 'desaparecido', description: 'Reportar a un joven desaparecido: desaparecido REF-CASO' },
    { title: 'custodia', description: 'Verificación de custodia (WIC § 305): custodia REF-CASO' },
    { title: 'continuar', description: 'Volver a su última conversación' },
    { title: 'mis tareas', description: 'Sus tareas de informe abiertas y cuándo vencen' },
    { title: 'ayuda', description: 'Lo que puedo hacer y cómo usar una referencia de caso' },
  ],
};

export const defaultDeveloper: Developer = {
  name: 'CSE screening assistant',
  websiteUrl: 'https://example.org/cse-screening-assistant',
  privacyUrl: 'https://example.org/cse-screening-assistant/privacy',
  termsOfUseUrl: 'https://example.org/cse-screening-assistant/terms',
};

// Any fixed UUID works; changing it would change every derived app id and make Teams see a new app.
const APP_ID_NAMESPACE = '060384c1-3254-44b7-86a7-6fe011801c22';

/**
 * A name-based (RFC 9562 version 5) UUID from the bot id, so a rebuilt package updates the app Teams already
 * has instead of adding a second one next to it.
 */
export function deriveAppId(botId: string): string {
  const namespace = Buffer.from(APP_ID_NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1')
    .update(namespace)
    .update(`teams-app:${botId.toLowerCase()}`, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function checkGuid(value: string, what: string): string {
  if (!GUID.test(value)) throw new TeamsPackageConfigError(`${what} must be a GUID, not "${value}".`);
  return value.toLowerCase();
}

export function checkVersion(version: string): string {
  if (!TEAMS_VERSION.test(version))
    throw new TeamsPackageConfigError(
      `Teams needs a MAJOR.MINOR.PATCH app version without suffixes; package.json has "${version}".`,
    );
  return version;
}

export function checkHttpsUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TeamsPackageConfigError(`${what} must be an https URL, not "${value}".`);
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || value.length > 2048)
    throw new TeamsPackageConfigError(`${what} must be an https URL, not "${value}".`);
  return value;
}

export function checkDeveloperName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 32)
    throw new TeamsPackageConfigError(`The developer name must be 1 to 32 characters, not "${name}".`);
  return trimmed;
}

/** Teams wants bare host names (wildcards allowed): no scheme, port or path. */
export function checkValidDomains(domains: readonly string[]): string[] {
  const unique = [...new Set(domains.map((domain) => domain.trim().toLowerCase()))];
  for (const domain of unique)
    if (!DOMAIN.test(domain))
      throw new TeamsPackageConfigError(
        `--valid-domain takes a host name such as bot.example.org or *.example.org, not "${domain}".`,
      );
  if (unique.length > 16) throw new TeamsPackageConfigError('Teams allows at most 16 valid domains.');
  return unique;
}

export function buildManifest(config: ManifestConfig): TeamsManifest {
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: config.version,
    id: config.appId,
    developer: { ...config.developer },
    name: { ...english.name },
    description: { ...english.description },
    icons: { color: COLOR_ICON_FILE, outline: OUTLINE_ICON_FILE },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: config.botId,
        scopes: ['personal', 'team'],
        supportsFiles: false,
        isNotificationOnly: false,
        // Commands are offered in the one-to-one chat only, where a screening's answers are seen by no one else.
        commandLists: [
          { scopes: ['personal'], commands: english.commands.map((command) => ({ ...command })) },
        ],
      },
    ],
    validDomains: [...config.validDomains],
    localizationInfo: {
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'es-us', file: SPANISH_FILE }],
    },
  };
}

export function buildSpanishLocalization(): LocalizationFile {
  const file: LocalizationFile = {
    $schema: LOCALIZATION_SCHEMA_URL,
    'name.short': spanish.name.short,
    'name.full': spanish.name.full,
    'description.short': spanish.description.short,
    'description.full': spanish.description.full,
  };
  spanish.commands.forEach((command, index) => {
    file[`bots[0].commandLists[0].commands[${index}].title`] = command.title;
    file[`bots[0].commandLists[0].commands[${index}].description`] = command.description;
  });
  return file;
}
