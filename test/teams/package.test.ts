import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizationSchemaErrors, manifestSchemaErrors } from '../../scripts/teams-package/schema.ts';
import {
  buildTeamsPackage,
  runTeamsPackage,
  type TeamsPackageOptions,
  type TeamsPackageResult,
} from '../../scripts/teams-package.ts';

const root = join(import.meta.dirname, '..', '..');
const BOT_ID = '8d1f3c2a-4b5e-4f60-9a7b-0c1d2e3f4a5b';
const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png', 'es-us.json'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const scratch = mkdtempSync(join(tmpdir(), 'teams-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let builds = 0;
const outFile = () => join(scratch, `build-${++builds}`, 'app.zip');
const build = (options: Partial<TeamsPackageOptions> = {}): TeamsPackageResult =>
  buildTeamsPackage({ botId: BOT_ID, out: outFile(), ...options });

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line) },
    out,
    err,
  };
}

/** Node's own CRC-32 (zlib's), independent of the ones fflate and pngjs compute while writing. */
const referenceCrc32 = (data: Uint8Array) => zlib.crc32(data) >>> 0;

/** Reads a zip from its end record and central directory, as unzip tools do, checking every CRC and size. */
function readZipByCentralDirectory(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  let at = zip.readUInt32LE(end + 16);
  expect(at + directorySize).toBe(end);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
    expect(
      zip.toString('utf8', localOffset + 30, localOffset + 30 + zip.readUInt16LE(localOffset + 26)),
    ).toBe(name);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const stored = zip.subarray(dataStart, dataStart + compressedSize);
    expect([0, 8]).toContain(method);
    const data = method === 8 ? zlib.inflateRawSync(stored) : Buffer.from(stored);
    expect(data.length, name).toBe(size);
    expect(referenceCrc32(data), name).toBe(crc);
    files.set(name, data);
  }
  return files;
}

const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;

interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  /** RGBA, 8 bits a sample, whatever the file's colour type (pngjs expands RGB with alpha 255). */
  pixels: Buffer;
}

/**
 * The container checked by hand (signature, every chunk's CRC, IHDR first and IEND last, 8-bit, no
 * interlace), the pixels decoded by pngjs, which undoes every row filter the encoder may have chosen.
 */
function decodePng(png: Buffer): DecodedPng {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let header: Buffer | undefined;
  const types: string[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(
      referenceCrc32(png.subarray(at + 4, at + 8 + length)),
    );
    types.push(type);
    if (type === 'IHDR') header = png.subarray(at + 8, at + 8 + length);
    at += 12 + length;
  }
  expect(at).toBe(png.length);
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  expect(header).toBeDefined();
  const width = header!.readUInt32BE(0);
  const height = header!.readUInt32BE(4);
  const colorType = header![9]!;
  expect(header![8]).toBe(8);
  expect(header![12]).toBe(0);
  expect([2, 6]).toContain(colorType);
  const image = PNG.sync.read(png);
  expect([image.width, image.height]).toEqual([width, height]);
  expect(image.data.length).toBe(width * height * 4);
  return { width, height, colorType, pixels: image.data };
}

/** Each central-directory entry's DOS modification time and date fields. */
function zipEntryTimes(zip: Buffer): Array<{ time: number; date: number }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  const times: Array<{ time: number; date: number }> = [];
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    times.push({ time: zip.readUInt16LE(at + 12), date: zip.readUInt16LE(at + 14) });
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return times;
}

