/**
 * A faster `JSON.stringify` for the records the pipeline writes per post, derived from their zod
 * schemas so there is still one definition. The schema is walked once into one generated function
 * (literal key prefixes, monomorphic property reads, no generic walk of the value); strings are
 * quoted as they are unless a character needs escaping. The output is `JSON.stringify(value)`
 * byte for byte: whenever the value is not shaped as the schema says (other keys or key order,
 * an undefined or mistyped value, a `toJSON`), the generated code gives up and `JSON.stringify`
 * serialises the whole value.
 */
import { globalConfig, type $ZodCheck, type $ZodType } from "zod/v4/core";
import { PostSchema } from "./post.ts";
import { ScoredPostSchema } from "./scored-post.ts";
import { checksOf, hasTrait, PATTERN_TRAITS } from "./zod-walk.ts";

/** Characters JSON.stringify writes escaped: quote, backslash, controls, and (well-formed) lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A printable ASCII character that JSON writes as itself. */
const plain = (code: number) => code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c;

/**
 * Whether every string `re` accepts is free of characters JSON escapes. Only a small, sure subset
 * of regex syntax is understood (anchored `^…$`, literals, \d, \w, classes of printable ASCII,
 * groups, alternation inside groups, quantifiers); anything else answers false.
 */
export function acceptsOnlyPlainText(re: RegExp): boolean {
  if (/[mv]/.test(re.flags)) return false; // m: ^ and $ at line breaks; v: class set syntax
  const src = re.source;
  if (src[0] !== "^" || "*+?{".includes(src[1] ?? "")) return false;
  let depth = 0;
  for (let i = 1; i < src.length; ) {
    const c = src[i]!;
    if (c === "\\") {
      // \d \w or an escaped punctuation mark; letters and digits (\s, \u, \0, \1…) are refused
      const e = src[i + 1] ?? "";
      if (!(/[dwbB]/.test(e) || (plain(e.charCodeAt(0)) && !/[A-Za-z0-9]/.test(e)))) return false;
      i += 2;
    } else if (c === "[") {
      const end = classEnd(src, i);
      if (end < 0) return false;
      i = end + 1;
    } else if (c === "(") {
      if (src[i + 1] !== "?") i += 1;
      else if (src[i + 2] === ":") i += 3;
      else if (src[i + 2] === "<" && /[A-Za-z_$]/.test(src[i + 3] ?? "")) i = src.indexOf(">", i) + 1; // named group
      else return false; // lookarounds, modifiers
      depth++;
    } else if (c === ")") {
      depth--;
      i++;
    } else if (c === "|") {
      if (depth === 0) return false; // an alternative not anchored at both ends
      i++;
    } else if (c === "$") {
      return i === src.length - 1 && depth === 0;
    } else if (plain(c.charCodeAt(0)) && c !== "." && c !== "^") {
      i++; // a literal, or a quantifier (whose characters are plain too)
    } else return false;
  }
  return false; // no closing $
}

/** Index of the `]` closing the class opened at `start`, or -1 when the class may match a character JSON escapes. */
function classEnd(src: string, start: number): number {
  let i = start + 1;
  if (src[i] === "^") return -1;
  // each item: a plain literal (low..high when a range) or \d / \w
  const item = (): [number, number] | "set" | undefined => {
    const c = src[i];
    if (c === undefined) return undefined;
    if (c === "\\") {
      const e = src[i + 1] ?? "";
      i += 2;
      if (e === "d" || e === "w") return "set";
      const code = e.charCodeAt(0);
      return plain(code) && !/[A-Za-z0-9]/.test(e) ? [code, code] : undefined; // \b is a backspace here
    }
    i++;
    const code = c.charCodeAt(0);
    return plain(code) ? [code, code] : undefined;
  };
  while (src[i] !== "]") {
    const low = item();
    if (low === undefined) return -1;
    if (src[i] === "-" && src[i + 1] !== "]") {
      i++;
      const high = item();
      if (low === "set" || high === undefined || high === "set" || high[0] < low[0]) return -1;
      // 0x20..0x7e less the quote (0x22) and the backslash (0x5c)
      if (low[0] <= 0x22 && high[0] >= 0x22) return -1;
      if (low[0] <= 0x5c && high[0] >= 0x5c) return -1;
    }
  }
  return i;
}

