/**
 * The shared synthetic generator as a source: seeded X stream lines, normalised exactly as live
 * ones are. SYNTHETIC data, for local runs and tests.
 */
import { generateStreamLines, postFromStreamLine, type GeneratorOptions, type Post } from "@defi-sentiment/shared";

export interface GeneratorSourceOptions extends GeneratorOptions {
  count: number;
  batchSize?: number;
  clock?: () => number;
  signal?: AbortSignal;
}

export async function* generatorSource(o: GeneratorSourceOptions): AsyncGenerator<Post[]> {
  const clock = o.clock ?? Date.now;
  const size = o.batchSize ?? 500;
  let batch: Post[] = [];
  for (const line of generateStreamLines(o.count, o)) {
    if (o.signal?.aborted) break;
    batch.push(postFromStreamLine(line, "generator", new Date(clock())));
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length && !o.signal?.aborted) yield batch;
}
