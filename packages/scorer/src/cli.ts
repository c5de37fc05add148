/**
 * `defi-sentiment-score`: JSONL in on stdin, JSONL out on stdout.
 *   {id, text} or a full Post → {id, label, score, scorer_version, cashtags, hashtags, mentions, protocols, domains}
 *   {id, location}            → {id, country}
 * A bad line → one error line on stderr naming its line number; processing continues, and the
 * exit code is 1 if any line failed.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { PostSchema, parseJsonSafe, type Post } from "@defi-sentiment/shared";
import { extractEntities } from "./core/extract-entities.ts";
import { normaliseLocation } from "./core/normalise-location.ts";
import { scoreText } from "./core/score-text.ts";
import { SCORER_VERSION } from "./version.ts";

/** Raised for an input line the CLI cannot answer; names the line. */
export class CliLineError extends Error {
  override name = "CliLineError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const EMPTY_ENTITIES = { hashtags: [], cashtags: [], mentions: [], urls: [] };

function postFromText(id: unknown, text: string): Post {
  return { ...EMPTY_ENTITIES, id: String(id), text } as unknown as Post;
}

/** Answers one parsed input value. */
export function answerLine(value: unknown, line: number): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CliLineError("expected a JSON object", line);
  const v = value as Record<string, unknown>;
  const id = v.id ?? null;
  if (typeof v.text === "string") {
    const full = PostSchema.safeParse(v);
    const post = full.success ? full.data : postFromText(id, v.text);
    const s = scoreText(post.text);
    return { id, label: s.label, score: Number(s.score.toFixed(4)), scorer_version: SCORER_VERSION, ...extractEntities(post) };
  }
  if ("location" in v) {
    if (v.location !== null && typeof v.location !== "string") throw new CliLineError("location must be a string or null", line);
    return { id, country: normaliseLocation(v.location as string | null) };
  }
  throw new CliLineError('expected "text" (string) or "location"', line);
}

export async function runCli(input: Readable, output: Writable, errors: Writable): Promise<{ lines: number; failed: number }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let failed = 0;
  for await (const raw of rl) {
    lines++;
    if (!raw.trim()) continue;
    try {
      const answer = answerLine(parseJsonSafe(raw, `line ${lines}`), lines);
      if (!output.write(JSON.stringify(answer) + "\n")) await new Promise((r) => output.once("drain", r));
    } catch (err) {
      failed++;
      const message = err instanceof Error ? err.message.replace(/ in ".*$/s, "") : String(err);
      errors.write(JSON.stringify({ error: message.startsWith("line ") ? message : `line ${lines}: ${message}`, line: lines }) + "\n");
    }
  }
  return { lines, failed };
}

/** Entry for `npx tsx src/cli.ts` and bin/score.mjs; exit code 1 when any line failed. */
export async function main(): Promise<void> {
  const { failed } = await runCli(process.stdin, process.stdout, process.stderr);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1]?.endsWith("cli.ts")) await main();
