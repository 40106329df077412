import fc from 'fast-check';

/**
 * Hostile inputs for the fuzz tests. Values that end up in a JSON body are produced as JSON *text*, so a
 * body can hold what `JSON.stringify` never writes: own `__proto__` keys, duplicate keys, numbers beyond
 * double range, deep nesting.
 */

/** JSON text for any value; `undefined`, which JSON cannot hold, becomes `null`. */
export const jsonText = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** An object's JSON text from key / value-text pairs, kept in order (a repeated key: the last one wins). */
export const objectText = (entries: ReadonlyArray<readonly [string, string]>): string =>
  `{${entries.map(([key, value]) => `${jsonText(key)}:${value}`).join(',')}}`;

/** UTF-16 halves on their own: not valid Unicode, and not encodable as UTF-8. */
export const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  minLength: 1,
  maxLength: 3,
});

/** Strings that break naive code: control characters, bidi overrides, injections, a lone surrogate. */
export const unicodeText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc
    .tuple(fc.string({ maxLength: 8 }), loneSurrogates, fc.string({ maxLength: 8 }))
    .map(([before, halves, after]) => before + halves + after),
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    '\u0000',
    '\u202eCASE',
    '\ufeff',
    'null',
    'undefined',
    'NaN',
    '<script>alert(1)</script>',
    "' OR '1'='1",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j lookup, literally
    '${jndi:ldap://127.0.0.1/x}',
    '../../etc/passwd',
    'CASE-1001\n',
    '%00',
    'x'.repeat(65),
  ),
);

/** A long string (about 1 KB to 20 KB), built by repetition so generating it costs next to nothing. */
export const oversizeText = fc
  .record({
    piece: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
    length: fc.integer({ min: 1_000, max: 20_000 }),
  })
  .map(({ piece, length }) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));

/** Number literals, including ones no double holds and ones `JSON.stringify` would never write. */
export const numberText = fc.oneof(
  fc.integer().map(jsonText),
  fc.double().map(jsonText),
  fc.constantFrom(
    '0',
    '-0',
    '-1',
    '1.5',
    '1e400',
    '-1e400',
    '1e-400',
    '100000',
    '100001',
    '9007199254740993',
    '123456789012345678901234567890',
    '1E2',
  ),
);

/** Strings that a lenient number parser might read as a number. */
export const numericLookingText = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '0x10',
  '0b1',
  ' 5',
  '5 ',
  '+5',
  '1_000',
  '',
  '-1',
  '1.5',
  '99999999999999999999',
);

const prototypeTraps = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":null}',
  '{"toString":1,"valueOf":"x","hasOwnProperty":null}',
);

/** Brackets nested deep enough to trouble a recursive walker, still under the body size limit. */
const deepNesting = fc
  .tuple(fc.integer({ min: 50, max: 3_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** The JSON text of a value that does not belong where it is put. */
export const hostileValueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: unicodeText.map(jsonText) },
  { weight: 1, arbitrary: oversizeText.map(jsonText) },
  { weight: 3, arbitrary: numberText },
  { weight: 2, arbitrary: numericLookingText.map(jsonText) },
  { weight: 2, arbitrary: fc.constantFrom('null', 'true', 'false', '{}', '[]', '""') },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(jsonText) },
  { weight: 1, arbitrary: fc.array(unicodeText, { maxLength: 40 }).map(jsonText) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: prototypeTraps },
);

/** How to describe one field of a body: its valid values (JSON text), and whether it may be left out. */
export interface FieldSpec {
  valid: fc.Arbitrary<string>;
  optional?: boolean;
}

const extraKey = (names: readonly string[]) =>
  fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
    unicodeText,
    // A repeated key: JSON.parse keeps the last, a streaming parser might keep the first.
    ...(names.length > 0 ? [fc.constantFrom(...names)] : []),
  );

/**
 * An object with the right keys, each usually valid, sometimes of the wrong type or size, sometimes
 * missing; now and then extra keys (prototype traps, repeats). About a quarter come out fully valid.
 */
export function nearValidObject(fields: Record<string, FieldSpec>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const entries = names.map((name) => {
    const spec = fields[name]!;
    return fc.oneof(
      { weight: 8, arbitrary: spec.valid.map((value) => [[name, value] as const]) },
      { weight: 2, arbitrary: hostileValueText.map((value) => [[name, value] as const]) },
      { weight: spec.optional ? 4 : 1, arbitrary: fc.constant([]) },
    );
  });
  const extras = fc.oneof(
    { weight: 6, arbitrary: fc.constant([]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(extraKey(names), hostileValueText), { minLength: 1, maxLength: 3 }),
    },
  );
  return fc
    .tuple(fc.tuple(...entries), extras)
    .map(([picked, extra]) => objectText([...picked.flat(), ...extra]));
}

/** Content types, mostly JSON in its spellings; `null` sends no content-type header at all. */
export const contentTypeValue: fc.Arbitrary<string | null> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'Application/Json;Charset=UTF-8',
      'application/json ;',
      ' application/json',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'text/plain',
      'text/plain; charset=utf-8',
      'application/jsonx',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json, text/plain',
      'application/vnd.api+json',
      'application/json\u0000',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: unicodeText },
);

/** Header names in the casings clients send (API Gateway lower-cases them; a local server may not). */
export const casings = (name: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(name) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        name.toUpperCase(),
        name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase()),
      ),
    },
  );

const reservedHeader = /^(authorization|content-type)$/i;

/** Other headers, random or familiar; never Authorization or Content-Type, which the tests set themselves. */
export const headerMap: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc
    .oneof(
      fc.constantFrom(
        'x-forwarded-for',
        'host',
        'user-agent',
        'content-length',
        'cookie',
        'origin',
        'x-amzn-trace-id',
        'x-api-key',
        '__proto__',
        'constructor',
      ),
      fc.string({ minLength: 1, maxLength: 20 }),
    )
    .filter((name) => !reservedHeader.test(name.trim())),
  fc.oneof(
    { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 3, arbitrary: unicodeText },
    { weight: 1, arbitrary: oversizeText },
  ),
  { maxKeys: 4 },
);

/** Query parameters as a client might garble them. */
export const queryMap: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.oneof(fc.constantFrom('status', 'limit', 'cursor', 'from', 'to', 'format', '__proto__'), unicodeText),
  fc.oneof(unicodeText, numericLookingText, oversizeText),
  { maxKeys: 4 },
);

/** Path ids that are not ids: junk, very long, percent-encoded, traversal. `undefined`: no id at all. */
export const junkId: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: unicodeText },
  { weight: 1, arbitrary: oversizeText },
  {
    weight: 2,
    arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((text) => encodeURIComponent(text)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%2e%2e%2f',
      '..%2F..%2F',
      '%00',
      '%E0%A4%A',
      '%',
      '.',
      '..',
      '/',
      'CONV#x',
      '*',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
