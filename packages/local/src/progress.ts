/** Progress while collecting: one refreshing line on a terminal, a line every few seconds otherwise. */
import type { LocalPipeline } from "./local-pipeline.ts";

export interface Progress {
  update(s: { read: number; delivered: number; spooled: number }): void;
  done(): void;
}

export function progressReporter(pipeline: Pick<LocalPipeline, "stream">, out: NodeJS.WriteStream, now = () => Date.now()): Progress {
  const tty = Boolean(out.isTTY);
  const every = tty ? 250 : 3000;
  const started = now();
  let last = 0;
  let shown = false;
  let latest = { read: 0, delivered: 0, spooled: 0 };
  const line = () => {
    const secs = Math.max(0.001, (now() - started) / 1000);
    const s = pipeline.stream.stats;
    return `read ${latest.read.toLocaleString("en-US")} · delivered ${latest.delivered.toLocaleString("en-US")} · spooled ${latest.spooled.toLocaleString("en-US")} · scored ${s.deliveredRows.toLocaleString("en-US")} · failed ${s.processingFailed} · ${Math.round(latest.read / secs).toLocaleString("en-US")} posts/s`;
  };
  return {
    update(s) {
      latest = s;
      const t = now();
      if (t - last < every) return;
      last = t;
      shown = true;
      out.write(tty ? `\r\x1b[2K${line()}` : `${line()}\n`);
    },
    done() {
      if (!shown) return;
      out.write(tty ? `\r\x1b[2K${line()}\n` : `${line()}\n`);
      shown = false;
    },
  };
}
