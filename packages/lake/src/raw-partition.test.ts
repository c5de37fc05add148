import { describe, expect, it } from "vitest";
import { rawPrefix, seededRandom } from "@defi-sentiment/shared";
import { RawPartitions, createdAtOf } from "./raw-partition.ts";

const general = (data: Buffer, arrivedAt: number) => rawPrefix(createdAtOf(data) ?? new Date(arrivedAt));

/** Timestamps as X writes them, a few hours apart, and the odd forms a record might carry instead. */
function timestampOf(rand: () => number): string {
  const base = Date.UTC(2026, 10, 13, 0, 0, 0) + Math.floor(rand() * 4) * 3_600_000 + Math.floor(rand() * 3_600_000);
  const iso = new Date(base).toISOString();
  const odd = [
    () => iso.replace(/T\d\d/, "T24"), // Date reads T24:00 as the next day; T24:30 it refuses
    () => `${iso.slice(0, 10)}T24:00:00.000Z`,
    () => `${iso.slice(0, 10)}T24:30:00.000Z`,
    () => iso.replace(/T\d\d/, "T25"),
    () => iso.replace(/:(\d)\d:/, ":6$1:"), // minute 60+
    () => iso.replace(/\.\d{3}Z$/, "Z"),
    () => iso.replace("Z", "+01:00"),
    () => iso.replace(/-\d\dT/, "-31T"),
    () => iso.replace(/^\d{4}-\d\d/, "2026-02").replace(/-\d\dT/, "-30T"),
    () => iso.slice(0, 10),
    () => "1970-01-01T05:00:00.000Z",
    () => iso.replace(/\d$/, "x"),
    () => iso.replace("T", "t"),
  ];
  return rand() < 0.75 ? iso : odd[Math.floor(rand() * odd.length)]!();
}

function recordOf(rand: () => number, at: string): Buffer {
  const forms = [
    () => JSON.stringify({ id: "1", text: "gm ✨", created_at: at, lang: "en" }),
    () => JSON.stringify({ created_at: at, id: "2" }),
    () => `{"id":"3","created_at" : "${at}"}`,
    () => `{"id":"4","created_at":"${at}`, // cut short
    () => JSON.stringify({ id: "5", text: "no date" }),
    () => JSON.stringify({ id: "6", created_at: 12 }),
  ];
  return Buffer.from((rand() < 0.8 ? forms[0]! : forms[Math.floor(rand() * forms.length)]!)() + "\n");
}

describe("raw partitions", () => {
  it("match the general path record for record, whatever came before (cached hours included)", () => {
    const rand = seededRandom(42);
    const partitions = new RawPartitions();
    let hits = 0;
    let last = "";
    for (let i = 0; i < 20_000; i++) {
      const data = recordOf(rand, timestampOf(rand));
      const arrivedAt = Date.UTC(2026, 10, 20, 7) + i;
      const prefix = partitions.of(data, 0, data.length, arrivedAt);
      expect(prefix, data.toString()).toBe(general(data, arrivedAt));
      if (prefix === last) hits++;
      last = prefix;
    }
    expect(hits).toBeGreaterThan(2_000); // the cached path really ran
  });

  it("read records in place, back to back in one buffer, as each on its own", () => {
    const rand = seededRandom(7);
    const records: Buffer[] = [];
    for (let i = 0; i < 5_000; i++) {
      const kind = rand();
      // runs of records without the key, and records cut short inside the key, whose next record completes it
      if (kind < 0.1) records.push(Buffer.from(`{"id":"${i}","text":"no date"}\n`));
      else if (kind < 0.15) records.push(Buffer.from(`{"id":"${i}","created_a`));
      else if (kind < 0.2) records.push(Buffer.from(`t":"2026-11-13T05:00:00.000Z"}\n`));
      else if (kind < 0.22) records.push(Buffer.alloc(0));
      else records.push(recordOf(rand, timestampOf(rand)));
    }
    for (let i = 0; i < 300; i++) records.push(Buffer.from(`{"id":"tail${i}"}\n`)); // no key to the end
    const bytes = Buffer.concat(records);
    const partitions = new RawPartitions();
    let start = 0;
    records.forEach((data, i) => {
      const arrivedAt = Date.UTC(2026, 10, 20, 7) + i * 60_000;
      expect(partitions.of(bytes, start, start + data.length, arrivedAt), `${i}: ${data.toString()}`).toBe(general(data, arrivedAt));
      start += data.length;
    });
  });

  it("fall back to the arrival hour when the record has no readable created_at", () => {
    const partitions = new RawPartitions();
    const arrivedAt = Date.UTC(2026, 10, 20, 7, 30);
    const at = (data: Buffer, arrivedAt: number) => partitions.of(data, 0, data.length, arrivedAt);
    expect(at(Buffer.from('{"id":"1"}'), arrivedAt)).toBe("raw/dt=2026-11-20/hour=07/");
    expect(at(Buffer.from('{"created_at":"2026-11-13T05:00:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-13/hour=05/");
    // a created_at more than 64 KiB into the record is not looked for, even in the cached hour
    expect(at(Buffer.from(`{"text":"${"x".repeat(70_000)}","created_at":"2026-11-13T05:00:00.000Z"}\n`), arrivedAt)).toBe("raw/dt=2026-11-20/hour=07/");
    expect(at(Buffer.from('{"created_at":"2026-11-13T05:61:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-20/hour=07/");
    // Date reads T24:00 as the next midnight but refuses T24:30: no hour is cached from the first
    expect(at(Buffer.from('{"created_at":"2026-11-13T24:00:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-14/hour=00/");
    expect(at(Buffer.from('{"created_at":"2026-11-13T24:30:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-20/hour=07/");
  });
});
