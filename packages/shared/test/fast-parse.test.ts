import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { compileParse, generateStreamLines, parsePost, postFromStreamLine, PostSchema, POST_SOURCES, seededRandom } from "../src/index.ts";

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
const outcome = (f: () => unknown): Outcome => {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
};

/**
 * Both return deep-equal values with the same key order, or both throw the same ZodError; and
 * what zod accepts the fast path accepts itself, without falling back to zod.
 */
function expectSame(fast: (v: unknown) => unknown, schema: z.ZodType, input: unknown, label: string) {
  const spy = vi.spyOn(schema, "parse");
  const a = outcome(() => fast(input));
  const fellBack = spy.mock.calls.length > 0;
  spy.mockRestore();
  const b = outcome(() => schema.parse(input));
  expect(a.ok, `${label}: fast ${a.ok ? "accepts" : "rejects"}, zod ${b.ok ? "accepts" : "rejects"}`).toBe(b.ok);
  if (a.ok && b.ok) {
    expect(a.value, label).toStrictEqual(b.value);
    expect(JSON.stringify(a.value), label).toBe(JSON.stringify(b.value));
    expect(fellBack, `${label}: zod accepts it but the fast path fell back`).toBe(false);
  } else if (!a.ok && !b.ok) {
    expect(a.error, label).toBeInstanceOf(z.ZodError);
    expect((a.error as z.ZodError).issues, label).toStrictEqual((b.error as z.ZodError).issues);
  }
  return a.ok;
}

const decoded = (n: number, seed: number) =>
  [...generateStreamLines(n, { seed })].map(
    (l, i) => JSON.parse(JSON.stringify(postFromStreamLine(l, POST_SOURCES[i % POST_SOURCES.length]!, new Date(1_790_000_000_000 + i)))) as Record<string, unknown>,
  );

const ref = (type: unknown, id: unknown) => ({ type, id });
const good = ["1", "0", "9".repeat(25), "2026-11-16T17:00:13.124Z", "", "stream", "replied_to", 0, 7, 2 ** 53 - 1, true, false, null, [], ["1"], ["#a", "b"]];
const bad = [
  undefined, "12a", " 1", "1 ", "1\n", "1".repeat(26), "１２", "-1", "1e3", "2026-11-16T17:00:13Z", "2026-11-16T17:00:13.124+02:00",
  "2026-11-16", "2026-13-01T00:00:00.000Z", "2026-11-16 17:00:13Z", "2026-11-16T17:00:13.124z", "not a date", "Stream", "tweet",
  -1, -0, 1.5, 2 ** 53, -(2 ** 53), 1e300, Number.NaN, Infinity, -Infinity, "5", 5n, {}, [null], [1], [undefined], [, "a"], { length: 0 },
  [ref("quoted", "1")], [ref("quoted", "1"), ref("retweeted", "22")], [{ ...ref("quoted", "1"), extra: 1 }], [ref("quotes", "1")],
  [ref("quoted", 1)], [ref("quoted", "x")], [ref(null, "1")], [{ id: "1" }], [{ type: "quoted" }], [[]], [Object.assign(["quoted", "1"], { type: "quoted", id: "1" })],
  new Date(0), Object.create({ length: 0 }),
];
const candidates = [...good, ...bad];

