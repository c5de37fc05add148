/**
 * Wire codecs: JSON that keeps big integers, NDJSON, and Firehose record framing.
 */
import { isUtf8 } from "node:buffer";
import { stringifyPost } from "./json-writer.ts";

/** Raised for a line or record that is not what it should be; says which one and why. */
export class DecodeError extends Error {
  override name = "DecodeError";
  constructor(
    message: string,
    readonly where: string,
    options?: { cause?: unknown },
  ) {
    super(`${where}: ${message}`, options);
  }
}

const BIG_INT_HINT = /[:[,]\s*-?\d{16}/;

/**
 * Quotes every bare integer of 16 or more digits outside strings, so `JSON.parse` cannot round
 * it (X sends `matching_rules[].id` as a JSON number above 2^53). Scans only when a long digit
 * run is present at all, so ordinary lines cost one regex test.
 */
export function quoteBigIntegers(json: string): string {
  if (!BIG_INT_HINT.test(json)) return json;
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    const isDigit = c >= 48 && c <= 57;
    if (!isDigit && c !== 45 /* - */) continue;
    // One whole number token: sign, integer digits, then any fraction or exponent (whose digits
    // must never be taken for an integer of their own)
    let j = i + (c === 45 ? 1 : 0);
    const digitsFrom = j;
    while (j < json.length && isDigitAt(json, j)) j++;
    const digits = j - digitsFrom;
    let integer = true;
    if (json.charCodeAt(j) === 46 /* . */) {
      integer = false;
      j++;
      while (j < json.length && isDigitAt(json, j)) j++;
    }
    const e = json.charCodeAt(j);
    if (e === 101 || e === 69 /* e E */) {
      integer = false;
      j++;
      if (json.charCodeAt(j) === 43 || json.charCodeAt(j) === 45) j++;
      while (j < json.length && isDigitAt(json, j)) j++;
    }
    if (integer && digits >= 16) {
      out += json.slice(last, i) + '"' + json.slice(i, j) + '"';
      last = j;
    }
    i = Math.max(i, j - 1);
  }
  return last === 0 ? json : out + json.slice(last);
}

/** Whether `root` holds a number of magnitude 1e15 or more: every integer literal of 16+ digits parses to one. */
function mayHoldLongInteger(root: unknown): boolean {
  if (typeof root !== "object" || root === null) return typeof root === "number" && isLong(root);
  // a stack, not recursion: deeply nested input must not overflow the call stack
  const stack: object[] = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === "number") {
          if (isLong(x)) return true;
        } else if (typeof x === "object" && x !== null) stack.push(x);
      }
    } else {
      for (const k in v) {
        const x: unknown = (v as Record<string, unknown>)[k];
        if (typeof x === "number") {
          if (isLong(x)) return true;
        } else if (typeof x === "object" && x !== null) stack.push(x);
      }
    }
  }
  return false;
}

const isLong = (x: number): boolean => x >= 1e15 || x <= -1e15;

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** `JSON.parse` that keeps integers above 2^53 exact (as strings): `JSON.parse(quoteBigIntegers(text))`. */
export function parseJsonSafe(text: string, where = "input"): unknown {
  try {
    // Parsed as it is first: only a value holding a number of 16 or more digits' magnitude can
    // have come from a long integer, and only then is the text scanned and quoted (a walk of
    // the parsed value costs less than a regex over the whole text).
    const value: unknown = JSON.parse(text);
    return mayHoldLongInteger(value) ? JSON.parse(quoteBigIntegers(text)) : value;
  } catch {
    // the same error as quoting then parsing gives
  }
  try {
    return JSON.parse(quoteBigIntegers(text));
  } catch (err) {
    const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    throw new DecodeError(`invalid JSON (${(err as Error).message}) in ${JSON.stringify(preview)}`, where, { cause: err });
  }
}

export function encodeNdjson(values: Iterable<unknown>): string {
  let out = "";
  for (const v of values) out += JSON.stringify(v) + "\n";
  return out;
}

export type NdjsonLine = { ok: true; line: number; value: unknown } | { ok: false; line: number; error: DecodeError };

/** Decodes NDJSON line by line; a bad line is reported with its number and never hides its neighbours. */
export function* decodeNdjson(text: string, where = "ndjson"): Generator<NdjsonLine> {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (!raw) continue;
    try {
      yield { ok: true, line, value: parseJsonSafe(raw, `${where}:${line}`) };
    } catch (err) {
      yield { ok: false, line, error: err as DecodeError };
    }
  }
}

/** Firehose record data: one JSON document, newline-terminated, so S3 objects are valid NDJSON. */
export function encodeFirehoseRecord(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value) + "\n", "utf8");
}