/** Whether every string `schema` accepts is written by JSON as it is: an enum of such strings, or a pattern check ruling the others out. */
function escapeFree(schema: $ZodType): boolean {
  const s = unwrap(schema);
  const def = s._zod.def as { type: string };
  if (def.type === "enum" || def.type === "literal") {
    const values = [...(s._zod.values ?? [])];
    return values.length > 0 && values.every((v) => typeof v === "string" && !NEEDS_ESCAPE.test(v));
  }
  if (def.type !== "string") return false;
  return checksOf(s).some((check: $ZodCheck) => {
    const { pattern, when } = check._zod.def as { pattern?: unknown; when?: unknown };
    // a check with `when` may be skipped, so it proves nothing
    return pattern instanceof RegExp && when === undefined && PATTERN_TRAITS.some((t) => hasTrait(check, t)) && acceptsOnlyPlainText(pattern);
  });
}

/** The schema under nullable/optional/readonly wrappers, which change only which values are allowed. */
function unwrap(schema: $ZodType): $ZodType {
  const def = schema._zod.def as { type: string; innerType?: $ZodType };
  return (def.type === "nullable" || def.type === "optional" || def.type === "readonly") && def.innerType ? unwrap(def.innerType) : schema;
}

/** The source being generated: the values it refers to, fresh variable names. */
class Source {
  readonly refs: unknown[] = [];
  private names = 0;
  ref(value: unknown): string {
    let i = this.refs.indexOf(value);
    if (i < 0) i = this.refs.push(value) - 1;
    return `r${i}`;
  }
  name(): string {
    return `v${this.names++}`;
  }
}

/**
 * JSON.stringify of one value out of its context; undefined when it has a toJSON (which would be
 * given another key) or throws (the whole value's JSON.stringify then throws its own error).
 */
