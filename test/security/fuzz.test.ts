import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { start, step, view } from '#flows/engine.ts';
import { viewFingerprint } from '#flows/view-digest.ts';
import { routeHandlers } from '#functions/api/route-handlers.ts';
import { type RouteName, routes } from '#functions/api/routes.ts';
import { RateLimitedError } from '#functions/http/errors.ts';
import { type LambdaHandler, lambdaHandler } from '#functions/http/handler.ts';
import type { RateLimiter } from '#functions/limits/rate-limiter.ts';
import { LegalBasis } from '#functions/storage/records.ts';
import { type ItemKey, STORE_WRITES, type Store } from '#functions/storage/store.ts';
import { keys } from '#functions/storage/table.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import {
  type ApiRequest,
  type ApiResult,
  apiEvent,
  createTestStack,
  demoUser,
  type TestStack,
  type TestUser,
} from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import {
  casings,
  contentTypeValue,
  headerMap,
  hostileValueText,
  jsonText,
  junkId,
  nearValidObject,
  numericLookingText,
  oversizeText,
  queryMap,
  unicodeText,
} from './arbitraries.ts';

/**
 * The requirement: at least 10,000 generated bodies and headers per route, through the real
 * handler wrapper (real token verification, real DynamoDB Local for reads and writes): never a 5xx, and
 * a rejected request never writes. A spy under the write gate records every call of a `STORE_WRITES`
 * method; requests run one at a time, so each write is attributed to the request that made it.
 *
 * Some generated requests are valid and succeed (a 2xx may write, but only with the route's own write
 * methods); every request with a refused credential must get exactly 401 or 403, since authentication
 * comes before anything else.
 */

const RUNS = 10_000;

const county = (sub: string, roles: TestUser['roles'], unit = 'unit-1'): TestUser => ({
  sub,
  org: 'county-a',
  unit,
  roles,
});
const users = {
  /** The stack's demo caseworker: owns every fixture conversation. */
  owner: demoUser,
  colleague: county('caseworker-2', ['caseworker']),
  supervisor: county('supervisor-1', ['supervisor']),
  otherUnitSupervisor: county('supervisor-2', ['supervisor'], 'unit-2'),
  interviewer: county('interviewer-1', ['interviewer']),
  admin: county('admin-1', ['administrator'], 'main'),
  adminCaseworker: county('multi-1', ['caseworker', 'administrator'], 'unit-2'),
  otherCounty: { sub: 'caseworker-9', org: 'county-b', unit: 'unit-1', roles: ['caseworker'] },
  otherCountyAdmin: { sub: 'admin-9', org: 'county-b', unit: 'main', roles: ['administrator'] },
  shelter: { sub: 'shelter-1', org: 'shelter-a', unit: 'main', roles: ['shelter_staff'] },
  /** The county's intake unit: its queue (`queue:intake`) receives the partner shelter's hand-offs. */
  intake: county('intake-1', ['caseworker'], 'intake'),
  intakeColleague: county('intake-2', ['interviewer'], 'intake'),
  intakeSupervisor: county('supervisor-3', ['supervisor'], 'intake'),
  /** Sets the partner shelter's profile (it hands concerns to county-a); sees no cases. */
  shelterAdmin: { sub: 'shelter-admin-1', org: 'shelter-a', unit: 'main', roles: ['administrator'] },
} satisfies Record<string, TestUser>;
type Who = keyof typeof users;
const everyone = Object.keys(users) as Who[];

// ---------------------------------------------------------------------------------------------------
// Credentials: tagged in the generated values (so a counterexample reads well), resolved when sent.

type Auth =
  | { kind: 'none' }
  | { kind: 'token'; who: Who; scheme: string; suffix: string }
  | { kind: 'flipped'; who: Who; at: number; to: string }
  | { kind: 'claims'; name: string }
  | { kind: 'forged'; name: string }
  | { kind: 'raw'; value: string };

/** Signed by the real key, with claims the verifier must refuse (401) or that name no usable account (403). */
interface SignedCase {
  token: string;
  status: 401 | 403 | undefined;
}

const ACCEPTED_SCHEMES = ['Bearer ', 'bearer ', 'BEARER '];
const REFUSED_SCHEMES = ['Bearer  ', 'Bearer\t', ' Bearer ', 'Token ', 'Bearer:', '', 'Basic '];
const REFUSED_SUFFIXES = [' ', ',', '\n', ' x'];
const FLIP_TO = [...'AZaz09-_', '.', '=', '+', '/', '~'];

interface Credentials {
  tokens: Record<Who, string>;
  claims: Record<string, SignedCase>;
  forged: Record<string, string>;
}

function resolveAuth(auth: Auth, credentials: Credentials): { header?: string; expected?: 401 | 403 } {
  switch (auth.kind) {
    case 'none':
      return { expected: 401 };
    case 'token': {
      const header = `${auth.scheme}${credentials.tokens[auth.who]}${auth.suffix}`;
      const accepted = ACCEPTED_SCHEMES.includes(auth.scheme) && auth.suffix === '';
      return accepted ? { header } : { header, expected: 401 };
    }
    case 'flipped': {
      const token = credentials.tokens[auth.who];
      const at = auth.at % token.length;
      const to = token[at] === auth.to ? (auth.to === 'A' ? 'B' : 'A') : auth.to;
      const flipped = token.slice(0, at) + to + token.slice(at + 1);
      // The signature is compared as bytes: its last character carries padding bits, and jose's decoder
      // reads '+' and '/' as '-' and '_'. Those flips can leave the same signature; every other must fail.
      const signatureStart = token.lastIndexOf('.') + 1;
      const sameBytesPossible = at >= signatureStart && (at === token.length - 1 || to === '+' || to === '/');
      return sameBytesPossible
        ? { header: `Bearer ${flipped}` }
        : { header: `Bearer ${flipped}`, expected: 401 };
    }
    case 'claims': {
      const signed = credentials.claims[auth.name]!;
      return signed.status === undefined
        ? { header: `Bearer ${signed.token}` }
        : { header: `Bearer ${signed.token}`, expected: signed.status };
    }
    case 'forged':
      return { header: `Bearer ${credentials.forged[auth.name]}`, expected: 401 };
    case 'raw':
      return { header: auth.value, expected: 401 };
  }
}

async function mintCredentials(stack: TestStack): Promise<Credentials> {
  const tokens = Object.fromEntries(
    await Promise.all(everyone.map(async (who) => [who, await stack.tokenFor(users[who])] as const)),
  ) as Record<Who, string>;
  const { idp } = stack;
  const now = Math.floor(Date.now() / 1000);
  const base = {
    iss: idp.issuer,
    aud: idp.audience,
    sub: 'fuzz-user',
    iat: now,
    exp: now + 3600,
    token_use: 'id',
    'custom:org': 'county-a',
    'custom:unit': 'unit-1',
    'cognito:groups': ['caseworker'],
  };
  const without = (name: keyof typeof base) => {
    const { [name]: _dropped, ...rest } = base;
    return rest;
  };
  const signedCases: Array<
    [string, Record<string, unknown>, Record<string, unknown>, 401 | 403 | undefined]
  > = [
    ['expired', { ...base, iat: now - 7200, exp: now - 3600 }, {}, 401],
    ['older than the maximum token age', { ...base, iat: now - 13 * 3600 }, {}, 401],
    ['not valid yet', { ...base, nbf: now + 3600 }, {}, 401],
    ['issued in the future', { ...base, iat: now + 3600, exp: now + 7200 }, {}, 401],
    ['another audience', { ...base, aud: 'someone-else' }, {}, 401],
    ['another issuer', { ...base, iss: 'https://evil.example' }, {}, 401],
    ['an access token', { ...base, token_use: 'access' }, {}, 401],
    ['no subject', without('sub'), {}, 401],
    ['an empty subject', { ...base, sub: '' }, {}, 401],
    ['no issued-at', without('iat'), {}, 401],
    ['no expiry', without('exp'), {}, 401],
    ['an unknown key id', base, { kid: 'no-such-key' }, 401],
    ['a header over 8 KB', { ...base, padding: 'x'.repeat(9_000) }, {}, 401],
    ['no organisation', without('custom:org'), {}, 403],
    ['an organisation that is not a slug', { ...base, 'custom:org': 'County A' }, {}, 403],
    ['no roles', { ...base, 'cognito:groups': [] }, {}, 403],
    ['only unknown roles', { ...base, 'cognito:groups': ['root', 'admin'] }, {}, 403],
    ['roles as a string', { ...base, 'cognito:groups': 'administrator' }, {}, 403],
    ['a unit that is not a slug', { ...base, 'custom:unit': 'Unit 1' }, {}, 403],
    ['a subject over 128 characters', { ...base, sub: 's'.repeat(200) }, {}, 403],
    ['a known and an unknown role', { ...base, 'cognito:groups': ['caseworker', 'root'] }, {}, undefined],
    ['no unit', without('custom:unit'), {}, undefined],
  ];
  const claims: Record<string, SignedCase> = {};
  for (const [name, payload, header, status] of signedCases) {
    claims[name] = { token: await idp.signToken(payload, header), status };
  }

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const [ownerHeader, ownerPayload, ownerSignature] = tokens.owner.split('.') as [string, string, string];
  const adminPayload = tokens.admin.split('.')[1]!;
  const ownerClaims = JSON.parse(Buffer.from(ownerPayload, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: unknown[] };
  const publicJwk = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
  const otherRsa = await generateKeyPair('RS256');
  const otherEc = await generateKeyPair('ES256');
  const forged: Record<string, string> = {
    'alg none': `${encode({ alg: 'none', typ: 'JWT' })}.${ownerPayload}.`,
    'alg none with the real signature': `${encode({ alg: 'none' })}.${ownerPayload}.${ownerSignature}`,
    'alg None': `${encode({ alg: 'None', kid: idp.kid })}.${encode({ ...ownerClaims, 'cognito:groups': ['administrator'] })}.`,
    'HS256 keyed with the public JWK': await new SignJWT(ownerClaims)
      .setProtectedHeader({ alg: 'HS256', kid: idp.kid })
      .sign(publicJwk),
    'RS256 by another key with the real key id': await new SignJWT(ownerClaims)
      .setProtectedHeader({ alg: 'RS256', kid: idp.kid })
      .sign(otherRsa.privateKey),
    'ES256 by another key': await new SignJWT(ownerClaims)
      .setProtectedHeader({ alg: 'ES256', kid: idp.kid })
      .sign(otherEc.privateKey),
    "the admin's claims under the owner's signature": `${ownerHeader}.${adminPayload}.${ownerSignature}`,
    'no signature': `${ownerHeader}.${ownerPayload}`,
    'an empty signature': `${ownerHeader}.${ownerPayload}.`,
    'five segments': `${tokens.owner}.${ownerSignature}.${ownerSignature}`,
    'empty segments': '..',
  };
  return { tokens, claims, forged };
}

function authArbitrary(credentials: Credentials): fc.Arbitrary<Auth> {
  const who = fc.constantFrom(...everyone);
  const b64tokenish = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,200}=*$/);
  // About half the requests carry a valid token, so their bodies, ids and queries are looked at.
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'none' }) },
    {
      weight: 6,
      arbitrary: who.map<Auth>((w) => ({ kind: 'token', who: w, scheme: 'Bearer ', suffix: '' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          who,
          scheme: fc.constantFrom(...ACCEPTED_SCHEMES, ...REFUSED_SCHEMES),
          suffix: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, fc.constantFrom(...REFUSED_SUFFIXES)),
        })
        .map<Auth>((parts) => ({ kind: 'token', ...parts })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ who, at: fc.nat(), to: fc.constantFrom(...FLIP_TO) })
        .map<Auth>((parts) => ({ kind: 'flipped', ...parts })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...Object.keys(credentials.claims))
        .map<Auth>((name) => ({ kind: 'claims', name })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...Object.keys(credentials.forged))
        .map<Auth>((name) => ({ kind: 'forged', name })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          unicodeText,
          oversizeText,
          fc.string({ maxLength: 60 }).map((text) => `Bearer ${text}`),
          b64tokenish.map((text) => `Bearer ${text}`),
          oversizeText.map((text) => `Bearer ${text}`),
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Basic dXNlcjpwYXNz',
            'Bearer null',
            'Bearer undefined',
            'Bearer a.b.c',
            'Bearer eyJhbGciOiJub25lIn0.e30.',
            `Bearer ${'A'.repeat(9_000)}`,
          ),
        )
        .map<Auth>((value) => ({ kind: 'raw', value })),
    },
  );
}

