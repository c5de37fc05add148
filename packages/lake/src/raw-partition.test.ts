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
      const prefix = partitions.of(data, arrivedAt);
      expect(prefix, data.toString()).toBe(general(data, arrivedAt));
      if (prefix === last) hits++;
      last = prefix;
    }
    expect(hits).toBeGreaterThan(2_000); // the cached path really ran
  });

  it("fall back to the arrival hour when the record has no readable created_at", () => {
    const partitions = new RawPartitions();
    const arrivedAt = Date.UTC(2026, 10, 20, 7, 30);
    expect(partitions.of(Buffer.from('{"id":"1"}'), arrivedAt)).toBe("raw/dt=2026-11-20/hour=07/");
    expect(partitions.of(Buffer.from('{"created_at":"2026-11-13T05:00:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-13/hour=05/");
    expect(partitions.of(Buffer.from('{"created_at":"2026-11-13T05:61:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-20/hour=07/");
    // Date reads T24:00 as the next midnight but refuses T24:30: no hour is cached from the first
    expect(partitions.of(Buffer.from('{"created_at":"2026-11-13T24:00:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-14/hour=00/");
    expect(partitions.of(Buffer.from('{"created_at":"2026-11-13T24:30:00.000Z"}\n'), arrivedAt)).toBe("raw/dt=2026-11-20/hour=07/");
  });
});