// One reused buffer for batch encoding and the per-record base64 round trips: a fresh Buffer per
// record costs more than the copy. Records above the cap get their own buffer so a rare huge one is not kept alive.
const SCRATCH_CAP = 4 * 1024 * 1024;
let scratch = Buffer.allocUnsafeSlow(64 * 1024);
function scratchOf(bytes: number): Buffer | null {
  if (bytes > SCRATCH_CAP) return null;
  if (bytes > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/**
 * `encodeFirehoseRecord` of each value, the records sharing one allocation: a batch costs one
 * buffer instead of one per record (each a pool slice the garbage collector must account for).
 * The JSON is written once into the shared scratch (room for 3 bytes a character), then copied
 * out: cheaper than measuring every string's UTF-8 length first. Values are Posts in the
 * pipeline, so they go through `stringifyPost` (JSON.stringify's bytes for any value).
 */
export function encodeFirehoseRecords(values: readonly unknown[]): Buffer[] {
  const n = values.length;
  const ends = new Array<number>(n);
  let buf = scratch;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const json = stringifyPost(values[i]);
    const need = at + json.length * 3 + 1;
    if (need > buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(2 * buf.length, need));
      buf.copy(bigger, 0, 0, at);
      buf = bigger;
    }
    at += buf.write(json, at, "utf8");
    buf[at++] = 10; // \n
    ends[i] = at;
  }
  if (buf.length <= SCRATCH_CAP) scratch = buf;
  const bytes = Buffer.allocUnsafeSlow(at);
  buf.copy(bytes, 0, 0, at);
  const out: Buffer[] = new Array(n);
  for (let i = 0, start = 0; i < n; start = ends[i++]!) out[i] = bytes.subarray(start, ends[i]);
  return out;
}

/**
 * `encodeFirehoseRecord` for JSON already serialised, straight to the base64 a Firehose
 * transformation returns: `firehoseDataOf(JSON.stringify(v)) === encodeFirehoseRecord(v).toString("base64")`.
 */
export function firehoseDataOf(json: string): string {
  const buf = scratchOf(json.length * 3 + 1);
  if (!buf) return Buffer.from(json + "\n", "utf8").toString("base64");
  const n = buf.write(json, 0, "utf8");
  buf[n] = 10; // \n
  return buf.toString("base64", 0, n + 1);
}

/**
 * Strict base64 (RFC 4648 alphabet, padding only at the end) to bytes, or null. Node's decoder
 * skips characters outside the alphabet, so a decoded length short of what the text's length
 * implies means some character was not base64; "-" and "_" (base64url) are refused explicitly.
 * The bytes may live in the shared scratch buffer: use them before the next call.
 */
function strictBase64(text: string): Buffer | null {
  let n = text.length;
  if (n % 4 !== 0) return null;
  let pad = 0;
  while (pad < 2 && n > 0 && text.charCodeAt(n - 1) === 61 /* = */) {
    n--;
    pad++;
  }
  if (text.includes("-") || text.includes("_")) return null;
  const expected = (text.length / 4) * 3 - pad;
  // Buffer.from(text, "base64") is this same write into a buffer of the estimated size
  const buf = scratchOf((text.length / 4) * 3);
  if (!buf) {
    const bytes = Buffer.from(text, "base64");
    return bytes.length === expected ? bytes : null;
  }
  return buf.write(text, 0, "base64") === expected ? buf.subarray(0, expected) : null;
}

/** Decodes the base64 `data` of a Firehose record into its JSON value. */
export function decodeFirehoseData(base64: string, where: string): unknown {
  const bytes = typeof base64 === "string" ? strictBase64(base64) : null;
  if (!bytes) throw new DecodeError("data is not base64", where);
  return decodeRecordBytes(bytes, where);
}

/** Decodes a record's bytes (UTF-8 JSON) into its JSON value. */
export function decodeRecordBytes(bytes: Uint8Array, where: string): unknown {
  if (!isUtf8(bytes)) throw new DecodeError("data is not valid UTF-8", where);
  return parseJsonSafe(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"), where);
}

/**
 * `decodeRecordBytes` for records packed back to back in `data` (record i ends at `ends[i]`), as
 * the local delivery stream hands them to the transformation. One UTF-8 check of the whole buffer
 * stands for every record's when no record starts inside a character (a continuation byte), and
 * each record is then decoded straight from the buffer, with no view per record.
 */
export function packedRecordDecoder(data: Buffer, ends: ArrayLike<number>): (i: number, where: string) => unknown {
  let whole = isUtf8(data);
  for (let i = 1; whole && i < ends.length; i++) {
    const b = data[ends[i - 1]!];
    if (b !== undefined && b >= 0x80 && b <= 0xbf) whole = false;
  }
  return (i, where) => {
    const start = i === 0 ? 0 : ends[i - 1]!;
    return whole ? parseJsonSafe(data.toString("utf8", start, ends[i]), where) : decodeRecordBytes(data.subarray(start, ends[i]), where);
  };
}

/** Length of the base64 text of `bytes` bytes. */
export const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4;