// ---------------------------------------------------------------------------------------------------
// Requests.

/** A valid turn in the live conversation, made from its current prompt and version when it is sent. */
interface LiveTurn {
  live: 'unknown' | 'answer' | 'skip' | 'back' | 'pause' | 'resume' | 'wrongPrompt' | 'replay' | 'reuseId';
  eventId: string;
  stale: boolean;
  pick: number;
}
/**
 * A valid `putOrganisation` body for `org`, its `expectedVersion` made when it is sent from the version last
 * seen: the current one (it succeeds), or one that is stale, ahead, or 0 (a conflict once a profile exists).
 */
interface LiveOrg {
  liveOrg: string;
  version: 'current' | 'stale' | 'ahead' | 'zero';
  /** JSON text of the settings. */
  settings: string;
}
type Body = string | undefined | LiveTurn | LiveOrg;

interface Fuzzed {
  auth: Auth;
  authName: string;
  contentType: { name: string; value: string | null };
  headers: Record<string, string>;
  id: string | undefined;
  body: Body;
  encoding: 'plain' | 'base64' | 'base64-flag-only';
  query: Record<string, string> | undefined;
  /** The caller is over the rate limit for this request. */
  throttled: boolean;
}

interface Fixture {
  /** A completed screening (CASE-1001): its tasks are the ones `completeTask` settles. */
  doneId: string;
  completeTaskIds: string[];
  /** A second completed screening (CASE-2002): its tasks are the ones `cancelTask` settles. */
  cancelTaskIds: string[];
  /** An unfinished screening (CASE-3003) that `postTurn` moves on. */
  liveId: string;
  /** A screening (CASE-4004) and a genuine device batch for it: applied once, then a duplicate no-op. */
  syncId: string;
  syncBody: string;
  /** An unfinished missing-from-care report (CASE-5005) that a return interview may link to (issue 16). */
  missingReportId: string;
  exportSubjects: string[];
  eraseSubjects: string[];
  /**
   * Issue 16, finding 4: records requests `admin` opened. Approved ones (by `adminCaseworker`, the
   * organisation's second administrator) run once each; pending ones wait for a second administrator.
   */
  approvedExports: RecordsRequestFixture[];
  approvedErasures: RecordsRequestFixture[];
  pendingRequests: RecordsRequestFixture[];
  cursor: string;
  /** Hand-offs from the partner shelter (shelter-a) to county-a's intake: ids of the shelter's screenings. */
  handoffIds: string[];
  /** The county tasks those hand-offs opened, waiting in the intake queue (`queue:intake`) to be claimed. */
  queuedTaskIds: string[];
  /** Issue 18: `interviewer`'s enrolled tablet and the verifier of its PIN. */
  deviceId: string;
  deviceVerifier: string;
  /** Issue 18: `owner`'s tablet, whose id enrolDevice's generated requests reuse (never the one above). */
  takenDeviceId: string;
}

interface RecordsRequestFixture {
  id: string;
  subjectRef: string;
}

const SUBJECT_REF = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const LEGAL_BASES = LegalBasis.options;
const EVENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const FLOWS = ['cse-screening', 'missing-from-care', 'runaway-return', 'custody-check'];

const text = <T>(arbitrary: fc.Arbitrary<T>) => arbitrary.map(jsonText);
/** Issue 18: a PIN verifier's shape, and near misses (a character short or over, padding, other alphabets). */
const verifierText = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{42}$|^[A-Za-z0-9_-]{44}$|^[A-Za-z0-9+/]{43}=$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
const instant = fc
  .date({ noInvalidDate: true, min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z') })
  .map((date) => date.toISOString());
const instantText = fc.oneof(
  { weight: 3, arbitrary: instant },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-11-28T16:45:00Z',
      '2026-11-28T16:45:00+01:00',
      '2026-11-28',
      '2026-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-11-28T16:45:00.123456789Z',
      '2026-11-28T25:00:00Z',
    ),
  },
  { weight: 1, arbitrary: unicodeText },
);

/** Bodies any route may get: none, random JSON, a bare value, bytes that are not JSON. */
const genericBody: fc.Arbitrary<Body> = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  fc.jsonValue({ maxDepth: 3 }).map(jsonText),
  hostileValueText,
  fc.string({ unit: 'binary', maxLength: 200 }),
  oversizeText,
);

/** A route's near-valid bodies, cut short, padded to either side of the 16 KB limit, or generic. */
function bodyOf(nearValid: fc.Arbitrary<string>): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 8, arbitrary: nearValid },
    {
      weight: 1,
      arbitrary: nearValid.chain((body) => fc.nat({ max: body.length }).map((end) => body.slice(0, end))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(nearValid, fc.integer({ min: 16_370, max: 16_400 }))
        .map(([body, size]) => body + ' '.repeat(Math.max(0, size - Buffer.byteLength(body)))),
    },
    { weight: 3, arbitrary: genericBody },
  );
}

const eventText = nearValidObject({
  type: {
    valid: text(
      fc.constantFrom(
        'answer.given',
        'answer.unknown',
        'answer.skipped',
        'nav.back',
        'nav.pause',
        'nav.resume',
        'answer.',
      ),
    ),
  },
  promptId: {
    valid: text(fc.oneof(fc.stringMatching(/^[a-z0-9_.-]{1,64}$/), fc.constant('exchange'))),
    optional: true,
  },
  value: {
    valid: text(
      fc.oneof(fc.string({ minLength: 1, maxLength: 1000 }), fc.array(fc.string(), { maxLength: 31 })),
    ),
    optional: true,
  },
  note: { valid: text(fc.string({ maxLength: 1001 })), optional: true },
});

const subjectRefText = text(fc.stringMatching(SUBJECT_REF));

