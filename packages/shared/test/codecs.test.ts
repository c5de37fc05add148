import { describe, expect, it } from "vitest";
import { isUtf8 } from "node:buffer";
import { DecodeError, decodeFirehoseData, decodeNdjson, decodeRecordBytes, packedRecordDecoder, encodeFirehoseRecord, encodeFirehoseRecords, encodeNdjson, firehoseDataOf, packedBuffer, parseJsonSafe, quoteBigIntegers, seededRandom } from "../src/index.ts";

describe("JSON that keeps big integers", () => {
  it("quotes long integers outside strings only", () => {
    const text = '{"t":"price: 12345678901234567890, ok","rules":[{"id":1387791318163456000123}],"n":12,"f":1.2345678901234567e5}';
    expect(parseJsonSafe(text)).toEqual({ t: "price: 12345678901234567890, ok", rules: [{ id: "1387791318163456000123" }], n: 12, f: 123456.78901234567 });
  });

  it("leaves the fraction and exponent digits of a number alone, even beside a long integer", () => {
    const text = '{"id":12345678901234567890,"score":0.30000000000000004,"tiny":-1.2345678901234567e-17,"big":1.0000000000000000000e+22,"n":-1234567890123456}';
    expect(parseJsonSafe(text)).toEqual({ id: "12345678901234567890", score: 0.30000000000000004, tiny: -1.2345678901234567e-17, big: 1e22, n: "-1234567890123456" });
    expect(parseJsonSafe('[1234567890123456789,-123456789012345]')).toEqual(["1234567890123456789", -123456789012345]);
  });

  it("handles escaped quotes inside strings", () => {
    expect(quoteBigIntegers('{"a":"x\\"y: 12345678901234567","b":12345678901234567}')).toBe('{"a":"x\\"y: 12345678901234567","b":"12345678901234567"}');
  });

  it("gives exactly what quoting then parsing gives, on any text (parsing first is only a shortcut)", () => {
    const r = seededRandom(11);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const numbers = ["1", "-7", "0.5", "999999999999999", "1000000000000000", "-1000000000000000", "9007199254740993", "12345678901234567890", "1e15", "1.5e400", "-0", "123456789012345.5", "0.30000000000000004"];
    const value = (depth: number): string => {
      const k = r();
      if (depth > 3 || k < 0.4) return pick([...numbers, '"s"', '"12345678901234567"', "true", "null"]);
      if (k < 0.7) return `[${Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1)).join(",")}]`;
      // duplicate keys too: the last one wins either way
      return `{${Array.from({ length: Math.floor(r() * 4) }, () => `"${pick(["a", "b", "__proto__"])}":${value(depth + 1)}`).join(",")}}`;
    };
    for (let i = 0; i < 3000; i++) {
      const text = value(0);
      expect(parseJsonSafe(text), text).toEqual(JSON.parse(quoteBigIntegers(text)));
    }
    const deep = "[".repeat(50_000) + "12345678901234567890" + "]".repeat(50_000);
    let inner: unknown = parseJsonSafe(deep);
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe("12345678901234567890");
  });

  it("names where invalid JSON was found", () => {
    expect(() => parseJsonSafe("{nope", "file.jsonl:7")).toThrow(/^file\.jsonl:7: invalid JSON/);
  });
});

describe("NDJSON", () => {
  it("round-trips and skips blank lines", () => {
    const values = [{ a: 1 }, { b: "two" }];
    const text = encodeNdjson(values) + "\n\n";
    expect([...decodeNdjson(text)].map((l) => l.ok && l.value)).toEqual(values);
  });
});