describe('npm run teams:package', () => {
  let result: TeamsPackageResult;
  let zip: Buffer;
  beforeAll(() => {
    result = build();
    zip = readFileSync(result.zipPath);
  });

  it('writes a zip that an independent reader opens, with exactly the four files at its root', () => {
    const files = readZipByCentralDirectory(zip);
    expect([...files.keys()].sort()).toEqual([...PACKAGE_FILES].sort());
    for (const name of PACKAGE_FILES)
      expect(files.get(name), name).toEqual(readFileSync(join(result.directory, name)));
    expect(result.files.sort()).toEqual([...PACKAGE_FILES].sort());
  });

  it.runIf(hasUnzip)('passes Info-ZIP’s own integrity test and listing', () => {
    // unzip -t checks every entry's CRC; -Z1 lists the names from the central directory.
    expect(() => execFileSync('unzip', ['-tq', result.zipPath])).not.toThrow();
    const names = execFileSync('unzip', ['-Z1', result.zipPath], { encoding: 'utf8' }).trim().split('\n');
    expect(names.sort()).toEqual([...PACKAGE_FILES].sort());
    for (const name of PACKAGE_FILES)
      expect(execFileSync('unzip', ['-p', result.zipPath, name]), name).toEqual(
        readFileSync(join(result.directory, name)),
      );
  });

  it('draws a 192×192 full-bleed colour icon', () => {
    const png = decodePng(readFileSync(join(result.directory, 'color.png')));
    expect([png.width, png.height]).toEqual([192, 192]);
    // Full bleed: every corner, and so the whole border, is the accent colour and opaque.
    const accent = result.manifest.accentColor.toLowerCase();
    const hexAt = (x: number, y: number) =>
      `#${png.pixels.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3).toString('hex')}`;
    for (const [x, y] of [
      [0, 0],
      [191, 0],
      [0, 191],
      [191, 191],
    ] as const)
      expect(hexAt(x, y)).toBe(accent);
    for (let i = 3; i < png.pixels.length; i += 4) expect(png.pixels[i]).toBe(255);
    // …and the mark is there: some pixels are white.
    let white = 0;
    for (let i = 0; i < png.pixels.length; i += 4) if (png.pixels.readUInt32BE(i) === 0xffffffff) white++;
    expect(white).toBeGreaterThan(192 * 192 * 0.05);
  });

  it('draws a 32×32 outline icon: white on transparent, nothing else', () => {
    const png = decodePng(readFileSync(join(result.directory, 'outline.png')));
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.colorType).toBe(6);
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      const alpha = png.pixels[i + 3]!;
      if (alpha === 0) {
        transparent++;
        continue;
      }
      if (alpha === 255) opaque++;
      expect([...png.pixels.subarray(i, i + 3)], `pixel ${i / 4}`).toEqual([255, 255, 255]);
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.25);
    expect(opaque).toBeGreaterThan(32 * 32 * 0.25);
    // The corners are background.
    for (const pixel of [0, 31, 32 * 31, 32 * 32 - 1]) expect(png.pixels[pixel * 4 + 3]).toBe(0);
  });

  it('writes a manifest that validates against the official v1.17 schema, with the configured bot', () => {
    const manifest = JSON.parse(readFileSync(join(result.directory, 'manifest.json'), 'utf8'));
    expect(manifestSchemaErrors(manifest)).toEqual([]);
    expect(manifest).toMatchObject({
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
      manifestVersion: '1.17',
      version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
      name: { short: 'CSE Screening', full: 'CSE screening assistant' },
      icons: { color: 'color.png', outline: 'outline.png' },
      localizationInfo: {
        defaultLanguageTag: 'en-us',
        additionalLanguages: [{ languageTag: 'es-us', file: 'es-us.json' }],
      },
    });
    expect(manifest.id).toMatch(GUID);
    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots;
    expect(bot.botId).toBe(BOT_ID);
    expect(bot.scopes.sort()).toEqual(['personal', 'team']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.commandLists).toEqual([{ scopes: ['personal'], commands: expect.any(Array) }]);
    expect(bot.commandLists[0].commands.map((command: { title: string }) => command.title)).toEqual([
      'screen',
      'return interview',
      'missing',
      'custody',
      'resume',
      'my tasks',
      'help',
    ]);
    expect(manifest.description.full).toMatch(/never enter a youth’s name/);
  });

  it('writes a Spanish localization file that validates and covers every command', () => {
    const spanish = JSON.parse(readFileSync(join(result.directory, 'es-us.json'), 'utf8'));
    expect(localizationSchemaErrors(spanish)).toEqual([]);
    expect(spanish.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.Localization.schema.json',
    );
    expect(spanish['name.short']).toBeTruthy();
    expect(spanish['description.full']).toMatch(/nunca escriba el nombre/);
    result.manifest.bots[0]!.commandLists[0]!.commands.forEach((_, index) => {
      expect(spanish[`bots[0].commandLists[0].commands[${index}].title`]).toBeTruthy();
      expect(spanish[`bots[0].commandLists[0].commands[${index}].description`]).toBeTruthy();
    });
    expect(spanish['bots[0].commandLists[0].commands[7].title']).toBeUndefined();
  });

  it('uses a schema validator that does reject a broken manifest', () => {
    const broken = structuredClone(result.manifest) as unknown as Record<string, unknown> & {
      bots: Array<{ botId: string; commandLists: Array<{ commands: Array<{ title: string }> }> }>;
    };
    broken.bots[0]!.botId = 'not-a-guid';
    broken.bots[0]!.commandLists[0]!.commands[0]!.title = 'x'.repeat(33);
    broken.unexpected = true;
    const errors = manifestSchemaErrors(broken);
    expect(errors.some((error) => error.startsWith('/bots/0/botId'))).toBe(true);
    expect(errors.some((error) => error.startsWith('/bots/0/commandLists/0/commands/0/title'))).toBe(true);
    expect(errors.some((error) => error.includes('additional properties'))).toBe(true);
    expect(localizationSchemaErrors({ 'name.short': 'x'.repeat(31) })).not.toEqual([]);
  });

  it('stamps every zip entry 1980-01-01 00:00 in every time zone, so a rebuild anywhere is byte-for-byte the same', () => {
    expect(zipEntryTimes(zip)).toEqual(PACKAGE_FILES.map(() => ({ time: 0, date: (1 << 5) | 1 })));
    const zone = process.env.TZ;
    try {
      for (const other of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
        process.env.TZ = other;
        expect(readFileSync(build().zipPath), other).toEqual(zip);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('gives the same app id, manifest and zip on every rebuild, and a different app id for another bot', () => {
    const again = build();
    expect(again.manifest).toEqual(result.manifest);
    expect(readFileSync(join(again.directory, 'manifest.json'))).toEqual(
      readFileSync(join(result.directory, 'manifest.json')),
    );
    expect(readFileSync(again.zipPath)).toEqual(zip);
    expect(again.manifest.id).not.toBe(BOT_ID);
    // A name-based UUID (version 5, RFC 9562) of "teams-app:<bot id>": pinned, so that swapping the code that
    // derives it (e.g. for the `uuid` package's v5) can never move existing installs to a new Teams app.
    expect(result.manifest.id).toBe('574ba625-e7cd-5618-8ce3-287dc1fb3e43');
    const upperCase = build({ botId: BOT_ID.toUpperCase() });
    expect(upperCase.manifest.id).toBe(result.manifest.id);
    const other = build({ botId: '0b7c2f4e-1a2b-4c3d-8e9f-a0b1c2d3e4f5' });
    expect(other.manifest.id).toMatch(GUID);
    expect(other.manifest.id).not.toBe(result.manifest.id);
  });
});

describe('the teams:package command line', () => {
  it('builds from flags and prints what was written and what the administrator does next', () => {
    const { io, out, err } = collect();
    const zipPath = outFile();
    const code = runTeamsPackage(
      [
        '--bot-id',
        BOT_ID,
        '--app-id',
        '5F0A7D1E-2C3B-4A59-8E6F-7A8B9C0D1E2F',
        '--developer-name',
        'Example County CWS',
        '--website-url',
        'https://cws.example.org/',
        '--privacy-url',
        'https://cws.example.org/privacy',
        '--terms-url',
        'https://cws.example.org/terms',
        '--valid-domain',
        'bot.example.org',
        '--valid-domain',
        '*.cws.example.org',
        '--out',
        zipPath,
      ],
      io,
      {},
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(zipPath.replace(/\.zip$/, ''), 'manifest.json'), 'utf8'));
    expect(manifestSchemaErrors(manifest)).toEqual([]);
    expect(manifest.id).toBe('5f0a7d1e-2c3b-4a59-8e6f-7a8b9c0d1e2f');
    expect(manifest.developer).toEqual({
      name: 'Example County CWS',
      websiteUrl: 'https://cws.example.org/',
      privacyUrl: 'https://cws.example.org/privacy',
      termsOfUseUrl: 'https://cws.example.org/terms',
    });
    expect(manifest.validDomains).toEqual(['bot.example.org', '*.cws.example.org']);
    const printed = out.join('\n');
    expect(printed).toContain('app.zip');
    expect(printed).toMatch(/Teams admin center → Teams apps → Manage apps → Upload/);
    expect(printed).not.toMatch(/placeholder/);
  });

  it('takes the bot and app ids from MICROSOFT_APP_ID and TEAMS_APP_ID', () => {
    const { io, out } = collect();
    const zipPath = outFile();
    const appId = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    expect(runTeamsPackage(['--out', zipPath], io, { MICROSOFT_APP_ID: BOT_ID, TEAMS_APP_ID: appId })).toBe(
      0,
    );
    const manifest = JSON.parse(readFileSync(join(zipPath.replace(/\.zip$/, ''), 'manifest.json'), 'utf8'));
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.id).toBe(appId);
    // The developer fields were left at their defaults, and the summary says so.
    expect(out.join('\n')).toMatch(/placeholder developer/);
  });

  it.each([
    [['--bot-id', 'my-bot'], {}, /bot id .* must be a GUID, not "my-bot"/],
    [[], { MICROSOFT_APP_ID: '1234' }, /bot id .* must be a GUID, not "1234"/],
    [[], {}, /bot id is required/],
    [['--bot-id', BOT_ID, '--app-id', 'app'], {}, /app id .* must be a GUID/],
    [
      ['--bot-id', BOT_ID, '--privacy-url', 'http://cws.example.org/privacy'],
      {},
      /privacy URL must be an https URL/,
    ],
    [
      ['--bot-id', BOT_ID, '--valid-domain', 'https://bot.example.org'],
      {},
      /--valid-domain takes a host name/,
    ],
    [['--bot-id', BOT_ID, '--developer-name', 'x'.repeat(33)], {}, /developer name must be 1 to 32/],
    [['--bot-id', BOT_ID, '--colour', 'red'], {}, /Unknown option '--colour'/],
  ] as const)('refuses %j %j with exit 2 and writes nothing', (args, env, message) => {
    const { io, err } = collect();
    const zipPath = outFile();
    expect(runTeamsPackage([...args, '--out', zipPath], io, env)).toBe(2);
    expect(err.join('\n')).toMatch(message);
    expect(existsSync(zipPath)).toBe(false);
    expect(existsSync(zipPath.replace(/\.zip$/, ''))).toBe(false);
  });

  it('runs as a script and exits 2 on a bot id that is not a GUID', () => {
    const zipPath = outFile();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/teams-package.ts', '--bot-id', 'not-a-guid', '--out', zipPath],
      { cwd: root, encoding: 'utf8', env: { ...process.env, MICROSOFT_APP_ID: '' } },
    );
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/must be a GUID, not "not-a-guid"/);
    expect(existsSync(zipPath)).toBe(false);
  });
});