/** User ids as a body or query might name them: real ones, queues and supervisors' owners (`:`), too long. */
const userRef = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...everyone.map((who) => users[who].sub), 'someone-new') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'queue:intake',
      'supervisors:unit-1',
      'caseworker-1:',
      ':',
      '',
      ' ',
      'caseworker-1#x',
      'x'.repeat(128),
      'x'.repeat(129),
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 130 }) },
  { weight: 2, arbitrary: unicodeText },
  { weight: 1, arbitrary: numericLookingText },
);
const slugText = text(
  fc.oneof(
    fc.constantFrom('intake', 'unit-1', 'main', 'Intake', '', 'a'.repeat(65), 'queue:intake'),
    fc.stringMatching(/^[a-z0-9-]{1,64}$/),
  ),
);
const routeText = fc.oneof(
  nearValidObject({
    to: { valid: text(fc.constantFrom('user', 'User', 'queue')) },
    userId: { valid: text(userRef) },
    unit: { valid: slugText },
  }),
  nearValidObject({ to: { valid: text(fc.constantFrom('queue', 'user')) }, unit: { valid: slugText } }),
  nearValidObject({ to: { valid: text(fc.constantFrom('screener', 'supervisors', 'nobody', '')) } }),
);
const validRequirement = {
  type: 'cse_identification',
  label: 'CSE identification',
  roles: ['caseworker', 'supervisor'],
  validForMonths: 24,
  citation: 'Welf. & Inst. Code § 16524.7',
  basis: 'policy',
};
const requirementText = nearValidObject({
  type: {
    valid: text(
      fc.oneof(
        fc.constantFrom('cse_identification', 'mandated_reporter', 'CSE ID', ''),
        fc.stringMatching(/^[a-z0-9_]{1,65}$/),
      ),
    ),
  },
  label: {
    valid: text(fc.oneof(fc.string({ maxLength: 210 }), fc.constantFrom('  ', 'CSE identification'))),
  },
  roles: {
    valid: text(
      fc.array(
        fc.constantFrom('caseworker', 'supervisor', 'interviewer', 'shelter_staff', 'administrator', 'root'),
        { maxLength: 4 },
      ),
    ),
  },
  validForMonths: { valid: text(fc.constantFrom(0, 1, 24, 120, 121, 1.5, -1)), optional: true },
  citation: { valid: text(fc.oneof(fc.string({ maxLength: 210 }), fc.constant(validRequirement.citation))) },
  basis: { valid: text(fc.constantFrom('statute', 'policy', 'law')) },
});
const settingsText = nearValidObject({
  name: { valid: text(fc.oneof(fc.string({ maxLength: 210 }), fc.constantFrom('County A', '   ', ''))) },
  type: { valid: text(fc.constantFrom('county', 'partner', 'County', 'shelter')) },
  handoffTo: {
    optional: true,
    valid: text(
      fc.constantFrom('county-a', 'county-b', 'shelter-a', 'no-such-county', 'County A', '', 'ORG#county-a'),
    ),
  },
  contact: {
    optional: true,
    valid: text(fc.oneof(fc.string({ maxLength: 210 }), fc.constant('Desk (555) 010-0000'))),
  },
  locale: { optional: true, valid: text(fc.constantFrom('en', 'es', 'fr', 'EN')) },
  routes: {
    optional: true,
    valid: nearValidObject({
      screener: { valid: routeText, optional: true },
      caseworker: { valid: routeText, optional: true },
      placement_worker: { valid: routeText, optional: true },
      county_intake: { valid: routeText, optional: true },
      supervisor: { valid: routeText, optional: true },
    }),
  },
  training: {
    optional: true,
    valid: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.array(requirementText, { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
      },
      // Around the limit of 20 requirements.
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 19, max: 22 })
          .map((n) =>
            jsonText(Array.from({ length: n }, (_, i) => ({ ...validRequirement, type: `t_${i}` }))),
          ),
      },
    ),
  },
});
const dateText = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .date({
        noInvalidDate: true,
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
      })
      .map((date) => date.toISOString().slice(0, 10)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-11-28',
      '2026-11-29',
      '2024-02-29',
      '2026-02-29',
      '0000-01-01',
      '9999-12-31',
      '2026-11-28T00:00:00Z',
      '28/11/2026',
      '2026-1-1',
      '+002026-11-28',
    ),
  },
  { weight: 1, arbitrary: unicodeText },
);

const bodies = {
  createConversation: nearValidObject({
    flow: { valid: text(fc.constantFrom(...FLOWS, 'no-such-flow', 'CSE-SCREENING')) },
    locale: { valid: text(fc.constantFrom('en', 'es', 'fr', 'EN')) },
    subjectRef: { valid: subjectRefText },
    instrument: {
      optional: true,
      valid: nearValidObject({
        id: { valid: text(fc.string({ maxLength: 70 })) },
        version: { valid: text(fc.string({ maxLength: 40 })) },
      }),
    },
    // Issue 16: a return interview's link to its missing-from-care report (any id here: refused or absent).
    links: {
      optional: true,
      valid: nearValidObject({
        missingReport: { valid: text(fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }))) },
      }),
    },
  }),
  postTurn: nearValidObject({
    eventId: { valid: text(fc.stringMatching(EVENT_ID)) },
    expectedVersion: { valid: text(fc.constantFrom(0, 1, 2, 5, 14, 100_000, 100_001)) },
    event: { valid: eventText },
  }),
  completeTask: nearValidObject({
    evidence: {
      valid: nearValidObject({
        agency: { valid: text(fc.string({ maxLength: 210 })) },
        referenceNumber: { valid: text(fc.string({ maxLength: 110 })) },
        reportedAt: { valid: text(instantText) },
      }),
    },
  }),
  cancelTask: nearValidObject({ reason: { valid: text(fc.string({ maxLength: 1010 })) } }),
  reassignTask: nearValidObject({
    to: {
      valid: fc.oneof(
        fc.constant('{"kind":"queue"}'),
        userRef.map((userId) => jsonText({ kind: 'user', userId })),
        fc.constantFrom('{"kind":"user"}', '{"kind":"team"}', '{"kind":"queue","unit":"unit-2"}', '"queue"'),
      ),
    },
  }),
  syncTurns: nearValidObject({
    events: {
      valid: fc
        .array(
          nearValidObject({
            eventId: { valid: text(fc.stringMatching(EVENT_ID)) },
            expectedVersion: { valid: text(fc.constantFrom(0, 1, 2, 14, 100_001)) },
            event: { valid: eventText },
            answeredAt: { valid: text(instantText) },
            deviceView: { valid: text(fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string())) },
          }),
          { maxLength: 4 },
        )
        .map((items) => `[${items.join(',')}]`),
    },
  }),
  // Issue 16, findings 4 and 7: records requests, the reference in the body.
  openRecordsRequest: nearValidObject({
    subjectRef: { valid: subjectRefText },
    kind: { valid: text(fc.constantFrom('export', 'erase', 'delete', 'EXPORT', '')) },
    legalBasis: { valid: text(fc.oneof(fc.constantFrom(...LEGAL_BASES, 'Court order 2026-1'), fc.string())) },
    basisReference: {
      optional: true,
      valid: text(fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,64}$/), fc.string())),
    },
  }),
  decideRecordsRequest: nearValidObject({
    decision: { valid: text(fc.constantFrom('approve', 'refuse', 'Approve', 'approved', '')) },
    subjectRef: { valid: subjectRefText, optional: true },
  }),
  runRecordsRequest: nearValidObject({ subjectRef: { valid: subjectRefText } }),
  putOrganisation: nearValidObject({
    settings: { valid: settingsText },
    expectedVersion: { valid: text(fc.constantFrom(0, 1, 2, 3, 5, 1_000_000, 1_000_001, -1, 1.5)) },
  }),
  recordTraining: nearValidObject({
    userId: { optional: true, valid: text(userRef) },
    type: {
      valid: text(
        fc.oneof(
          fc.constantFrom('cse_identification', 'mandated_reporter', 'CSE ID', '', 'a'.repeat(65)),
          fc.stringMatching(/^[a-z0-9_]{1,64}$/),
        ),
      ),
    },
    completedOn: { valid: text(dateText) },
  }),
  // Issue 18: a tablet's random id and its PIN's verifier (43 base64url characters).
  enrolDevice: nearValidObject({
    deviceId: {
      valid: text(
        fc.oneof(
          fc.uuid(),
          fc.uuid().map((id) => id.toUpperCase()),
          fc.string(),
        ),
      ),
    },
    verifier: { valid: text(verifierText) },
  }),
  unlockDevice: nearValidObject({ verifier: { valid: text(verifierText) } }),
} satisfies Partial<Record<RouteName | 'runRecordsRequest', fc.Arbitrary<string>>>;

/** The store methods an accepted request of each route may call (its IAM grants: infra/table-permissions.ts). */
type StoreWrite = (typeof STORE_WRITES)[number];
const allowedWrites: Record<RouteName, readonly StoreWrite[]> = {
  createConversation: ['createConversation'],
  postTurn: ['commitTurn'],
  syncTurns: ['commitTurn'],
  getConversation: ['recordRead'],
  listConversations: [],
  listTasks: [],
  completeTask: ['updateTask'],
  cancelTask: ['updateTask'],
  supervisorBoard: [],
  listNotifications: [],
  activityReport: [],
  openRecordsRequest: ['putRecordsRequest'],
  listRecordsRequests: [],
  decideRecordsRequest: ['commitRecordsRequest'],
  exportRecords: ['commitRecordsRequest', 'recordRead'],
  eraseRecords: ['commitRecordsRequest', 'deleteItems'],
  claimTask: ['claimTask'],
  reassignTask: ['reassignTask'],
  getOrganisation: [],
  putOrganisation: ['putOrgProfile'],
  listHandoffs: [],
  getHandoff: [],
  acknowledgeHandoff: ['acknowledgeHandoff'],
  recordTraining: ['putTraining'],
  listTraining: [],
  enrolDevice: ['putDevice'],
  unlockDevice: ['chargeDeviceAttempt', 'clearDeviceAttempts'],
};

/**
 * Issue 18: the one refusal that writes. A wrong PIN is counted before it is checked (so guesses in parallel
 * are each counted), and stays counted: that count is the whole defence.
 */
const refusalWrites: Partial<Record<RouteName, Record<string, readonly StoreWrite[]>>> = {
  unlockDevice: { wrong_pin: ['chargeDeviceAttempt'] },
};

