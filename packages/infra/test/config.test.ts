import { describe, expect, it } from "vitest";
import { InfraConfigError, parseInfraConfig } from "../src/config.ts";
import { configSource, stackConfig } from "./pulumi-harness.ts";

const parse = (overrides: Record<string, string | undefined>) => parseInfraConfig(configSource({}, overrides));

describe("config loader", () => {
  it("fills every key with its documented default", () => {
    const cfg = parse({});
    expect(cfg.firehose).toEqual({ bufferingIntervalSeconds: 300, bufferingSizeMb: 64, retryDurationSeconds: 3600 });
    expect(cfg.collector.operatorCidr).toBeUndefined();
    expect(cfg.dashboard).toEqual({ enabled: false, principals: [] });
    expect(cfg.lake.noncurrentVersionExpirationDays).toBe(1);
  });

  it.each(["0.0.0.0/0", "::/0", "10.0.0.0/8", "203.0.113.7/31", "203.0.113.7", "300.1.1.1/32", "2001:db8::1/128"])(
    "refuses operatorCidr %s, naming the key",
    (cidr) => {
      expect(() => parse({ operatorCidr: cidr })).toThrow(InfraConfigError);
      expect(() => parse({ operatorCidr: cidr })).toThrow(/defi-sentiment:operatorCidr/);
    },
  );

  it("accepts a single operator address as a /32", () => {
    expect(parse({ operatorCidr: "203.0.113.7/32" }).collector.operatorCidr).toBe("203.0.113.7/32");
  });

  it("names the key and the allowed range when a number is out of range", () => {
    expect(() => parse({ firehoseBufferingSizeMb: "129" })).toThrow("config defi-sentiment:firehoseBufferingSizeMb: must be between 1 and 128, got 129");
    expect(() => parse({ firehoseBufferingIntervalSeconds: "soon" })).toThrow(/firehoseBufferingIntervalSeconds: expected an integer/);
    expect(() => parse({ scorerTimeoutSeconds: "301" })).toThrow(/scorerTimeoutSeconds/);
  });

  it("refuses a dashboard without QuickSight principals, or with a malformed one", () => {
    expect(() => parse({ quicksightEnabled: "true" })).toThrow(/quicksightPrincipals: must list at least one/);
    expect(() => parse({ quicksightEnabled: "true", quicksightPrincipals: '["bob"]' })).toThrow(/entry 0 is not a QuickSight user or group ARN/);
    expect(() => parse({ quicksightEnabled: "yes" })).toThrow(/quicksightEnabled: expected true or false/);
  });

  it("reads both committed stacks, and their differences are data", () => {
    const dev = parseInfraConfig(configSource(stackConfig("dev")));
    const prod = parseInfraConfig(
      configSource(stackConfig("prod"), { quicksightPrincipals: '["arn:aws:quicksight:eu-west-1:123456789012:group/default/analysts"]' }),
    );
    expect(dev.firehose.bufferingIntervalSeconds).toBe(60);
    expect(prod.firehose.bufferingIntervalSeconds).toBe(300);
    expect(dev.firehose.bufferingSizeMb).not.toBe(prod.firehose.bufferingSizeMb);
    expect(dev.dashboard.enabled).toBe(false);
    expect(prod.dashboard.enabled).toBe(true);
    expect(dev.scorer.reservedConcurrency).toBeLessThan(prod.scorer.reservedConcurrency);
    expect(dev.collector.instanceType).not.toBe(prod.collector.instanceType);
    expect(dev.lake.rawRetentionDays).toBeLessThan(prod.lake.rawRetentionDays);
  });

  it("makes prod name its QuickSight principals before it deploys", () => {
    expect(() => parseInfraConfig(configSource(stackConfig("prod")))).toThrow(/quicksightPrincipals/);
  });
});
