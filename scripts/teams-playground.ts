import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TeamsUser } from '#functions/teams/teams-store.ts';
import { ensurePortFree, PortInUseError } from './cli-args.ts';
import { type DemoUser, demoUsers } from './dev-identity.ts';
import { freePort } from './dynamodb-local.ts';

/**
 * Issue 19: Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`, a development tool under
 * Microsoft's pre-release licence) as the local Teams client. It renders the bot's Adaptive Cards with
 * Microsoft's renderer in a Teams-like page and sends Teams-shaped activities (channel `msteams`, tenant and
 * Entra object id in the channel data) to the local bot, in a personal chat and in a team's channels.
 *
 * Who it presents is a generated configuration: the chosen demo user as the current user, the other demo
 * users as the team's members, each with a fixed local tenant id and a stable Entra object id, linked to
 * that demo account as `npm run teams:link-user` would link a real Teams user.
 */

/** The bot's name in the Playground (the Teams app package calls it the same). */
export const PLAYGROUND_BOT_NAME = 'CSE screening assistant';

/** A stable, GUID-shaped id for a local name, so links and conversation references survive a restart. */
function localGuid(name: string): string {
  const hex = createHash('sha256').update(`m365-agents-playground:${name}`).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** The made-up Entra tenant the Playground's users belong to; no real tenant is ever accepted unsigned. */
export const PLAYGROUND_TENANT_ID = localGuid('tenant');

export interface PlaygroundIdentity {
  tenantId: string;
  aadObjectId: string;
  /** The Teams user id (`29:…`) the Playground shows in `from.id`. */
  teamsId: string;
  user: DemoUser;
}

export function playgroundIdentityOf(user: DemoUser): PlaygroundIdentity {
  return {
    tenantId: PLAYGROUND_TENANT_ID,
    aadObjectId: localGuid(`user:${user.id}`),
    teamsId: `29:${user.id}`,
    user,
  };
}

/** Every demo user's Teams link: the same user id, organisation, unit and roles as their demo account. */
export function playgroundLinks(users: readonly DemoUser[] = demoUsers): Array<Omit<TeamsUser, 'kind'>> {
  return users.map((user) => {
    const identity = playgroundIdentityOf(user);
    return {
      tenantId: identity.tenantId,
      aadObjectId: identity.aadObjectId,
      userId: user.id,
      org: user.org,
      unit: user.unit,
      roles: [...user.groups] as TeamsUser['roles'],
    };
  });
}

/** The demo user a `--teams-playground-user` value names, or an error saying which ones there are. */
export function playgroundUser(id: string): DemoUser {
  const user = demoUsers.find((candidate) => candidate.id === id);
  if (!user)
    throw new Error(
      `--teams-playground-user must be one of the demo users (${demoUsers.map((u) => u.id).join(', ')}), not "${id}"`,
    );
  return user;
}

const personOf = (user: DemoUser) => {
  const identity = playgroundIdentityOf(user);
  const [givenName = user.name, ...rest] = user.name.split(' ');
  const email = `${user.id}@${user.org}.example`;
  return {
    id: identity.teamsId,
    name: user.name,
    // (sic) the Playground's own key
    userPrincipleName: email,
    aadObjectId: identity.aadObjectId,
    givenName,
    surname: rest.join(' ') || givenName,
    email,
  };
};

/**
 * The Playground's configuration (`.m365agentsplayground.yml`): the current user, the other users, the
 * personal chat, a group chat and a team with a channel. Written as JSON, which is YAML too (the Playground
 * reads it with a YAML 1.2 parser), so nothing here writes YAML by hand.
 */
export function playgroundConfig(current: DemoUser, options: { botId: string }): Record<string, unknown> {
  // The Playground wants exactly five other users: the same unit's first, then the organisation's, then any.
  const closeness = (user: DemoUser) => (user.org !== current.org ? 2 : user.unit !== current.unit ? 1 : 0);
  const colleagues = demoUsers
    .filter((user) => user.id !== current.id)
    .sort((a, b) => closeness(a) - closeness(b))
    .slice(0, 5);
  const unit = current.unit;
  return {
    version: '0.1.1',
    tenantId: PLAYGROUND_TENANT_ID,
    bot: { id: options.botId, name: PLAYGROUND_BOT_NAME },
    currentUser: personOf(current),
    users: colleagues.map(personOf),
    personalChat: { id: `a:playground-personal-${current.id}` },
    groupChat: { id: `19:playground-group-${current.org}@thread.v2`, name: `${current.org} group chat` },
    team: {
      id: `19:playground-team-${current.org}@thread.tacv2`,
      name: current.org,
      aadGroupId: localGuid(`team:${current.org}`),
      channels: [{ id: `19:playground-${current.org}-${unit}@thread.tacv2`, name: unit }],
    },
  };
}

export interface RunningPlayground {
  /** The page to open, e.g. `http://127.0.0.1:3002/`. */
  url: string;
  /** Where the Playground receives the bot's replies (its mocked Bot Connector), e.g. `http://127.0.0.1:3002/_connector`. */
  serviceUrl: string;
  port: number;
  user: PlaygroundIdentity;
  /** Settles when the Playground's process ends, however it ends, with the errors its log holds. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; errors: string }>;
  close(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The local bot, e.g. `http://127.0.0.1:3000/api/messages`. */
  botEndpoint: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  user: DemoUser;
  botId: string;
  /** Where the Playground's output (its log) is copied, line by line; nothing by default. */
  onLog?: (line: string) => void;
  /** How long to wait for the Playground to listen (it loads about 5 MB of code). */
  startTimeoutMs?: number;
  /**
   * The time zone its activities say the user is in (`localTimezone`): the Playground takes its own
   * process's, so this machine's unless given (tests pin California's).
   */
  timeZone?: string;
}

/** The Playground's executable (its package's `bin`), from node_modules. */
export function playgroundCli(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@microsoft/m365agentsplayground/package.json');
  const { bin } = require('@microsoft/m365agentsplayground/package.json') as { bin: Record<string, string> };
  return join(dirname(packageJson), bin.agentsplayground ?? 'cli.js');
}

/** Loaded into the Playground's process first, so it listens on loopback only (it would listen on every interface). */
export const LOOPBACK_PRELOAD = join(import.meta.dirname, 'playground-loopback.cjs');

/** The error lines of the Playground's log (it logs to its file only when its output is not a terminal). */
async function playgroundErrors(logFile: string): Promise<string> {
  const log = await readFile(logFile, 'utf8').catch(() => '');
  return log
    .split('\n')
    .filter((line) => line.startsWith('error '))
    .map((line) => line.slice('error '.length).trim())
    .join(' ');
}

/**
 * It says it listens before it reads its configuration, and stops if that is invalid: it is ready once its
 * own API serves the configuration written for it (our tenant), so a start never reports a dead client.
 */
async function waitForConfig(port: number, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/_internal/v1/config`, {
        signal: AbortSignal.timeout(2000),
      });
      const body = (await response.json().catch(() => null)) as { config?: { tenantId?: unknown } } | null;
      if (response.ok && body?.config?.tenantId === PLAYGROUND_TENANT_ID) return;
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    gone ? 'the Agents Playground exited while starting' : 'the Agents Playground did not start in time',
  );
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the Agents Playground did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = `${seen}${chunk.toString()}`.slice(-4096);
      const found = /Listening on (\d+)/.exec(seen);
      if (found) {
        cleanup();
        resolve(Number(found[1]));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the Agents Playground exited (code ${code}) before it listened: ${seen.trim()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts the Playground as a child process pointed at the local bot on the `msteams` channel, with its
 * generated configuration in a temporary directory (removed by `close`). It listens on 127.0.0.1 only, and
 * on exactly the port asked for: the Playground itself would quietly take another when that one is busy,
 * which would leave the service URL the bot trusts pointing nowhere, so a busy port is a `PortInUseError`.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const port = options.port === 0 ? await freePort() : options.port;
  await ensurePortFree(port, 'teams-playground-port');
  const serviceUrl = `http://127.0.0.1:${port}/_connector`;
  const dir = await mkdtemp(join(tmpdir(), 'cse-teams-playground-'));
  const configPath = join(dir, '.m365agentsplayground.yml');
  const logFile = join(dir, 'playground.log');
  await writeFile(
    configPath,
    `${JSON.stringify(playgroundConfig(options.user, { botId: options.botId }), null, 2)}\n`,
    { mode: 0o600 },
  );
  const child = spawn(
    process.execPath,
    [
      '--require',
      LOOPBACK_PRELOAD,
      playgroundCli(),
      '--app-endpoint',
      options.botEndpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(port),
      '--service-url',
      serviceUrl,
      '--disable-telemetry',
    ],
    {
      // It reads `./.m365agentsplayground.yml` and writes `./devTools/` from its working directory by default.
      cwd: dir,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
        ...(options.timeZone ? { TZ: options.timeZone } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  ).then(async (end) => ({ ...end, errors: await playgroundErrors(logFile) }));
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.onLog?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      const running = child.exitCode === null && child.signalCode === null;
      if (running) child.kill('SIGTERM');
      const killer = running ? setTimeout(() => child.kill('SIGKILL'), 5000) : undefined;
      await exited;
      clearTimeout(killer);
      await rm(dir, { recursive: true, force: true });
    }
  };
  let listening: number;
  try {
    listening = await waitForListening(child, options.startTimeoutMs ?? 60_000);
    if (listening === port) await waitForConfig(port, exited, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    const said = await playgroundErrors(logFile);
    await close();
    throw said ? new Error(`the Agents Playground did not start: ${said}`) : error;
  }
  if (listening !== port) {
    // Taken between our check and its own: it moved elsewhere, where the bot would not answer it.
    await close();
    throw new PortInUseError(port, 'teams-playground-port');
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    serviceUrl,
    port,
    user: playgroundIdentityOf(options.user),
    exited,
    close,
  };
}