describe("parsePost", () => {
  afterEach(() => vi.restoreAllMocks());

  it("returns what PostSchema.parse returns for generator posts, key order included, without asking zod", () => {
    const posts = decoded(5_000, 11);
    const spy = vi.spyOn(PostSchema, "parse");
    const fast = posts.map(parsePost);
    expect(spy).not.toHaveBeenCalled(); // the fast path took every one
    spy.mockRestore();
    posts.forEach((p, i) => {
      const want = PostSchema.parse(p);
      expect(fast[i]).toStrictEqual(want);
      expect(JSON.stringify(fast[i])).toBe(JSON.stringify(want));
    });
    expect(posts.some((p) => (p.referenced_posts as unknown[]).length > 0)).toBe(true);
    expect(posts.some((p) => p.author_location === null)).toBe(true);
  });

  it("returns new objects and arrays, as zod does, so the caller's value is never shared", () => {
    const [post] = decoded(200, 3).filter((p) => (p.referenced_posts as unknown[]).length > 0);
    const out = parsePost(post) as unknown as Record<string, unknown>;
    expect(out).not.toBe(post);
    for (const key of ["edit_history_tweet_ids", "referenced_posts", "hashtags", "rule_ids"]) expect(out[key]).not.toBe(post![key]);
    expect((out.referenced_posts as unknown[])[0]).not.toBe((post!.referenced_posts as unknown[])[0]);
  });

  it("agrees with zod when any one field takes any of many good and bad values, and strips extra keys as zod does", () => {
    const [post] = decoded(1, 5);
    let accepted = 0;
    let rejected = 0;
    for (const key of Object.keys(post!)) {
      for (const [j, value] of candidates.entries()) {
        const mutated: Record<string, unknown> = { ...post };
        if (value === undefined && j % 2 === 0) delete mutated[key];
        else mutated[key] = value;
        if (expectSame(parsePost, PostSchema, mutated, `${key} = ${String(value)}`)) accepted++;
        else rejected++;
      }
    }
    const extras = [{ ...post, extra: 1 }, { extra: [], ...post }, JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(post).slice(1)}`), Object.assign(Object.create(null), post)];
    for (const e of extras) expect(expectSame(parsePost, PostSchema, e, "extra keys")).toBe(true);
    for (const v of [null, undefined, "post", 42, [], [post], new Map(), Object.assign([], post)]) expectSame(parsePost, PostSchema, v, `value ${String(v)}`);
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(1_000);
  });

  it("agrees with zod on thousands of posts with several random mutations, nested referenced posts included", () => {
    const r = seededRandom(17);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const posts = decoded(3_000, 23);
    const keys = Object.keys(posts[0]!);
    let accepted = 0;
    for (const [i, post] of posts.entries()) {
      const mutated: Record<string, unknown> = { ...post, referenced_posts: (post.referenced_posts as object[]).map((x) => ({ ...x })) };
      for (let m = 1 + Math.floor(r() * 3); m > 0; m--) {
        const which = r();
        const first = Array.isArray(mutated.referenced_posts) ? (mutated.referenced_posts[0] as unknown) : undefined;
        if (which < 0.15 && typeof first === "object" && first !== null) {
          (first as Record<string, unknown>)[pick(["type", "id", "extra"])] = pick(candidates);
        } else if (which < 0.2) mutated[`extra_${m}`] = pick(candidates);
        else if (which < 0.6) mutated[pick(keys)] = pick(good);
        else mutated[pick(keys)] = pick(candidates);
      }
      if (expectSame(parsePost, PostSchema, mutated, `post ${i}`)) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(posts.length - 100);
  });
});

describe("compileParse", () => {
  it("leaves to zod what it does not compile (transforms, defaults, refinements, unions, url, strict or loose objects) and still agrees", () => {
    const schema = z.object({
      n: z.string().transform((s) => s.length),
      d: z.object({ d: z.number().default(3) }), // a defaulted key leaves its object to zod
      r: z.number().refine((x) => x % 2 === 0),
      u: z.union([z.string(), z.number()]),
      url: z.url().optional(),
      o: z.string().optional(),
      e: z.string().exactOptional(),
      s: z.strictObject({ a: z.string() }).nullable(),
      l: z.looseObject({ a: z.string() }),
      len: z.string().min(2).max(3),
      bounds: z.array(z.number().int().gt(-3).lte(5)).max(2),
      lit: z.literal(["a", 1]),
      f: z.number().nullable(),
      g: z.string().regex(/^a/g), // a global pattern keeps lastIndex between tests unless reset
    });
    const parse = compileParse(schema);
    const base = { n: "xx", d: { d: 1 }, r: 2, u: 1, url: "https://x.org", o: "o", e: "e", s: { a: "a" }, l: { a: "a", b: 1 }, len: "ab", bounds: [-2, 5], lit: 1, f: 0.5, g: "aa" };
    const values: unknown[] = [undefined, null, "", "a", "😀😀", "😀😀😀😀", "abcd", "http://", "https://x.org", 0, 1, 3, -3, 6, 1.5, [], [1, 2, 3], [-2, 5], { a: "a" }, { a: "a", b: 1 }, {}, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE];
    let accepted = 0;
    for (const key of Object.keys(base)) {
      for (const value of values) {
        const input: Record<string, unknown> = { ...base, [key]: value };
        if (value === undefined && key !== "e") delete input[key];
        if (expectSame(parse, schema, input, `${key} = ${JSON.stringify(value)}`)) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(20);
    const spy = vi.spyOn(schema, "parse");
    expect(parse({ ...base, d: {} })).toStrictEqual({ ...base, n: 2, d: { d: 3 } });
    expect(spy).not.toHaveBeenCalled(); // the rest of the object still took the fast path
  });
});
