/** An in-test sink: an array of decoded records (what Firehose would have received). */
import type { Post, RecordSink } from "@defi-sentiment/shared";

export function arraySink(): { sink: RecordSink; records: Post[] } {
  const records: Post[] = [];
  const sink: RecordSink = {
    async putRecordBatch(batch) {
      for (const r of batch) records.push(JSON.parse(Buffer.from(r).toString("utf8")) as Post);
      return { failed: [] };
    },
  };
  return { sink, records };
}