describe("Firehose records", () => {
  it("are newline-terminated JSON and decode from base64", () => {
    const rec = encodeFirehoseRecord({ id: "1" });
    expect(rec.toString()).toBe('{"id":"1"}\n');
    expect(decodeFirehoseData(rec.toString("base64"), "rec 0")).toEqual({ id: "1" });
  });

  it("reject data that is not base64, not UTF-8 or not JSON, naming the record", () => {
    expect(() => decodeFirehoseData("%%%", "rec 1")).toThrow(DecodeError);
    expect(() => decodeFirehoseData(Buffer.from([0xff, 0xfe, 0x7b]).toString("base64"), "rec 2")).toThrow(/rec 2: data is not valid UTF-8/);
    expect(() => decodeFirehoseData(Buffer.from("{x").toString("base64"), "rec 3")).toThrow(/rec 3: invalid JSON/);
  });

  it("take only strict base64: no stray characters, base64url, whitespace or inner padding", () => {
    const good = Buffer.from('{"id":"1"}').toString("base64"); // eyJpZCI6IjEifQ==
    expect(decodeFirehoseData(good, "ok")).toEqual({ id: "1" });
    const bad = [good.slice(0, -1), ` ${good.slice(1)}`, `${good.slice(0, 8)}\n${good.slice(9)}`, good.replace("J", "-"), good.replace("J", "_"), `eyJp=${good.slice(5)}`, "e===", "===="];
    for (const data of bad) expect(() => decodeFirehoseData(data, "rec 4"), JSON.stringify(data)).toThrow(/rec 4: data is not base64/);
  });

  it("encode JSON text to the same base64 as encodeFirehoseRecord, from tiny to past the reused buffer", () => {
    const values = [{}, { t: "é 😀 \u0000 \ud800" }, { t: "x".repeat(70_000) }, { t: "ü".repeat(1_500_000) }, { id: "1" }];
    for (const v of values) expect(firehoseDataOf(JSON.stringify(v))).toBe(encodeFirehoseRecord(v).toString("base64"));
  });

  it("encode a batch into records byte for byte as one at a time, each its own newline-terminated line", () => {
    const values = [{}, { t: "é 😀 \u0000 \ud800" }, { id: "1" }, { t: "x".repeat(70_000) }, null, [1, "ü"], { t: "\n" }, { t: "ü".repeat(1_500_000) }, { id: "2" }];
    const expected = values.map((v) => encodeFirehoseRecord(v).toString("base64"));
    const batch = encodeFirehoseRecords(values);
    expect(batch.map((b) => b.toString("base64"))).toEqual(expected);
    expect(encodeFirehoseRecords([])).toEqual([]);
    // the records own their bytes: later encodings through the shared scratch leave them as they were
    const small = encodeFirehoseRecords([{ id: "3" }, { t: "é" }]);
    encodeFirehoseRecords([{ id: "4" }, { t: "y" }]);
    firehoseDataOf(JSON.stringify({ t: "z".repeat(100) }));
    expect(batch.map((b) => b.toString("base64"))).toEqual(expected);
    expect(small.map((b) => b.toString())).toEqual(['{"id":"3"}\n', '{"t":"é"}\n']);
  });

  it("give packed data memory of its own: the memory handed in when it holds the bytes, else new and rounded up", () => {
    const roomy = new ArrayBuffer(1000);
    const into = packedBuffer(600, roomy);
    expect(into.buffer).toBe(roomy);
    expect(into.length).toBe(600);
    const own = packedBuffer(300_000, roomy);
    expect(own.buffer).not.toBe(roomy);
    expect([own.length, own.byteOffset, own.buffer.byteLength]).toEqual([300_000, 0, 512 * 1024]);
    expect(packedBuffer(0).buffer.byteLength).toBe(256 * 1024);
  });

  it("decode each record on its own: a later record never changes an earlier value", () => {
    const big = { t: "y".repeat(200_000) };
    const first = decodeFirehoseData(encodeFirehoseRecord({ id: "1", t: "first" }).toString("base64"), "a");
    const second = decodeFirehoseData(encodeFirehoseRecord(big).toString("base64"), "b");
    expect(() => decodeFirehoseData(Buffer.from("{x").toString("base64"), "c")).toThrow(/c: invalid JSON/);
    expect(first).toEqual({ id: "1", t: "first" });
    expect(second).toEqual(big);
  });
});

describe("packedRecordDecoder", () => {
  const pack = (records: Buffer[]) => {
    const ends = new Uint32Array(records.length);
    let at = 0;
    records.forEach((r, i) => (ends[i] = at += r.length));
    return { data: Buffer.concat(records), ends };
  };
  const outcome = (f: () => unknown) => {
    try {
      return f();
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  };
  const same = (records: Buffer[]) => {
    const { data, ends } = pack(records);
    const decode = packedRecordDecoder(data, ends);
    records.forEach((r, i) => expect(outcome(() => decode(i, `records[${i}]`)), String(i)).toEqual(outcome(() => decodeRecordBytes(r, `records[${i}]`))));
  };

  it("decodes each record as decodeRecordBytes does, valid UTF-8 or not", () => {
    same([Buffer.from('{"t":"é 😀"}\n'), Buffer.from('{"id":12345678901234567890}\n'), Buffer.from("not json\n"), Buffer.from("\n"), Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from('{"t":"x"}')]);
  });

  it("refuses both halves of a character split across two records, though the whole buffer is valid UTF-8", () => {
    const euro = Buffer.from('"€"');
    const records = [euro.subarray(0, 2), euro.subarray(2)];
    expect(isUtf8(Buffer.concat(records))).toBe(true);
    same(records);
    const { data, ends } = pack(records);
    expect(() => packedRecordDecoder(data, ends)(1, "records[1]")).toThrow(/records\[1\]: data is not valid UTF-8/);
  });
});
