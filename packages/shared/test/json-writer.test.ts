import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  acceptsOnlyPlainText,
  compileStringify,
  generateStreamLines,
  parsePost,
  postFromStreamLine,
  PostSchema,
  POST_SOURCES,
  ScoredPostSchema,
  SENTIMENT_LABELS,
  seededRandom,
  stringifyPost,
  stringifyScoredPost,
  type Post,
  type ScoredPost,
} from "../src/index.ts";

// the reference, taken before any spy replaces JSON.stringify
const stringify = JSON.stringify;

type Serializer = (value: unknown, validated?: unknown) => string;
type Outcome = { ok: true; json: string | undefined } | { ok: false; error: string };
const outcome = (f: () => string | undefined): Outcome => {
  try {
    return { ok: true, json: f() };
  } catch (err) {
    return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
};

/** Calls `run` counting JSON.stringify calls on a whole value (`isWhole`): the serializer's fallbacks. */
function countingFallbacks<T>(run: () => T, isWhole: (arg: unknown) => boolean): { result: T; fallbacks: number } {
  const spy = vi.spyOn(JSON, "stringify");
  try {
    return { result: run(), fallbacks: spy.mock.calls.filter(([arg]) => isWhole(arg)).length };
  } finally {
    spy.mockRestore();
  }
}

/** The same string as JSON.stringify (or the same error); `fast` also says whether the compiled path must have written it. */
function expectSame(ser: Serializer, value: unknown, label: string, fast?: boolean, validated?: unknown) {
  const want = outcome(() => stringify(value));
  const { result: got, fallbacks } = countingFallbacks(
    () => outcome(() => ser(value, validated)),
    (arg) => arg === value,
  );
  expect(got, label).toStrictEqual(want);
  if (fast !== undefined) expect(fallbacks === 0, `${label}: ${fast ? "fell back to JSON.stringify" : "took the compiled path"}`).toBe(fast);
}

/** Strings from every class JSON treats differently, mixed. */
function randomString(rnd: () => number): string {
  const r = rnd();
  const length = r < 0.05 ? Math.floor(rnd() * 400) : Math.floor(rnd() * 30);
  if (rnd() < 0.5) return "x".repeat(length).replace(/x/g, () => String.fromCharCode(0x20 + Math.floor(rnd() * 95))); // printable ASCII (has " and \)
  let s = "";
  for (let i = 0; i < length; i++) {
    const c = rnd();
    if (c < 0.55) s += String.fromCharCode(0x20 + Math.floor(rnd() * 95));
    else if (c < 0.6) s += '"';
    else if (c < 0.65) s += "\\";
    else if (c < 0.72) s += String.fromCharCode(Math.floor(rnd() * 0x20)); // controls: \b \t \n \f \r and \u00XX
    else if (c < 0.74) s += ["\u007f", "\u2028", "\u2029", "\ufeff", "\uffff"][Math.floor(rnd() * 5)];
    else if (c < 0.8) s += String.fromCharCode(0xa0 + Math.floor(rnd() * 0x2000)); // latin, greek, CJK-ish BMP
    else if (c < 0.88) s += String.fromCodePoint(0x1f300 + Math.floor(rnd() * 0x300)); // emoji: a surrogate pair
    else if (c < 0.93) s += String.fromCharCode(0xd800 + Math.floor(rnd() * 0x400)); // lone high surrogate (or the start of a pair)
    else s += String.fromCharCode(0xdc00 + Math.floor(rnd() * 0x400)); // lone low surrogate
  }
  return s;
}

/** randomString, drawn mostly from a pool made once: 100k records of fresh strings would take most of the test's time. */
const POOL = (() => {
  const rnd = seededRandom(99);
  return Array.from({ length: 20_000 }, () => randomString(rnd));
})();
const anyString = (rnd: () => number): string => {
  const r = rnd();
  if (r < 0.0001) return randomString(rnd).repeat(1000 + Math.floor(rnd() * 100)) + randomString(rnd); // huge
  if (r < 0.05) return randomString(rnd);
  if (r < 0.2) return POOL[Math.floor(rnd() * POOL.length)]! + POOL[Math.floor(rnd() * POOL.length)]!;
  return POOL[Math.floor(rnd() * POOL.length)]!;
};

function randomNumber(rnd: () => number): number {
  const r = rnd();
  if (r < 0.6) return Math.floor(rnd() * 10 ** Math.floor(rnd() * 16));
  if (r < 0.7) return [-0, 0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7, 2 ** 53][Math.floor(rnd() * 10)]!;
  return (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const maybeNull = <T>(rnd: () => number, make: () => T): T | null => (rnd() < 0.2 ? null : make());
const list = <T>(rnd: () => number, make: () => T): T[] => Array.from({ length: rnd() < 0.4 ? 0 : Math.floor(rnd() * 5) }, make);
const digits = (rnd: () => number) => String(Math.floor(rnd() * 1e15)) + String(Math.floor(rnd() * 1e4));
const iso = (rnd: () => number) => new Date(Math.floor(rnd() * 4e12)).toISOString();

/** A Post in the schema's key order; strings from every escape class, numbers including -0, NaN and ±Infinity. */
function randomPost(rnd: () => number): Post {
  return {
    id: digits(rnd),
    text: anyString(rnd),
    created_at: iso(rnd),
    lang: maybeNull(rnd, () => anyString(rnd)),
    conversation_id: maybeNull(rnd, () => digits(rnd)),
    edit_history_tweet_ids: list(rnd, () => digits(rnd)),
    referenced_posts: list(rnd, () => ({ type: pick(rnd, ["retweeted", "quoted", "replied_to"] as const), id: digits(rnd) })),
    author_id: digits(rnd),
    author_username: maybeNull(rnd, () => anyString(rnd)),
    author_name: maybeNull(rnd, () => anyString(rnd)),
    author_location: maybeNull(rnd, () => anyString(rnd)),
    author_verified: maybeNull(rnd, () => rnd() < 0.5),
    author_followers_count: maybeNull(rnd, () => randomNumber(rnd)),
    author_following_count: maybeNull(rnd, () => randomNumber(rnd)),
    author_tweet_count: maybeNull(rnd, () => randomNumber(rnd)),
    author_listed_count: maybeNull(rnd, () => randomNumber(rnd)),
    like_count: randomNumber(rnd),
    retweet_count: randomNumber(rnd),
    reply_count: randomNumber(rnd),
    quote_count: randomNumber(rnd),
    bookmark_count: maybeNull(rnd, () => randomNumber(rnd)),
    impression_count: maybeNull(rnd, () => randomNumber(rnd)),
    hashtags: list(rnd, () => anyString(rnd)),
    cashtags: list(rnd, () => anyString(rnd)),
    mentions: list(rnd, () => anyString(rnd)),
    urls: list(rnd, () => anyString(rnd)),
    rule_ids: list(rnd, () => anyString(rnd)),
    rule_tags: list(rnd, () => anyString(rnd)),
    source: pick(rnd, POST_SOURCES),
    collected_at: iso(rnd),
  };
}

/** A ScoredPost in the schema's key order, its copied fields taken from `post`. */
function randomScored(rnd: () => number, post: Post): ScoredPost {
  return {
    id: post.id,
    text: post.text,
    created_at: post.created_at,
    dt: post.created_at.slice(0, 10),
    lang: post.lang,
    conversation_id: post.conversation_id,
    is_retweet: rnd() < 0.5,
    is_reply: rnd() < 0.5,
    is_quote: rnd() < 0.5,
    author_id: post.author_id,
    author_username: post.author_username,
    author_name: post.author_name,
    author_location: post.author_location,
    author_country: maybeNull(rnd, () => (rnd() < 0.9 ? pick(rnd, ["US", "PT", "DE"]) : anyString(rnd))),
    author_verified: post.author_verified,
    author_followers_count: post.author_followers_count,
    like_count: post.like_count,
    retweet_count: post.retweet_count,
    reply_count: post.reply_count,
    quote_count: post.quote_count,
    engagement: randomNumber(rnd),
    sentiment_label: rnd() < 0.95 ? pick(rnd, SENTIMENT_LABELS) : (anyString(rnd) as "neutral"),
    sentiment_score: rnd() < 0.9 ? rnd() * 2 - 1 : randomNumber(rnd),
    scorer_version: anyString(rnd),
    cashtags: post.cashtags,
    hashtags: post.hashtags,
    mentions: post.mentions,
    protocols: list(rnd, () => anyString(rnd)),
    domains: list(rnd, () => anyString(rnd)),
    rule_ids: post.rule_ids,
    rule_tags: post.rule_tags,
    source: post.source,
    collected_at: post.collected_at,
    scored_at: iso(rnd),
  };
}

/** Serialises every value with `ser`; returns the values whose JSON differs from JSON.stringify's, and the fallback count. */
function fuzz(values: Iterable<[unknown, unknown?]>, ser: Serializer) {
  let current: unknown;
  return countingFallbacks(
    () => {
      const wrong: { value: unknown; got: string; want: string | undefined }[] = [];
      let n = 0;
      for (const [value, validated] of values) {
        n++;
        current = value;
        const got = ser(value, validated);
        const want = stringify(value);
        if (got !== want && wrong.length < 3) wrong.push({ value, got, want });
      }
      return { wrong, n };
    },
    (arg) => arg === current,
  );
}

const validPost = (): Post => postFromStreamLine([...generateStreamLines(1, { seed: 11 })][0]!, "stream", new Date(1_790_000_000_000));

describe("stringifyPost", () => {
  it("writes JSON.stringify's bytes for 100k random Posts, all on the compiled path", () => {
    const rnd = seededRandom(1);
    const { result, fallbacks } = fuzz(
      (function* () {
        for (let i = 0; i < 100_000; i++) yield [randomPost(rnd)] as [unknown];
      })(),
      stringifyPost,
    );
    expect(result.wrong).toStrictEqual([]);
    expect(result.n).toBe(100_000);
    expect(fallbacks).toBe(0);
  });

  it("takes the compiled path for Posts as postFromX builds them and as parsePost returns them (the schema's key order)", () => {
    const lines = [...generateStreamLines(2000, { seed: 4 })];
    const posts = lines.map((l, i) => postFromStreamLine(l, POST_SOURCES[i % 4]!, new Date(1_790_000_000_000 + i)));
    expect(Object.keys(posts[0]!)).toStrictEqual(Object.keys(PostSchema.shape));
    const { result, fallbacks } = fuzz(
      [...posts, ...posts.map((p) => parsePost(JSON.parse(stringify(p))))].map((p) => [p] as [unknown]),
      stringifyPost,
    );
    expect(result.wrong).toStrictEqual([]);
    expect(fallbacks).toBe(0);
  });

  it("escapes every class of character in every string field as JSON.stringify does", () => {
    const nasty = [
      "",
      '"',
      "\\",
      'a"b\\c',
      ...Array.from({ length: 32 }, (_, c) => `x${String.fromCharCode(c)}y`),
      "\u007f\u0080\u00ff\u2028\u2029\ufeff\uffff",
      "\ud800",
      "\udbff",
      "\udc00",
      "\udfff",
      "a\ud83d",
      "\ude80b",
      "\ude80\ud83d", // a pair reversed: two lone surrogates
      "\ud83d\ud83d\ude80", // a lone high, then a pair
      "🚀 to the moon 🌕 $ETH",
      "𝕏 and 👩‍👩‍👧 and é and 中文",
      "</script><!--",
      "x".repeat(1_000_000) + '"',
      "é".repeat(300_000) + "\ud800",
    ];
    const stringKeys = Object.keys(PostSchema.shape).filter((k) => typeof validPost()[k as keyof Post] === "string");
    for (const s of nasty) {
      for (const key of stringKeys) expectSame(stringifyPost, { ...validPost(), [key]: s }, `${key} = ${stringify(s).slice(0, 40)}`, true);
      expectSame(stringifyPost, { ...validPost(), hashtags: [s, "ok", s], rule_ids: [s] }, `arrays of ${stringify(s).slice(0, 40)}`, true);
      expectSame(stringifyPost, { ...validPost(), referenced_posts: [{ type: s, id: s }] }, `referenced_posts of ${stringify(s).slice(0, 40)}`, true);
    }
  });

  it("writes numbers as JSON.stringify does: NaN and ±Infinity as null, -0 as 0, exponents", () => {
    for (const x of [-0, 0, NaN, Infinity, -Infinity, 1e21, 1e-7, 123.456, -5, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2]) {
      expectSame(stringifyPost, { ...validPost(), like_count: x, bookmark_count: x }, `number ${x}`, true);
    }
  });

  it("falls back to JSON.stringify for values not shaped as the schema says, with the same output or error", () => {
    const p = validPost;
    const { id: _id, ...withoutId } = p();
    const { text, ...rest } = p();
    const withGetter = p();
    Object.defineProperty(withGetter, "text", { get: () => 'got "it"', enumerable: true });
    const hiddenId = p();
    Object.defineProperty(hiddenId, "id", { enumerable: false });
    const inheriting = Object.assign(Object.create({ inherited: "x" }), p());
    class PostLike {
      constructor(post: Post) {
        Object.assign(this, post);
      }
    }
    const cases: [string, unknown][] = [
      ["an extra key at the end", { ...p(), extra: 1 }],
      ["an extra key first", { extra: 1, ...p() }],
      ["an extra key in the middle", { ...withoutId, id: "1", ...{} }],
      ["a missing key", withoutId],
      ["an integer-like extra key", { ...p(), 0: "zero" }],
      ["keys in another order", { text, ...rest }],
      ["an undefined value", { ...p(), lang: undefined }],
      ["an undefined required string", { ...p(), text: undefined }],
      ["a function value", { ...p(), lang: () => 1 }],
      ["a symbol value", { ...p(), text: Symbol("s") }],
      ["a number where a string belongs", { ...p(), id: 12 }],
      ["a string where a number belongs", { ...p(), like_count: "many" }],
      ["a boxed string", { ...p(), text: new String("boxed") }],
      ["a boxed number", { ...p(), like_count: new Number(3) }],
      ["a Date where a string belongs", { ...p(), created_at: new Date(0) }],
      ["a toJSON on the post", { ...p(), toJSON: () => "mine" }],
      ["a toJSON on an array", { ...p(), hashtags: Object.assign(["a"], { toJSON: () => ["b"] }) }],
      ["a toJSON on a nested object", { ...p(), referenced_posts: [{ type: "quoted", id: "1", toJSON: (key: string) => key }] }],
      ["a nested object with an extra key", { ...p(), referenced_posts: [{ type: "quoted", id: "1", x: 1 }] }],
      ["a nested object in another order", { ...p(), referenced_posts: [{ id: "1", type: "quoted" }] }],
      ["a nested object missing a key", { ...p(), referenced_posts: [{ type: "quoted" }] }],
      ["an array with holes", { ...p(), hashtags: [, "a", ,] }],
      ["an array with undefined, a function and a symbol", { ...p(), hashtags: [undefined, () => 1, Symbol("s")] }],
      ["a typed array", { ...p(), hashtags: new Uint8Array([1, 2]) }],
      ["an object where an array belongs", { ...p(), hashtags: { 0: "a", length: 1 } }],
      ["null where an array belongs", { ...p(), hashtags: null }],
      ["a getter", withGetter],
      ["a non-enumerable key", hiddenId],
      ["an inherited enumerable key", inheriting],
      ["a null prototype", Object.assign(Object.create(null), p())],
      ["a class instance", new PostLike(p())],
      ["a symbol key", { ...p(), [Symbol("s")]: 1 }],
      ["a proxy", new Proxy(p(), {})],
      ["a BigInt (both throw)", { ...p(), like_count: 10n }],
      ["an array", [p()]],
      ["a string", "text"],
      ["null", null],
      ["undefined", undefined],
      ["a Date", new Date(0)],
    ];
    for (const [label, value] of cases) expectSame(stringifyPost, value, label);
    // what the schema accepts stays fast even with odd but valid shapes
    expectSame(stringifyPost, Object.assign(Object.create(null), p()), "null prototype", true);
    expectSame(stringifyPost, new PostLike(p()), "class instance", true);
  });

  it("honours a toJSON added to Array.prototype or Object.prototype, as JSON.stringify does", () => {
    const protos = [Array.prototype, Object.prototype] as unknown as Record<string, unknown>[];
    for (const proto of protos) {
      proto.toJSON = function () {
        return "patched";
      };
      try {
        expectSame(stringifyPost, validPost(), "patched prototype");
      } finally {
        delete proto.toJSON;
      }
    }
  });
});

describe("stringifyScoredPost", () => {
  it("writes JSON.stringify's bytes for 100k random ScoredPosts built from validated Posts, all on the compiled path", () => {
    const rnd = seededRandom(2);
    const posts = [...generateStreamLines(500, { seed: 9 })].map((l) => parsePost(JSON.parse(stringify(postFromStreamLine(l, "generator", new Date(1_790_000_000_000))))));
    const { result, fallbacks } = fuzz(
      (function* () {
        for (let i = 0; i < 100_000; i++) {
          // the validated Post's text and names replaced: ids and timestamps stay validated
          const post = { ...posts[i % posts.length]!, text: anyString(rnd), author_name: maybeNull(rnd, () => anyString(rnd)) };
          yield [randomScored(rnd, post), i % 3 === 0 ? undefined : post] as [unknown, unknown];
        }
      })(),
      stringifyScoredPost,
    );
    expect(result.wrong).toStrictEqual([]);
    expect(fallbacks).toBe(0);
  });

  it("escapes a field that differs from the validated Post's, however safe that field's schema is", () => {
    const post = parsePost(JSON.parse(stringify(validPost())));
    const scored = randomScored(seededRandom(3), post);
    for (const s of ['1"2', "\\", "\n", "\ud800", "ok"]) {
      for (const key of ["id", "created_at", "conversation_id", "author_id", "collected_at", "dt", "scored_at", "author_country", "source", "sentiment_label"]) {
        expectSame(stringifyScoredPost, { ...scored, [key]: s }, `${key} = ${stringify(s)}`, true, post);
      }
    }
    // and a validated value that is not an object changes nothing
    expectSame(stringifyScoredPost, { ...scored, id: '"' }, "validated is a string", true, "x");
  });

  it("falls back like stringifyPost for other shapes", () => {
    const post = parsePost(JSON.parse(stringify(validPost())));
    const scored = randomScored(seededRandom(4), post);
    const { dt, ...noDt } = scored;
    for (const [label, value] of [
      ["an extra key", { ...scored, extra: true }],
      ["a missing key", noDt],
      ["another order", { dt, ...noDt }],
      ["an undefined value", { ...scored, author_country: undefined }],
      ["a Date", { ...scored, scored_at: new Date(0) }],
    ] as [string, unknown][]) {
      expectSame(stringifyScoredPost, value, label, false, post);
    }
  });
});

describe("compileStringify", () => {
  afterEach(() => vi.restoreAllMocks());

  const Schema = z.object({
    a: z.string().optional(),
    b: z.number(),
    tag: z.enum(['say "hi"', "plain"]),
    lit: z.literal(7),
    nested: z.object({ x: z.string().nullable(), y: z.array(z.boolean()).optional() }).optional(),
    either: z.union([z.string(), z.number()]),
    map: z.record(z.string(), z.number()),
    frozen: z.array(z.string()).readonly(),
    withDefault: z.string().default("d"),
    items: z.array(z.object({ k: z.string() })),
  });
  const ser = compileStringify(Schema);

  const randomValue = (rnd: () => number): Record<string, unknown> => {
    const v: Record<string, unknown> = {
      a: anyString(rnd),
      b: randomNumber(rnd),
      tag: pick(rnd, ['say "hi"', "plain", "other", 3]),
      lit: pick(rnd, [7, 8, "7"]),
      nested: { x: maybeNull(rnd, () => anyString(rnd)), y: list(rnd, () => rnd() < 0.5) },
      either: rnd() < 0.5 ? anyString(rnd) : randomNumber(rnd),
      map: { [anyString(rnd)]: randomNumber(rnd), z: 1 },
      frozen: list(rnd, () => anyString(rnd)),
      withDefault: anyString(rnd),
      items: list(rnd, () => ({ k: anyString(rnd) })),
    };
    // optional keys left out, or present as undefined
    for (const k of ["a", "nested", "withDefault"]) if (rnd() < 0.3) delete v[k];
    if (rnd() < 0.2) v.a = undefined;
    if (rnd() < 0.1 && v.nested) (v.nested as Record<string, unknown>).y = undefined;
    return v;
  };

  it("equals JSON.stringify for 100k values of a schema with optional keys, enums, literals, unions, records, defaults", () => {
    const rnd = seededRandom(5);
    const { result } = fuzz(
      (function* () {
        for (let i = 0; i < 100_000; i++) yield [randomValue(rnd)] as [unknown];
      })(),
      ser,
    );
    expect(result.wrong).toStrictEqual([]);
  });

  it("takes the compiled path when optional keys are missing or undefined, and not when a key is out of place", () => {
    const base = { b: 1, tag: "plain", lit: 7, either: 2, map: {}, frozen: [], items: [] };
    expectSame(ser, base, "optionals missing", true);
    const [head, tail] = [{ b: 1, tag: "plain", lit: 7 }, { either: 2, map: {}, frozen: [] }];
    expectSame(ser, { a: undefined, ...head, nested: { x: null }, ...tail, withDefault: undefined, items: [] }, "optionals undefined", true);
    expectSame(ser, { a: "s", ...head, nested: { x: "q", y: [true] }, ...tail, withDefault: "w", items: [{ k: "v" }] }, "all present", true);
    expectSame(ser, { ...base, a: "s" }, "an optional key out of order", false);
    expectSame(ser, { ...base, c: 1 }, "an extra key", false);
    const { b: _b, ...noB } = base;
    expectSame(ser, noB, "a required key missing", false);
    expectSame(ser, { ...base, either: { toJSON: (key: string) => `key ${key}` } }, "a toJSON below a node left to JSON.stringify", false);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expectSame(ser, { ...base, map: cycle }, "a cycle below a node left to JSON.stringify (the whole value's error)", false);
  });

  it("leaves a non-object schema to JSON.stringify", () => {
    const s = compileStringify(z.array(z.string()));
    expectSame(s, ["a", '"'], "array schema", false);
  });
});

describe("acceptsOnlyPlainText", () => {
  it("accepts the id, country and ISO patterns the schemas use", () => {
    const patterns = [PostSchema.shape.id, PostSchema.shape.created_at, ScoredPostSchema.shape.dt, ScoredPostSchema.shape.author_country.unwrap()].map(
      (s) => (s._zod.def.checks?.[0]?._zod.def as { pattern?: RegExp } | undefined)?.pattern ?? (s._zod.def as { pattern?: RegExp }).pattern,
    );
    for (const re of patterns) expect(re && acceptsOnlyPlainText(re), String(re)).toBe(true);
    for (const re of [/^\d{1,25}$/, /^[A-Z]{2}$/i, /^(?:a|b)+-[a-z_0-9]*$/, /^(?<y>\d{4})\.\w$/]) expect(acceptsOnlyPlainText(re), String(re)).toBe(true);
  });

  it("refuses any pattern that could accept a character JSON escapes, or that it cannot read", () => {
    for (const re of [
      /^.*$/,
      /^[\s\S]*$/,
      /^\s+$/,
      /^[^a]$/,
      /^[ -~]+$/, // includes " and \
      /^[!-$]$/, // includes "
      /^[[-^]$/, // includes \
      /^\\$/,
      /^"$/,
      /^\x22$/,
      /^\u0022$/,
      /^\0$/,
      /^[\b]$/,
      /^\n$/,
      /^a|b$/,
      /a$/,
      /^a/,
      /^a$/m,
      /^(?=.)a$/,
      /^(a)\1$/,
      /^é$/,
      /^\p{L}$/u,
      /^[\d-z]$/,
    ]) {
      expect(acceptsOnlyPlainText(re), String(re)).toBe(false);
    }
  });

  it("skips the escape test only where it must: a string field with an unreadable pattern is still escaped", () => {
    const Loose = z.object({ id: z.string().regex(/^[\s\S]{1,5}$/) });
    const Tight = z.object({ id: z.string().regex(/^\d{1,5}$/) });
    const s = compileStringify(Loose, { validatedAs: Loose });
    expectSame(s, { id: '"' }, "loose schema, equal validated value", true, { id: '"' });
    const t = compileStringify(Tight, { validatedAs: Tight });
    expectSame(t, { id: "12" }, "tight schema, equal validated value", true, { id: "12" });
  });
});
