import { describe, expect, it } from "vitest";
import { LOCATION_FIXTURE } from "../../test/location-fixture.ts";
import { normaliseLocation } from "./normalise-location.ts";

describe("normaliseLocation", () => {
  it("answers unknown (null) for non-places and blanks, never a guess", () => {
    for (const raw of ["Metaverse", "Earth", "Web3", "Crypto Ocean", "on-chain", "🚀🌕", "", "   ", "Everywhere", "In my wallet"]) {
      expect(normaliseLocation(raw), raw).toBeNull();
    }
    expect(normaliseLocation(null)).toBeNull();
  });

  it("answers unknown for ambiguous strings", () => {
    expect(normaliseLocation("Georgia")).toBeNull();
    expect(normaliseLocation("London / Dubai")).toBeNull();
    expect(normaliseLocation("🇺🇸🇬🇧")).toBeNull();
  });

  it("resolves the ambiguous name once a neighbouring part decides", () => {
    expect(normaliseLocation("Atlanta, Georgia")).toBe("US");
    expect(normaliseLocation("Tbilisi, Georgia")).toBe("GE");
  });

  it("resolves cities, US states and abbreviations", () => {
    expect(normaliseLocation("Austin, TX")).toBe("US");
    expect(normaliseLocation("NYC")).toBe("US");
    expect(normaliseLocation("SF")).toBe("US");
    expect(normaliseLocation("UK")).toBe("GB");
    expect(normaliseLocation("UAE")).toBe("AE");
    expect(normaliseLocation("Lagos, Nigeria")).toBe("NG");
  });

  it("resolves country names in other languages and flag emoji", () => {
    expect(normaliseLocation("Deutschland")).toBe("DE");
    expect(normaliseLocation("日本")).toBe("JP");
    expect(normaliseLocation("🇳🇬")).toBe("NG");
    expect(normaliseLocation("Toronto 🇨🇦")).toBe("CA");
  });

  it("trusts the country part over a same-named city elsewhere", () => {
    expect(normaliseLocation("Paris, Texas")).toBe("US");
  });

  it("matches every entry of the hand-written fixture", () => {
    const misses = LOCATION_FIXTURE.filter(([raw, want]) => normaliseLocation(raw) !== want);
    expect(misses).toEqual([]);
  });

  it("returns the same answer from its cache", () => {
    expect(normaliseLocation("Berlin 🇩🇪")).toBe("DE");
    expect(normaliseLocation("Berlin 🇩🇪")).toBe("DE");
  });
});