interface Target {
  who: Who[];
  id?: string;
  body?: Body;
  query?: Record<string, string>;
}

/** A request a real client would send: a valid token, JSON, the right shapes; now and then over the limit. */
function validRequest(target: fc.Arbitrary<Target>): fc.Arbitrary<Fuzzed> {
  return target.chain((t) =>
    fc.record({
      auth: fc
        .constantFrom(...t.who)
        .map<Auth>((who) => ({ kind: 'token', who, scheme: 'Bearer ', suffix: '' })),
      authName: fc.constant('authorization'),
      contentType: fc.record({
        name: fc.constant('content-type'),
        value: fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8'),
      }),
      headers: fc.constant({}),
      id: fc.constant(t.id),
      body: fc.constant(t.body),
      encoding: fc.constant<Fuzzed['encoding']>('plain'),
      query: fc.constant(t.query),
      throttled: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
  );
}

function routeArbitraries(fx: Fixture, credentials: Credentials): Record<RouteName, fc.Arbitrary<Fuzzed>> {
  const conversationId = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(fx.doneId, fx.liveId) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(...fx.completeTaskIds) },
    { weight: 2, arbitrary: junkId },
  );
  /**
   * Task ids for a route's fuzzed requests. completeTask's never name the tasks kept for cancelTask: a fuzzed
   * request that happens to be valid would settle them first, and cancelTask would then never succeed.
   */
  const taskIdAmong = (taskIds: string[]) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...taskIds) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.uuid(), fc.stringMatching(/^[a-z0-9-]{1,64}$/))
          .map(([conversation, rule]) => `${conversation}.${rule}`),
      },
      { weight: 1, arbitrary: fc.constantFrom(fx.doneId, `${taskIds[0]}.`, taskIds[0]!.toUpperCase()) },
      { weight: 2, arbitrary: junkId },
    );
  const subjects = [...fx.exportSubjects, ...fx.eraseSubjects, 'CASE-1001', 'CASE-3003'];
  const subjectRef = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...subjects) },
    { weight: 2, arbitrary: fc.stringMatching(SUBJECT_REF) },
  );
  /** Issue 16, finding 7: records requests are named by random ids; a subject reference as one is refused. */
  const allRequests = [...fx.approvedExports, ...fx.approvedErasures, ...fx.pendingRequests];
  const requestId = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...allRequests.map((request) => request.id)) },
    { weight: 1, arbitrary: fc.constantFrom(...allRequests.map((request) => request.id.toUpperCase())) },
    { weight: 1, arbitrary: fc.constantFrom(...subjects, fx.doneId) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: junkId },
  );
  /** A near-valid body, or one naming a fixture's subject so a refusal (if any) comes from deeper down. */
  const runBody = fc.oneof(
    { weight: 3, arbitrary: bodyOf(bodies.runRecordsRequest) },
    { weight: 1, arbitrary: subjectRef.map((ref) => jsonText({ subjectRef: ref })) },
  );
  const validRun = (requests: RecordsRequestFixture[]) =>
    validRequest(
      fc
        .constantFrom(...requests)
        .map(({ id, subjectRef }) => ({ who: ['admin'] as Who[], id, body: jsonText({ subjectRef }) })),
    );

  const cursor = fc.oneof(
    { weight: 2, arbitrary: fc.constant(fx.cursor) },
    {
      weight: 3,
      arbitrary: fc
        .record(
          {
            pk: fc.constantFrom(`TASK#${fx.completeTaskIds[0]}`, 'TASK#x', 'TASK#', 'CONV#x', ''),
            sk: fc.constantFrom('TASK', '', 'x'),
            gsi1pk: fc.constantFrom('ORG#county-a#TASKS', 'ORG#county-b#TASKS', 'ORG#shelter-a#TASKS', ''),
            gsi1sk: fc.constantFrom(
              'open#2026-11-29T15:00:00.000Z#x',
              'done#',
              'zzz',
              '',
              'cancelled#9999',
              '#',
            ),
            extra: fc.constantFrom('x', 1),
          },
          { requiredKeys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'] },
        )
        .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
    },
    {
      weight: 1,
      arbitrary: fc
        .jsonValue({ maxDepth: 2 })
        .map((value) => Buffer.from(jsonText(value)).toString('base64url')),
    },
    { weight: 2, arbitrary: fc.oneof(unicodeText, oversizeText) },
  );
  const limit = fc.oneof(
    fc.constantFrom('1', '10', '50', '100'),
    numericLookingText,
    fc.constantFrom('0', '101', '1.5', '2.5', '0.5', '1e2', '-0', '99.99'),
    fc.integer().map(String),
  );
  const status = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('open', 'done', 'cancelled') },
    { weight: 1, arbitrary: fc.constantFrom('OPEN', '', 'open ', 'all', 'open#') },
    { weight: 1, arbitrary: unicodeText },
  );
  const withJunk = <T extends Record<string, string>>(query: fc.Arbitrary<T>) =>
    fc.oneof(
      { weight: 4, arbitrary: query },
      { weight: 1, arbitrary: fc.tuple(query, queryMap).map(([known, junk]) => ({ ...junk, ...known })) },
      { weight: 1, arbitrary: queryMap },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  const taskQuery = withJunk(fc.record({ status, limit, cursor }, { requiredKeys: [] }));
  const activityQuery = withJunk(
    fc.record(
      {
        from: instantText,
        to: instantText,
        format: fc.oneof(fc.constantFrom('json', 'csv', 'xml', 'CSV', ''), unicodeText),
      },
      { requiredKeys: [] },
    ),
  );
  const noQuery = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: queryMap },
  );

  const random = (parts: {
    id?: fc.Arbitrary<string | undefined>;
    body?: fc.Arbitrary<Body>;
    query?: fc.Arbitrary<Record<string, string> | undefined>;
  }): fc.Arbitrary<Fuzzed> =>
    fc.record({
      auth: authArbitrary(credentials),
      authName: casings('authorization'),
      contentType: fc.record({ name: casings('content-type'), value: contentTypeValue }),
      headers: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: headerMap }),
      id: parts.id ?? fc.constant(undefined),
      body: parts.body ?? genericBody,
      encoding: fc.oneof(
        { weight: 10, arbitrary: fc.constant<Fuzzed['encoding']>('plain') },
        { weight: 1, arbitrary: fc.constantFrom<Fuzzed['encoding']>('base64', 'base64-flag-only') },
      ),
      query: parts.query ?? noQuery,
      throttled: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    });
  // Mostly hostile; about one request in twelve is one a real client would send (it may succeed and
  // write). Fewer of those where a success costs many DynamoDB Local round trips (tens of ms each).
  const mix = (valid: fc.Arbitrary<Fuzzed>, fuzzed: fc.Arbitrary<Fuzzed>, fuzzedWeight = 11) =>
    fc.oneof({ weight: 1, arbitrary: valid }, { weight: fuzzedWeight, arbitrary: fuzzed });

  const liveTurn: fc.Arbitrary<Body> = fc.record({
    live: fc.oneof(
      { weight: 3, arbitrary: fc.constant<LiveTurn['live']>('back') },
      { weight: 3, arbitrary: fc.constant<LiveTurn['live']>('answer') },
      { weight: 2, arbitrary: fc.constant<LiveTurn['live']>('unknown') },
      { weight: 2, arbitrary: fc.constantFrom<LiveTurn['live']>('replay', 'reuseId') },
      { weight: 1, arbitrary: fc.constantFrom<LiveTurn['live']>('skip', 'pause', 'resume', 'wrongPrompt') },
    ),
    eventId: fc.stringMatching(EVENT_ID),
    stale: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    pick: fc.nat(),
  });
  const evidence = fc
    .record({
      agency: fc.constantFrom('County Sheriff', 'Child Abuse Hotline'),
      referenceNumber: fc.stringMatching(/^[A-Z]{2}-[0-9]{4,8}$/),
      reportedAt: fc.constantFrom('2026-11-28T16:45:00Z', '2026-11-28T15:00:00.000Z', '2026-11-28T17:04:00Z'),
    })
    .map((value) => jsonText({ evidence: value }));
  const validActivity = fc
    .record({
      from: fc.constantFrom('2026-11-01T00:00:00Z', '2026-01-01T00:00:00+01:00'),
      to: fc.constantFrom('2026-12-01T00:00:00Z', '2026-12-31T23:59:59.999Z'),
      format: fc.constantFrom('json', 'csv'),
    })
    .map(({ format, ...range }) => (format === 'json' ? range : { ...range, format }));

  // R-ROUTE-1, R-HANDOFF-1, R-TRAIN-1.
  const handoffId = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...fx.handoffIds) },
    { weight: 1, arbitrary: fc.constantFrom(...fx.handoffIds).map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(fx.doneId, fx.liveId, ...fx.queuedTaskIds) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: junkId },
  );
  const intakeDesk: Who[] = ['intake', 'intakeColleague', 'intakeSupervisor'];
  /** Valid settings for each organisation's administrators, and for two who may not set them (403). */
  const countySettings = fc
    .record(
      {
        name: fc.constantFrom('County A Child Welfare', 'Condado A'),
        type: fc.constant('county'),
        locale: fc.constantFrom('en', 'es'),
        contact: fc.constant('Intake desk (555) 010-0001'),
        routes: fc.constantFrom(
          {},
          { county_intake: { to: 'queue', unit: 'intake' } },
          {
            county_intake: { to: 'queue', unit: 'intake' },
            placement_worker: { to: 'user', userId: 'caseworker-2', unit: 'unit-1' },
            supervisor: { to: 'supervisors' },
            caseworker: { to: 'screener' },
          },
        ),
        training: fc.constantFrom([], [validRequirement]),
      },
      { requiredKeys: ['name', 'type'] },
    )
    .map(jsonText);
  const shelterSettings = fc
    .record(
      {
        name: fc.constant('Shelter A'),
        type: fc.constant('partner'),
        // county-b is a county only once its administrator has set it up; until then, 422.
        handoffTo: fc.constantFrom('county-a', 'county-a', 'county-b', 'no-such-county'),
        contact: fc.constant('Desk (555) 010-1111'),
        training: fc.constantFrom([], [{ ...validRequirement, roles: ['shelter_staff'] }]),
      },
      { requiredKeys: ['name', 'type'] },
    )
    .map(jsonText);
  const settingsFor: Array<[Who, string, fc.Arbitrary<string>]> = [
    ['admin', 'county-a', countySettings],
    ['adminCaseworker', 'county-a', countySettings],
    ['shelterAdmin', 'shelter-a', shelterSettings],
    ['otherCountyAdmin', 'county-b', countySettings],
    ['supervisor', 'county-a', countySettings],
    ['shelter', 'shelter-a', shelterSettings],
  ];
  const liveOrg = (settings: [Who, string, fc.Arbitrary<string>][]) =>
    fc.constantFrom(...settings).chain(([who, org, arbitrary]) =>
      fc
        .record({
          settings: arbitrary,
          version: fc.oneof(
            { weight: 6, arbitrary: fc.constant<LiveOrg['version']>('current') },
            { weight: 1, arbitrary: fc.constantFrom<LiveOrg['version']>('stale', 'ahead', 'zero') },
          ),
        })
        .map(({ settings, version }) => ({ who, body: { liveOrg: org, version, settings } as LiveOrg })),
    );
  const trainingType = fc.constantFrom('cse_identification', 'mandated_reporter');
  /** Mostly past dates; the day after the clock's is in the future (422). */
  const completedOn = fc.constantFrom('2026-11-28', '2026-06-01', '2024-11-30', '2024-02-29', '2026-11-29');
  const trainees: Who[] = [
    'owner',
    'supervisor',
    'interviewer',
    'intake',
    'shelter',
    'admin',
    'shelterAdmin',
  ];
  const trainingQuery = withJunk(fc.record({ userId: userRef }, { requiredKeys: [] }));

  return {
    createConversation: mix(
      fc.oneof(
        validRequest(
          fc
            .record({
              flow: fc.constantFrom(...FLOWS),
              locale: fc.constantFrom('en', 'es'),
              subjectRef: fc.stringMatching(SUBJECT_REF),
            })
            .map((body) => ({
              who: ['owner', 'supervisor', 'interviewer', 'shelter'],
              body: jsonText(body),
            })),
        ),
        // Issue 16: a return interview linked to the youth's missing-from-care report, by those who run one.
        validRequest(
          fc.constantFrom('en', 'es').map((locale) => ({
            who: ['owner', 'supervisor', 'interviewer'] as Who[],
            body: jsonText({
              flow: 'runaway-return',
              locale,
              subjectRef: 'CASE-5005',
              links: { missingReport: fx.missingReportId },
            }),
          })),
        ),
      ),
      random({ body: bodyOf(bodies.createConversation) }),
    ),
    postTurn: mix(
      validRequest(liveTurn.map((body) => ({ who: ['owner'], id: fx.liveId, body }))),
      random({
        id: conversationId,
        body: fc.oneof({ weight: 5, arbitrary: bodyOf(bodies.postTurn) }, { weight: 1, arbitrary: liveTurn }),
      }),
    ),
    // A genuine device batch (applied once, then a duplicate no-op) next to generated ones, which cannot
    // forge the device's view digests and so are refused somewhere (shape, access, version, time, digest).
    syncTurns: mix(
      validRequest(fc.constant({ who: ['owner'], id: fx.syncId, body: fx.syncBody })),
      random({ id: conversationId, body: bodyOf(bodies.syncTurns) }),
    ),
    getConversation: mix(
      validRequest(fc.constantFrom(fx.doneId, fx.liveId).map((id) => ({ who: ['owner', 'supervisor'], id }))),
      random({ id: conversationId }),
      40,
    ),
    listTasks: mix(
      validRequest(
        fc
          .record(
            { status: fc.constantFrom('open', 'done'), limit: fc.constantFrom('1', '2', '50') },
            { requiredKeys: [] },
          )
          .map((query) => ({ who: ['owner', 'supervisor', 'colleague', 'shelter'], query })),
      ),
      random({ query: taskQuery }),
    ),
    completeTask: mix(
      validRequest(
        fc
          .tuple(fc.constantFrom(...fx.completeTaskIds), evidence)
          .map(([id, body]) => ({ who: ['owner', 'supervisor'], id, body })),
      ),
      random({ id: taskIdAmong(fx.completeTaskIds), body: bodyOf(bodies.completeTask) }),
    ),
    cancelTask: mix(
      validRequest(
        fc
          .tuple(fc.constantFrom(...fx.cancelTaskIds), fc.constantFrom('Not owed: duplicate referral', ' x '))
          .map(([id, reason]) => ({ who: ['owner', 'supervisor'], id, body: jsonText({ reason }) })),
      ),
      random({
        id: taskIdAmong([...fx.completeTaskIds, ...fx.cancelTaskIds]),
        body: bodyOf(bodies.cancelTask),
      }),
    ),
    supervisorBoard: mix(
      validRequest(fc.constant({ who: ['supervisor', 'otherUnitSupervisor'] })),
      random({}),
    ),
    listNotifications: mix(validRequest(fc.constant({ who: ['owner', 'supervisor'] })), random({})),
    // Issue 17: the caller's unfinished conversations, all or about one case reference.
    listConversations: mix(
      validRequest(
        fc
          .record(
            {
              status: fc.constant('unfinished'),
              subjectRef: fc.constantFrom('CASE-3003', 'CASE-5005', 'NONE-1'),
            },
            { requiredKeys: ['status'] },
          )
          .map((query) => ({ who: ['owner', 'supervisor', 'interviewer', 'shelter'], query })),
      ),
      random({
        query: withJunk(
          fc.record(
            {
              status: fc.oneof(fc.constantFrom('unfinished', 'UNFINISHED', 'completed', ''), unicodeText),
              subjectRef: fc.oneof(fc.stringMatching(SUBJECT_REF), unicodeText),
              flow: fc.oneof(fc.constantFrom(...FLOWS, 'No Flow', ''), unicodeText),
            },
            { requiredKeys: [] },
          ),
        ),
      }),
    ),
    // Issue 17: the intake unit's supervisor moves the last queued hand-off task to a worker or back to the
    // queue (the others stay queued for claimTask's valid requests).
    reassignTask: mix(
      validRequest(
        fc
          .tuple(
            fc.constant(fx.queuedTaskIds.at(-1)!),
            fc.constantFrom({ kind: 'user', userId: 'intake-2' }, { kind: 'queue' }),
          )
          .map(([id, to]) => ({ who: ['intakeSupervisor'], id, body: jsonText({ to }) })),
      ),
      random({
        id: taskIdAmong([...fx.queuedTaskIds, ...fx.completeTaskIds]),
        body: bodyOf(bodies.reassignTask),
      }),
    ),
    activityReport: mix(
      validRequest(validActivity.map((query) => ({ who: ['admin', 'supervisor'], query }))),
      random({ query: activityQuery }),
    ),
    // Issue 16, finding 4: either of county-a's administrators opens requests about the fixtures' subjects
    // (an erasure of a youth with open statutory reports is refused, a subject nobody holds is not found).
    openRecordsRequest: mix(
      validRequest(
        fc
          .record({
            subjectRef: fc.constantFrom(...subjects),
            kind: fc.constantFrom('export', 'erase'),
            legalBasis: fc.constantFrom(...LEGAL_BASES),
            basisReference: fc.constantFrom(undefined, 'JV-2026-117', 'ORDER/26:4'),
          })
          .map(({ basisReference, ...request }) => ({
            who: ['admin', 'adminCaseworker'] as Who[],
            body: jsonText({ ...request, ...(basisReference ? { basisReference } : {}) }),
          })),
      ),
      random({ body: bodyOf(bodies.openRecordsRequest) }),
    ),
    listRecordsRequests: mix(
      validRequest(
        fc.constant({ who: ['admin', 'adminCaseworker', 'otherCountyAdmin', 'shelterAdmin'] as Who[] }),
      ),
      random({}),
      40,
    ),
    // The second administrator decides each pending request once (approves it, or refuses it); later, 409.
    decideRecordsRequest: mix(
      validRequest(
        fc
          .tuple(fc.constantFrom(...fx.pendingRequests), fc.constantFrom('approve', 'refuse'))
          .map(([{ id, subjectRef }, decision]) => ({
            who: ['adminCaseworker'] as Who[],
            id,
            body: jsonText(decision === 'approve' ? { decision, subjectRef } : { decision }),
          })),
      ),
      random({
        id: requestId,
        body: fc.oneof(
          { weight: 4, arbitrary: bodyOf(bodies.decideRecordsRequest) },
          {
            weight: 1,
            arbitrary: subjectRef.map((ref) => jsonText({ decision: 'approve', subjectRef: ref })),
          },
        ),
      }),
    ),
    // Each approved request runs once, for its requester; every later run is a conflict.
    exportRecords: mix(validRun(fx.approvedExports), random({ id: requestId, body: runBody }), 40),
    eraseRecords: mix(validRun(fx.approvedErasures), random({ id: requestId, body: runBody })),
    // A queued hand-off task is claimed once, by a member of the intake unit; then it is theirs (409 after).
    claimTask: mix(
      validRequest(fc.constantFrom(...fx.queuedTaskIds).map((id) => ({ who: intakeDesk, id }))),
      random({ id: taskIdAmong([...fx.queuedTaskIds, ...fx.completeTaskIds]) }),
    ),
    getOrganisation: mix(validRequest(fc.constant({ who: everyone })), random({}), 40),
    putOrganisation: mix(
      validRequest(liveOrg(settingsFor).map(({ who, body }) => ({ who: [who], body }))),
      random({
        body: fc.oneof(
          { weight: 5, arbitrary: bodyOf(bodies.putOrganisation) },
          { weight: 1, arbitrary: liveOrg(settingsFor).map(({ body }) => body) },
        ),
      }),
    ),
    listHandoffs: mix(
      validRequest(fc.constant({ who: [...intakeDesk, 'owner', 'supervisor'] })),
      random({}),
      40,
    ),
    getHandoff: mix(
      validRequest(fc.constantFrom(...fx.handoffIds).map((id) => ({ who: [...intakeDesk, 'shelter'], id }))),
      random({ id: handoffId }),
      40,
    ),
    // Each hand-off is acknowledged once; every later acknowledgement is a conflict.
    acknowledgeHandoff: mix(
      validRequest(fc.constantFrom(...fx.handoffIds).map((id) => ({ who: intakeDesk, id }))),
      random({ id: handoffId }),
    ),
    recordTraining: mix(
      validRequest(
        fc
          .record({
            who: fc.constantFrom(...trainees),
            type: trainingType,
            completedOn,
            named: fc.boolean(),
            someone: fc.constantFrom('caseworker-2', 'intake-2', 'someone-new'),
          })
          .map(({ who, type, completedOn, named, someone }) => {
            // An administrator records anyone's training; anyone else, their own (named or not).
            const admin = who === 'admin' || who === 'shelterAdmin';
            const userId = named ? (admin ? someone : users[who].sub) : undefined;
            return { who: [who], body: jsonText({ ...(userId ? { userId } : {}), type, completedOn }) };
          }),
      ),
      random({ body: bodyOf(bodies.recordTraining) }),
    ),
    listTraining: mix(
      validRequest(
        fc.oneof(
          fc.constantFrom(...trainees).map((who): Target => ({ who: [who] })),
          fc
            .constantFrom('caseworker-1', 'caseworker-2', 'intake-2', 'someone-new')
            .map((userId): Target => ({ who: ['admin', 'adminCaseworker'], query: { userId } })),
        ),
      ),
      random({ query: trainingQuery }),
      40,
    ),
    // Issue 18: any case role enrols a new tablet (fresh random ids, so the fixture's stays as it is);
    // administrators may not; `owner`'s id in anyone else's name is a conflict, written nowhere (the
    // interviewer's is never sent here: a generated re-enrolment would change the verifier unlockDevice uses).
    enrolDevice: mix(
      validRequest(
        fc.tuple(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)).map(([deviceId, verifier]) => ({
          who: ['owner', 'interviewer', 'shelter', 'intake'] as Who[],
          body: jsonText({ deviceId: deviceId.toLowerCase(), verifier }),
        })),
      ),
      random({
        body: fc.oneof(
          { weight: 5, arbitrary: bodyOf(bodies.enrolDevice) },
          {
            weight: 1,
            arbitrary: verifierText.map((verifier) => jsonText({ deviceId: fx.takenDeviceId, verifier })),
          },
        ),
      }),
    ),
    // The owner's tablet with the right verifier gets its half (and its count cleared); generated ones guess,
    // are counted, wait, and may lock it; anyone else's is not found.
    unlockDevice: mix(
      validRequest(
        fc.constant({
          who: ['interviewer'] as Who[],
          id: fx.deviceId,
          body: jsonText({ verifier: fx.deviceVerifier }),
        }),
      ),
      random({
        id: fc.oneof(
          { weight: 3, arbitrary: fc.constant(fx.deviceId) },
          { weight: 1, arbitrary: fc.uuid() },
          { weight: 1, arbitrary: junkId },
        ),
        body: fc.oneof(
          { weight: 4, arbitrary: bodyOf(bodies.unlockDevice) },
          { weight: 1, arbitrary: fc.constant<Body>(jsonText({ verifier: fx.deviceVerifier })) },
        ),
      }),
      4,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------
// The harness: a write spy, an in-memory rate limiter, and the live conversation's state.

interface WriteCall {
  method: StoreWrite;
  args: unknown[];
}

/** Forwards everything to the real store; writes are recorded first, so even a failed attempt counts. */
function spyOnWrites(store: Store, writes: WriteCall[]): Store {
  const spy: Store = { ...store };
  for (const method of STORE_WRITES) {
    const write = store[method] as (...args: unknown[]) => Promise<void>;
    (spy as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      writes.push({ method, args });
      return write(...args);
    };
  }
  return spy;
}

/** The items each write method puts or deletes, from its arguments. */
const writtenKeys: { [M in StoreWrite]: (...args: Parameters<Store[M]>) => ItemKey[] } = {
  createConversation: (conversation) => [keys.conversation(conversation.id)],
  commitTurn: (turn) => [
    keys.conversation(turn.conversation.id),
    keys.event(turn.event.conversationId, turn.event.eventId),
    ...(turn.outcome ? [keys.outcome(turn.conversation.id)] : []),
    ...[...(turn.tasks ?? []), ...(turn.closes ?? [])].map((task) => keys.task(task.id)),
    ...(turn.handoff ? [keys.handoff(turn.handoff.id)] : []),
    ...(turn.notifications ?? []).map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  ],
  updateTask: (task, _expected, notifications = []) => [
    keys.task(task.id),
    ...notifications.map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  ],
  claimTask: (task) => [keys.task(task.id)],
  reassignTask: (task, _owner, notifications) => [
    keys.task(task.id),
    ...notifications.map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  ],
  recordTaskActions: (task, _expected, notifications) => [
    keys.task(task.id),
    ...notifications.map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  ],
  recordRead: (read) => [keys.read(read.conversationId, read.at, read.requestId)],
  deleteItems: (itemKeys) => [...itemKeys],
  putErasure: (erasure) => [keys.erasure(erasure.org, erasure.at, erasure.id)],
  putRecordsRequest: (request) => [keys.recordsRequest(request.org, request.id)],
  commitRecordsRequest: (request, _expected, with_ = {}) => [
    keys.recordsRequest(request.org, request.id),
    ...(with_.erasure ? [keys.erasure(with_.erasure.org, with_.erasure.at, with_.erasure.id)] : []),
    ...(with_.notifications ?? []).map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  ],
  putOrgProfile: (profile) => [keys.orgProfile(profile.org)],
  acknowledgeHandoff: (handoff) => [keys.handoff(handoff.id)],
  putTraining: (training) => [
    keys.training(training.org, training.userId, training.type, training.completedOn),
  ],
  putDevice: (device) => [keys.device(device.org, device.deviceId)],
  chargeDeviceAttempt: (device) => [keys.device(device.org, device.deviceId)],
  clearDeviceAttempts: (device) => [keys.device(device.org, device.deviceId)],
};
const keyOf = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\n${String(key.sk)}`;
const keysOf = (call: WriteCall) =>
  (writtenKeys[call.method] as (...args: unknown[]) => ItemKey[])(...call.args).map(keyOf);

/**
 * A fixed-window counter per user, in memory. The DynamoDB limiter costs a round trip per request and is
 * tested on its own; here what matters is the handler's side of the contract: a request refused by the
 * limiter never succeeds and never writes, even when its admission is decided after its first reads.
 */
function memoryRateLimiter(clock: () => Date, windowSeconds = 60) {
  const hits = new Map<string, number>();
  const limiter = {
    limit: Number.MAX_SAFE_INTEGER,
    async admit(userId: string) {
      // Decided a moment later, as a round trip to the table would be; the route's reads start meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
      const nowSeconds = clock().getTime() / 1000;
      const window = Math.floor(nowSeconds / windowSeconds);
      const key = `${userId}\n${window}`;
      const count = hits.get(key) ?? 0;
      if (count >= limiter.limit) {
        throw new RateLimitedError(Math.max(1, Math.ceil((window + 1) * windowSeconds - nowSeconds)));
      }
      hits.set(key, count + 1);
    },
  };
  return limiter satisfies RateLimiter;
}

let stack: TestStack;
let fixture: Fixture;
let credentials: Credentials;
let arbitraries: Record<RouteName, fc.Arbitrary<Fuzzed>>;
let handlers: Record<RouteName, LambdaHandler>;
let limiter: ReturnType<typeof memoryRateLimiter>;
const writes: WriteCall[] = [];
let authentications = 0;
const runsPerRoute = new Map<RouteName, number>();

/** What `postTurn` last said about the live conversation, so a `LiveTurn` can be valid when it is sent. */
const live = {
  version: 0,
  paused: false,
  prompt: null as null | { id: string; kind: string; choices?: Array<{ id: string }> },
  sent: [] as Array<{ eventId: string; body: string }>,
};

function liveTurnBody(turn: LiveTurn): string {
  if ((turn.live === 'replay' || turn.live === 'reuseId') && live.sent.length > 0) {
    const earlier = live.sent[turn.pick % live.sent.length]!;
    if (turn.live === 'replay') return earlier.body;
    const reused = JSON.parse(earlier.body) as { event: { type: string } };
    const other = reused.event.type === 'nav.back' ? { type: 'nav.pause' } : { type: 'nav.back' };
    return jsonText({ ...reused, event: other });
  }
  // A paused conversation takes nothing but a resume; without this most turns would bounce off the pause.
  const action = live.paused && turn.live !== 'pause' ? 'resume' : turn.live;
  const prompt = live.prompt;
  const promptId = prompt?.id ?? 'none';
  const choices = prompt?.choices ?? [];
  const choice = choices[turn.pick % Math.max(1, choices.length)]?.id ?? 'unknown';
  const value =
    prompt?.kind === 'multichoice'
      ? [choice]
      : prompt?.kind === 'text'
        ? 'Recorded by the fuzz test'
        : prompt?.kind === 'datetime'
          ? stack.clock.now.toISOString()
          : choice;
  const events = {
    unknown: { type: 'answer.unknown', promptId },
    answer: { type: 'answer.given', promptId, value },
    skip: { type: 'answer.skipped', promptId },
    back: { type: 'nav.back' },
    pause: { type: 'nav.pause' },
    resume: { type: 'nav.resume' },
    wrongPrompt: { type: 'answer.unknown', promptId: 'not-the-current-prompt' },
    replay: { type: 'nav.back' },
    reuseId: { type: 'nav.back' },
  };
  return jsonText({
    eventId: turn.eventId,
    expectedVersion: turn.stale ? Math.max(0, live.version - 1) : live.version,
    event: events[action],
  });
}

/** The profile version each organisation was last seen at, so a `LiveOrg` body can name the current one. */
const orgVersions = new Map<string, number>();

function liveOrgBody(body: LiveOrg): string {
  const current = orgVersions.get(body.liveOrg) ?? 0;
  const expectedVersion = { current, stale: current - 1, ahead: current + 1, zero: 0 }[body.version];
  return `{"settings":${body.settings},"expectedVersion":${expectedVersion}}`;
}

/** After any `putOrganisation`, remember the version it set, or the one a conflict reported. */
function followOrg(body: Body, result: ApiResult) {
  const reply = result.body as {
    profile?: { org: string; version: number } | null;
    error?: { code: string; details?: { profile?: { org: string; version: number } | null } };
  };
  if (result.status === 200 && reply.profile) {
    orgVersions.set(reply.profile.org, reply.profile.version);
  } else if (
    reply.error?.code === 'version_conflict' &&
    reply.error.details &&
    'profile' in reply.error.details
  ) {
    const profile = reply.error.details.profile;
    if (profile) orgVersions.set(profile.org, profile.version);
    else if (typeof body === 'object' && 'liveOrg' in body) orgVersions.set(body.liveOrg, 0);
  }
}

/** After any `postTurn` on the live conversation, remember where it stands. */
function followLive(request: ApiRequest, body: string | undefined, result: ApiResult) {
  if (request.id !== fixture.liveId) return;
  const reply = result.body as {
    replayed?: boolean;
    paused?: boolean;
    conversation?: { version: number };
    prompt?: typeof live.prompt;
    error?: {
      code: string;
      details?: { conversation?: { version: number }; prompt?: typeof live.prompt; paused?: boolean };
    };
  };
  if (result.status === 200 && !reply.replayed && reply.conversation) {
    live.version = reply.conversation.version;
    live.paused = reply.paused === true;
    live.prompt = reply.prompt ?? null;
    const eventId = (body && (JSON.parse(body) as { eventId?: string }).eventId) || undefined;
    if (body && eventId) live.sent.push({ eventId, body });
  } else if (reply.error?.code === 'version_conflict' && reply.error.details?.conversation) {
    live.version = reply.error.details.conversation.version;
    live.paused = reply.error.details.paused === true;
    live.prompt = reply.error.details.prompt ?? null;
  }
}

/** The handlers again, over the same deps, for what `stack.call` cannot send: base64 bodies, no content type. */
async function callDirect(
  route: RouteName,
  request: ApiRequest,
  options: { encoding: Fuzzed['encoding']; dropContentType: boolean },
): Promise<ApiResult> {
  const event = apiEvent(route, request);
  if (options.dropContentType) delete event.headers['content-type'];
  if (options.encoding !== 'plain') {
    event.isBase64Encoded = true;
    if (options.encoding === 'base64' && event.body !== undefined) {
      event.body = Buffer.from(event.body, 'utf8').toString('base64');
    }
  }
  const result = await handlers[route](event);
  const body = result.body ?? '';
  return {
    status: result.statusCode ?? 200,
    body: /json/.test(String(result.headers?.['content-type'] ?? '')) && body ? JSON.parse(body) : body,
    headers: (result.headers ?? {}) as Record<string, string>,
  };
}

async function send(
  route: RouteName,
  fuzzed: Fuzzed,
): Promise<{ result: ApiResult; request: ApiRequest; expected?: 401 | 403 }> {
  const { header, expected } = resolveAuth(fuzzed.auth, credentials);
  const headers: Record<string, string> = { ...fuzzed.headers };
  if (header !== undefined) headers[fuzzed.authName] = header;
  if (fuzzed.contentType.value !== null) headers[fuzzed.contentType.name] = fuzzed.contentType.value;
  const rawBody =
    typeof fuzzed.body !== 'object'
      ? fuzzed.body
      : 'liveOrg' in fuzzed.body
        ? liveOrgBody(fuzzed.body)
        : liveTurnBody(fuzzed.body);
  // `user: null`: the Authorization header, if any, is the generated one.
  const request: ApiRequest = {
    user: null,
    headers,
    // A path reaches Lambda as UTF-8 bytes, so it cannot hold a lone surrogate (and the event builder's
    // encodeURIComponent would throw on one): such ids arrive as U+FFFD.
    ...(fuzzed.id === undefined ? {} : { id: Buffer.from(fuzzed.id, 'utf8').toString('utf8') }),
    ...(rawBody === undefined ? {} : { rawBody }),
    ...(fuzzed.query === undefined ? {} : { query: fuzzed.query }),
  };
  limiter.limit = fuzzed.throttled ? 0 : Number.MAX_SAFE_INTEGER;
  const result =
    fuzzed.encoding === 'plain' && fuzzed.contentType.value !== null
      ? await stack.call(route, request)
      : await callDirect(route, request, {
          encoding: fuzzed.encoding,
          dropContentType: fuzzed.contentType.value === null,
        });
  limiter.limit = Number.MAX_SAFE_INTEGER;
  if (route === 'postTurn') followLive(request, rawBody, result);
  if (route === 'putOrganisation') followOrg(fuzzed.body, result);
  return { result, request, ...(expected === undefined ? {} : { expected }) };
}

/** A short, printable account of a request for assertion messages (bodies can be 20 KB). */
function describeRequest(route: RouteName, fuzzed: Fuzzed, request: ApiRequest): string {
  const clip = (value: unknown) => {
    const shown = JSON.stringify(value) ?? 'undefined';
    return shown.length > 300 ? `${shown.slice(0, 300)}… (${shown.length} chars)` : shown;
  };
  return [
    route,
    `auth=${clip(fuzzed.auth)}`,
    `content-type=${clip(fuzzed.contentType)}`,
    `encoding=${fuzzed.encoding}`,
    `throttled=${fuzzed.throttled}`,
    `id=${clip(request.id)}`,
    `query=${clip(request.query)}`,
    `headers=${clip(fuzzed.headers)}`,
    `body=${clip(request.rawBody)}`,
  ].join(' ');
}

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
  const reportsReceived = '2026-11-28T15:00:00Z';
  const done = await ScreeningDriver.start(stack, 'en', 'CASE-1001');
  const doneReply = await done.sendAll(
    fullScreening({ determination: 'identified', cws: 'yes', receivedAt: reportsReceived }),
  );
  const second = await ScreeningDriver.start(stack, 'es', 'CASE-2002');
  const secondReply = await second.sendAll(
    fullScreening({
      determination: 'identified',
      cws: 'no',
      services: ['specialized_counseling', 'legal_assistance'],
      receivedAt: reportsReceived,
    }),
  );
  const liveDriver = await ScreeningDriver.start(stack, 'en', 'CASE-3003');
  await liveDriver.sendAll([{ answer: 'present' }, { answer: 'not_present' }]);
  live.version = liveDriver.version;
  live.prompt = liveDriver.last.body.prompt;
  const syncDriver = await ScreeningDriver.start(stack, 'en', 'CASE-4004');
  const createdAt = syncDriver.last.body.conversation.createdAt as string;
  const { flow } = createFlowCatalog().current('cse-screening')!;
  const answer = { type: 'answer.given', promptId: 'exchange', value: 'present' } as const;
  const stepped = step(flow, start(flow, { locale: 'en', startedAt: createdAt }).snapshot, {
    ...answer,
    at: createdAt,
  } as never);
  if (!stepped.ok) throw new Error(stepped.rejection.code);
  const deviceView = createHash('sha256')
    .update(viewFingerprint(view(flow, stepped.snapshot, 'en')))
    .digest('hex');
  const syncBody = JSON.stringify({
    events: [
      { eventId: 'fuzz-sync-0001', expectedVersion: 0, event: answer, answeredAt: createdAt, deviceView },
    ],
  });
  const missingReport = await ScreeningDriver.start(stack, 'en', 'CASE-5005', 'missing-from-care');
  const exportSubjects = ['CASE-2002', 'EXPORT-1', 'EXPORT-2', 'EXPORT-3', 'EXPORT-4', 'EXPORT-5'];
  const eraseSubjects = ['ERASE-1', 'ERASE-2', 'ERASE-3'];
  for (const subject of [...exportSubjects.slice(1), ...eraseSubjects]) {
    await ScreeningDriver.start(stack, 'en', subject);
  }

  // R-ROUTE-1, R-HANDOFF-1: county-a routes its intake to the `intake` unit's queue; the partner shelter
  // (shelter-a, where `users.shelter` works) hands its concerns to county-a. Set up after the screenings
  // above, so their tasks are routed exactly as before.
  const setOrganisation = async (who: Who, settings: Record<string, unknown>) => {
    const reply = await stack.call('putOrganisation', {
      user: users[who],
      body: { settings, expectedVersion: 0 },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    orgVersions.set(users[who].org, reply.body.profile.version);
  };
  await setOrganisation('admin', {
    name: 'County A Child Welfare',
    type: 'county',
    routes: { county_intake: { to: 'queue', unit: 'intake' } },
  });
  await setOrganisation('shelterAdmin', {
    name: 'Shelter A',
    type: 'partner',
    handoffTo: 'county-a',
    contact: 'Desk (555) 010-1111',
  });
  // Three concerns handed off: each is acknowledged once, and its county tasks wait in the intake queue.
  const handoffIds: string[] = [];
  const queuedTaskIds: string[] = [];
  for (const subjectRef of ['SHELTER-1', 'SHELTER-2', 'SHELTER-3']) {
    const driver = await ScreeningDriver.start(stack, 'en', subjectRef, 'cse-screening', users.shelter);
    const reply = await driver.answerUntilDone({
      exchange: { answer: 'present' },
      determination: { answer: 'identified' },
      received_at: { answer: reportsReceived },
    });
    expect(reply.body.conversation.flow).toBe('partner-cse-screening');
    expect(reply.body.handoff, JSON.stringify(reply.body)).toMatchObject({
      id: driver.id,
      status: 'received',
    });
    handoffIds.push(driver.id);
    const received = await stack.call('getHandoff', { user: users.intake, id: driver.id });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    const tasks = received.body.tasks as Array<{ id: string; routedTo: { kind: string; unit: string } }>;
    queuedTaskIds.push(
      ...tasks
        .filter((task) => task.routedTo.kind === 'queue' && task.routedTo.unit === 'intake')
        .map((t) => t.id),
    );
  }

  // Issue 16, finding 4: records requests opened by one of county-a's administrators; the approved ones
  // approved by the other, the reference typed again.
  const openRequest = async (subjectRef: string, kind: 'export' | 'erase', approve: boolean) => {
    const opened = await stack.call('openRecordsRequest', {
      user: users.admin,
      body: { subjectRef, kind, legalBasis: 'court_order' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.request.id as string;
    if (approve) {
      const approved = await stack.call('decideRecordsRequest', {
        user: users.adminCaseworker,
        id,
        body: { decision: 'approve', subjectRef },
      });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    }
    return { id, subjectRef };
  };
  const approvedExports: RecordsRequestFixture[] = [];
  for (const subject of exportSubjects) approvedExports.push(await openRequest(subject, 'export', true));
  const approvedErasures: RecordsRequestFixture[] = [];
  for (const subject of eraseSubjects) approvedErasures.push(await openRequest(subject, 'erase', true));
  const pendingRequests: RecordsRequestFixture[] = [];
  for (const subject of [...exportSubjects, ...exportSubjects])
    pendingRequests.push(await openRequest(subject, 'export', false));

  // Issue 18: the interviewer's tablet, enrolled with its PIN's verifier.
  const deviceId = '6a0e5f8e-2f4c-4c1b-9a57-0d3c2b1a9e77';
  const deviceVerifier = createHash('sha256').update('fuzz device pin').digest('base64url');
  const enrolled = await stack.call('enrolDevice', {
    user: users.interviewer,
    body: { deviceId, verifier: deviceVerifier },
  });
  expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
  const takenDeviceId = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  const taken = await stack.call('enrolDevice', {
    user: users.owner,
    body: { deviceId: takenDeviceId, verifier: deviceVerifier },
  });
  expect(taken.status, JSON.stringify(taken.body)).toBe(201);

  const page = await stack.call('listTasks', { query: { limit: '1' } });
  expect(page.status).toBe(200);
  expect(page.body.cursor).toEqual(expect.any(String));
  const taskIdsOf = (reply: ApiResult) => (reply.body.tasks as Array<{ id: string }>).map((task) => task.id);
  fixture = {
    doneId: done.id,
    completeTaskIds: taskIdsOf(doneReply),
    cancelTaskIds: taskIdsOf(secondReply),
    liveId: liveDriver.id,
    syncId: syncDriver.id,
    syncBody,
    missingReportId: missingReport.id,
    exportSubjects,
    eraseSubjects,
    approvedExports,
    approvedErasures,
    pendingRequests,
    cursor: page.body.cursor,
    handoffIds,
    queuedTaskIds,
    deviceId,
    deviceVerifier,
    takenDeviceId,
  };
  expect(fixture.completeTaskIds.length).toBeGreaterThan(0);
  expect(fixture.cancelTaskIds.length).toBeGreaterThan(0);
  expect(fixture.queuedTaskIds.length).toBeGreaterThanOrEqual(handoffIds.length);

  credentials = await mintCredentials(stack);
  arbitraries = routeArbitraries(fixture, credentials);
  handlers = Object.fromEntries(
    routes.map((spec) => [spec.name, lambdaHandler(spec.name, routeHandlers[spec.name], () => stack.deps)]),
  ) as Record<RouteName, LambdaHandler>;

  limiter = memoryRateLimiter(() => stack.clock.now);
  stack.deps.rateLimiter = limiter;
  stack.deps.services.store = spyOnWrites(stack.deps.services.store, writes);
  // Counts what reached the handler wrapper, independently of fast-check's own count; verification stays real.
  const authenticator = stack.deps.authenticator;
  stack.deps.authenticator = {
    authenticate(authorization) {
      authentications += 1;
      return authenticator.authenticate(authorization);
    },
  };
}, 120_000);

/**
 * Every route, in the table's order except two: exports run first, before reading conversations piles up
 * access records that every export then reads back; erasure runs last, since it may delete the fixtures.
 */
const order: RouteName[] = [
  'exportRecords',
  ...routes.map(({ name }) => name).filter((name) => name !== 'exportRecords' && name !== 'eraseRecords'),
  'eraseRecords',
];

describe('fuzzing every route with generated bodies, headers, ids and queries', () => {
  for (const route of order) {
    it(`${route}: ${RUNS.toLocaleString('en')} generated requests, never a 5xx, never a write on rejection`, {
      timeout: 300_000,
    }, async () => {
      const before = await tableContents(stack);
      const startedAt = stack.clock.now.toISOString();
      const authenticatedBefore = authentications;
      const touched = new Set<string>();
      let runs = 0;
      let accepted = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(arbitraries[route], async (fuzzed) => {
          runs += 1;
          const mark = writes.length;
          const { result, request, expected } = await send(route, fuzzed);
          const made = writes.slice(mark);
          const what = () =>
            `${describeRequest(route, fuzzed, request)} -> ${result.status} ${JSON.stringify(result.body?.error?.code)}; writes: ${made.map((call) => call.method).join(', ') || 'none'}`;
          expect(result.status, what()).toBeGreaterThanOrEqual(200);
          expect(result.status, what()).toBeLessThan(500);
          if (expected !== undefined) expect(result.status, what()).toBe(expected);
          if (fuzzed.throttled) expect(result.status, what()).toBeGreaterThanOrEqual(400);
          if (result.status >= 400) {
            refused += 1;
            const code = String(result.body?.error?.code);
            expect(
              made.map((call) => call.method),
              what(),
            ).toEqual(refusalWrites[route]?.[code] ?? []);
            for (const call of made) for (const key of keysOf(call)) touched.add(key);
            // A tablet waiting after wrong PINs: let the wait pass, so the right PIN can be tried again.
            const wait = result.body?.error?.details?.retryAfterSeconds;
            if (route === 'unlockDevice' && typeof wait === 'number') stack.clock.advance(wait * 1000);
            expect(result.body?.error?.code, what()).toMatch(/^[a-z_]+$/);
          } else {
            accepted += 1;
            expect(
              made.map((call) => call.method).filter((method) => !allowedWrites[route].includes(method)),
              what(),
            ).toEqual([]);
            for (const call of made) for (const key of keysOf(call)) touched.add(key);
          }
        }),
        { numRuns: RUNS },
      );
      // Waits let pass for a tablet's PIN do not move the clock of the routes after it.
      stack.clock.set(startedAt);
      runsPerRoute.set(route, runs);

      expect(runs).toBeGreaterThanOrEqual(RUNS);
      expect(authentications - authenticatedBefore).toBeGreaterThanOrEqual(RUNS);
      // The generators reach both sides: requests that succeed and requests that are refused.
      expect(accepted).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();

      // Whatever changed in the table was written by an accepted request of this route.
      const after = await tableContents(stack);
      const beforeSet = new Set(before);
      const afterSet = new Set(after);
      const changed = [
        ...before.filter((item) => !afterSet.has(item)),
        ...after.filter((item) => !beforeSet.has(item)),
      ].map((item) => keyOf(JSON.parse(item) as { pk: unknown; sk: unknown }));
      expect(changed.filter((key) => !touched.has(key))).toEqual([]);
      if (allowedWrites[route].length === 0) expect(after).toEqual(before);
    });
  }

  it(`every route really ran at least ${RUNS.toLocaleString('en')} requests`, () => {
    expect(routes.map(({ name }) => [name, (runsPerRoute.get(name) ?? 0) >= RUNS])).toEqual(
      routes.map(({ name }) => [name, true]),
    );
    expect(authentications).toBeGreaterThanOrEqual(RUNS * routes.length);
  });
});