function stringifyAny(value: unknown): string | undefined {
  if (value !== null && (typeof value === "object" || typeof value === "bigint") && typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Statements appending the JSON of string `x`: as it is when no character needs escaping. */
function writeString(x: string, src: Source, trusted?: string): string[] {
  const [esc, str] = [src.ref(NEEDS_ESCAPE), src.ref(JSON.stringify)];
  const asIs = trusted ? `${x} === ${trusted} || !${esc}.test(${x})` : `!${esc}.test(${x})`;
  return [`if (typeof ${x} !== "string") return undefined;`, `s += ${asIs} ? '"' + ${x} + '"' : ${str}(${x});`];
}

/**
 * Statements appending the JSON of variable `x` to `s`, or returning undefined (give up) when
 * `x` is not what the schema says. `trusted`: an expression for a string known to need no
 * escaping (a validated value's field), or undefined.
 */
function write(schema: $ZodType, x: string, src: Source, trusted?: string): string[] {
  const def = schema._zod.def as Record<string, any> & { type: string };
  switch (def.type) {
    case "string":
      return writeString(x, src, trusted);
    case "number":
      // JSON writes NaN and ±Infinity as null, -0 as 0 (as String does)
      return [`if (typeof ${x} !== "number") return undefined;`, `s += Number.isFinite(${x}) ? "" + ${x} : "null";`];
    case "boolean":
      return [`if (${x} === true) s += "true";`, `else if (${x} === false) s += "false";`, `else return undefined;`];
    case "enum":
    case "literal": {
      const values = [...(schema._zod.values ?? [])];
      const literal = (v: unknown) => typeof v === "string" || typeof v === "boolean" || v === null || (typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0));
      if (values.length === 0 || values.length > 16 || !values.every(literal)) break;
      // a listed value's JSON is known; any other string is written like any string
      const known = values.map((v, i) => `${i ? "else " : ""}if (${x} === ${JSON.stringify(v)}) s += ${JSON.stringify(JSON.stringify(v))};`);
      const other = values.every((v) => typeof v === "string") ? writeString(x, src, trusted) : writeAny(x, src);
      return [...known, `else {`, ...indent(other), `}`];
    }
    case "nullable":
      return [`if (${x} === null) s += "null";`, `else {`, ...indent(write(def.innerType, x, src, trusted)), `}`];
    case "optional":
      // an undefined element is rare enough to leave to JSON.stringify; an undefined property is the object's business
      return [`if (${x} === undefined) return undefined;`, ...write(def.innerType, x, src, trusted)];
    case "readonly":
      return write(def.innerType, x, src, trusted);
    case "array": {
      const [i, e] = [src.name(), src.name()];
      return [
        `if (!Array.isArray(${x}) || typeof ${x}.toJSON === "function") return undefined;`,
        `s += "[";`,
        `for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`,
        `  if (${i} > 0) s += ",";`,
        `  const ${e} = ${x}[${i}];`,
        ...indent(write(def.element, e, src)),
        `}`,
        `s += "]";`,
      ];
    }
    case "object": {
      const code = object(def.shape, x, src);
      if (code) return code;
      break;
    }
  }
  return writeAny(x, src);
}

/** Statements appending JSON.stringify's JSON of `x`, for a node this compiler does not specialise. */
function writeAny(x: string, src: Source): string[] {
  const j = src.name();
  return [`const ${j} = ${src.ref(stringifyAny)}(${x});`, `if (${j} === undefined) return undefined;`, `s += ${j};`];
}

/**
 * An object whose own enumerable keys are exactly the shape's, in the shape's order (a key whose
 * schema accepts undefined may be missing). `validated`: a variable holding a value that passed
 * `validatedShape`, whose escape-free string fields let equal strings skip the escape test.
 */
function object(shape: Record<string, $ZodType>, x: string, src: Source, validated?: { v: string; shape: Record<string, $ZodType> }): string[] | undefined {
  const keys = Object.keys(shape);
  if (Object.getOwnPropertySymbols(shape).length > 0 || keys.includes("__proto__")) return undefined;
  // optional, defaulted, caught: absent in the input or in the output
  const mayLack = keys.map((k) => shape[k]!._zod.optin !== undefined || shape[k]!._zod.optout !== undefined);
  const [K, n, k] = [src.ref(keys), src.name(), src.name()];
  const code = [`if (typeof ${x} !== "object" || ${x} === null || Array.isArray(${x}) || typeof ${x}.toJSON === "function") return undefined;`];
  // for...in lists own enumerable string keys in JSON.stringify's order, then any inherited enumerable ones (which fail the match)
  if (!mayLack.includes(true)) {
    code.push(`{`, `  let ${n} = 0;`, `  for (const ${k} in ${x}) if (${k} !== ${K}[${n}++]) return undefined;`, `  if (${n} !== ${keys.length}) return undefined;`, `}`);
  } else {
    const L = src.ref(mayLack);
    code.push(
      `{`,
      `  let ${n} = 0;`,
      `  for (const ${k} in ${x}) {`,
      `    while (${n} < ${keys.length} && ${L}[${n}] && ${K}[${n}] !== ${k}) ${n}++;`,
      `    if (${K}[${n}++] !== ${k}) return undefined;`,
      `  }`,
      `  for (; ${n} < ${keys.length}; ${n}++) if (!${L}[${n}]) return undefined;`,
      `}`,
    );
  }
  const sep = src.name();
  if (mayLack.includes(true)) code.push(`let ${sep} = "{";`);
  keys.forEach((key, i) => {
    const [lit, f] = [JSON.stringify(key), src.name()];
    const trusted = validated && Object.hasOwn(validated.shape, key) && escapeFree(validated.shape[key]!) ? `${validated.v}[${lit}]` : undefined;
    if (!mayLack.includes(true)) {
      code.push(`s += ${JSON.stringify(`${i ? "," : "{"}${lit}:`)};`, `const ${f} = ${x}[${lit}];`, ...write(shape[key]!, f, src, trusted));
      return;
    }
    const body = [`s += ${sep} + ${JSON.stringify(`${lit}:`)};`, `${sep} = ",";`, ...write(unwrapOptional(shape[key]!), f, src, trusted)];
    // JSON.stringify leaves out a property whose value is undefined
    code.push(`const ${f} = ${x}[${lit}];`, ...(mayLack[i] ? [`if (${f} !== undefined) {`, ...indent(body), `}`] : body));
  });
  code.push(mayLack.includes(true) ? `s += ${sep} === "{" ? "{}" : "}";` : `s += "}";`);
  return code;
}

/** The schema a present property is written by: defaults only matter when it is absent. */
const unwrapOptional = (schema: $ZodType): $ZodType => {
  const def = schema._zod.def as { type: string; innerType?: $ZodType };
  return (def.type === "optional" || def.type === "default" || def.type === "prefault") && def.innerType ? def.innerType : schema;
};

const indent = (lines: string[]) => lines.map((l) => "  " + l);

export interface StringifyOptions {
  /**
   * The object schema of a value passed as the serializer's second argument after it passed
   * that schema's validation (and was not changed since): a string field equal to that value's
   * same-named field, where the schema rules out every character JSON escapes, skips the escape test.
   */
  validatedAs?: $ZodType;
}

/**
 * `JSON.stringify` specialised to an object schema: the same string for every value (fast when
 * the value has the schema's shape, by `JSON.stringify` itself otherwise).
 *
 * @example
 * const stringifyPost = compileStringify(PostSchema);
 * stringifyPost(post) === JSON.stringify(post); // true, for any value
 */
export function compileStringify(schema: $ZodType, options: StringifyOptions = {}): (value: unknown, validated?: unknown) => string {
  const slow = (value: unknown) => JSON.stringify(value);
  const def = schema._zod.def as { type: string; shape?: Record<string, $ZodType> };
  if (globalConfig.jitless || def.type !== "object" || !def.shape) return slow; // zod's switch for no eval applies here too
  const src = new Source();
  const vdef = options.validatedAs?._zod.def as { type: string; shape?: Record<string, $ZodType> } | undefined;
  const validated = vdef?.type === "object" && vdef.shape ? { v: "validated", shape: vdef.shape } : undefined;
  const body = object(def.shape, "value", src, validated);
  if (!body) return slow;
  const consts = src.refs.map((_, i) => `const r${i} = refs[${i}];`);
  let fast: (value: unknown, validated: unknown) => string | undefined;
  try {
    fast = new Function("refs", [...consts, `return (value, validated) => {`, `let s = "";`, ...indent(body), `return s;`, `};`].join("\n"))(src.refs);
  } catch {
    return slow; // no eval here (a CSP)
  }
  const none = {};
  return (value, validatedValue) => fast(value, validatedValue ?? none) ?? JSON.stringify(value);
}

/** `JSON.stringify` of a Post (any value, in fact): no field is trusted, since Posts are written before validation. */
export const stringifyPost: (value: unknown) => string = compileStringify(PostSchema);

/**
 * `JSON.stringify(scored)` for a ScoredPost built from `post`, a value `PostSchema` validated:
 * fields copied from it unchanged (ids, timestamps) skip the escape test.
 */
export const stringifyScoredPost: (scored: unknown, post?: unknown) => string = compileStringify(ScoredPostSchema, { validatedAs: PostSchema });
