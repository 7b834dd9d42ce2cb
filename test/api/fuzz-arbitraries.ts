/**
 * fast-check arbitraries for the API's inputs: strings of any code points, JSON bodies
 * shaped like the spec's envelopes (or not), and query strings and path segments as clients
 * and attackers send them.
 */
import fc from "fast-check";

/** Strings of any code points: NUL, control characters, lone surrogates, astral symbols. */
export const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom("\u0000", "\u001f", "\n", "'", '"', "\\", "%", "/", "é", "🐉", " "),
    maxLength: 20,
  }),
  // A dictionary of known troublemakers, so they come up often rather than by rare luck.
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\u202e",
    "'; DROP TABLE users; --",
    '" OR 1=1 --',
    "__proto__",
    "constructor",
    "{}",
    "null",
    "ＡＢＣ",
  ),
);

/**
 * Past every field's limit yet small enough that eight of them stay under the 1 MiB body
 * limit: a 413 is tested on its own, since the origin closes the socket after one.
 */
const hugeString = fc.integer({ min: 1_000, max: 120_000 }).map((length) => "x".repeat(length));

export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: "binary" }) },
  { weight: 6, arbitrary: anyString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, [], {}, [null], [""], ["a", "a"]) },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 25 }) },
);

const fieldName = fc.oneof(
  fc.constantFrom("title", "description", "body", "tagList", "email", "username", "password", "bio", "image"),
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty"),
  fc.constantFrom("user", "article", "comment"),
  anyString,
);

/** A JSON object written by hand, so `__proto__` and repeated keys reach the server as sent. */
const objectText = (entries: [string, unknown][]) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}`).join(",")}}`;

export type BodyFor = (wrapper: string) => string;

const envelopeBody: fc.Arbitrary<BodyFor> = fc
  .tuple(
    fc.oneof(fc.constant(undefined), fc.constantFrom("user", "article", "comment", "__proto__", "constructor")),
    fc.array(fc.tuple(fieldName, anyJson), { maxLength: 8 }),
  )
  .map(
    ([otherWrapper, entries]) =>
      (wrapper) =>
        `{${JSON.stringify(otherWrapper ?? wrapper)}:${objectText(entries)}}`,
  );

const validShapes: Record<string, Record<string, unknown>> = {
  user: { username: "fuzzed", email: "fuzzed@example.test", password: "long enough", bio: "b", image: "i" },
  article: { title: "A title", description: "d", body: "b", tagList: ["a", "b"] },
  comment: { body: "a comment" },
};

/** The route's valid body with one position (the wrapper's value, a field or a tag) replaced by anything. */
const mutatedBody: fc.Arbitrary<BodyFor> = fc.tuple(fc.nat(), anyJson).map(([position, value]) => (wrapper) => {
  const fields = { ...validShapes[wrapper] };
  const names = Object.keys(fields);
  const target = position % (names.length + 2);
  if (target === names.length) return JSON.stringify({ [wrapper]: value });
  if (target === names.length + 1) return JSON.stringify({ [wrapper]: { ...fields, tagList: ["ok", value] } });
  fields[names[target]!] = value;
  return JSON.stringify({ [wrapper]: fields });
});

const deepBody: fc.Arbitrary<BodyFor> = fc
  .tuple(fc.integer({ min: 1, max: 3_000 }), fc.constantFrom("[", '{"a":'))
  .map(([depth, opener]) => (wrapper) => {
    const closer = opener === "[" ? "]" : "}";
    return `{"${wrapper}":{"title":${opener.repeat(depth)}1${closer.repeat(depth)}}}`;
  });

export const anyBody: fc.Arbitrary<BodyFor> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.jsonValue({ maxDepth: 6, stringUnit: "binary" }).map((value) => () => JSON.stringify(value)),
  },
  { weight: 4, arbitrary: envelopeBody },
  { weight: 6, arbitrary: mutatedBody },
  { weight: 1, arbitrary: deepBody },
);

const percentJunk = fc.oneof(
  fc
    .uint8Array({ maxLength: 12 })
    .map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("")),
  fc.constantFrom("%", "%%", "%zz", "%E0%A4%A", "%C0%AF", "%2e%2e", "+", "%2B", "%26", "%3D", "%00", "%ED%A0%80"),
);

/** A query value or path segment as a client might send it: encoded text, raw bytes or junk. */
export const urlPiece = fc.oneof(
  fc.constantFrom("%00", "a%00b", "%01", "%7F", "%C0%80", "%FF", "2147483648", "99999999999999"),
  fc.string({ unit: "grapheme", maxLength: 30 }).map(encodeURIComponent),
  anyString.filter((text) => text.isWellFormed()).map(encodeURIComponent),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 25n }).map(String),
  fc.constantFrom("0", "1", "100", "101", "-0", "1.0", "1e2", "0x10", "NaN", "Infinity", "", " ", "null"),
  percentJunk,
);

export const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom("limit", "offset", "tag", "author", "favorited"), urlPiece),
      urlPiece,
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([key, value, withEquals]) => (withEquals ? `${key}=${value}` : key)).join("&"));
