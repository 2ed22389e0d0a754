import { describe, expect, it } from "vitest";
import {
  alicloudSurge,
  alicloudUnavailable,
  amountInInstances,
  amountInPercent,
  exceeds,
  formatLimit,
  formatPercent,
  limitInInstances,
  limitInPercent,
  parseLimit,
  tencentSurge,
  tencentUnavailable,
} from "../../policies/normalForm";
import { batchSizes } from "../../provider/tencentcloud/settings";

describe("parseLimit", () => {
  it("reads an integer as instances and a percent string as percent", () => {
    expect(parseLimit(2)).toEqual({ unit: "instances", value: 2 });
    expect(parseLimit(0)).toEqual({ unit: "instances", value: 0 });
    expect(parseLimit("25%")).toEqual({ unit: "percent", value: 25 });
    expect(parseLimit("12.5%")).toEqual({ unit: "percent", value: 12.5 });
  });

  it("ignores unset and malformed values", () => {
    for (const value of [undefined, -1, 1.5, "25", "%", "-5%", "25 %", true]) expect(parseLimit(value), String(value)).toBeUndefined();
  });

  it("formats a limit for messages", () => {
    expect(formatLimit({ unit: "percent", value: 25 })).toBe('"25%"');
    expect(formatLimit({ unit: "instances", value: 1 })).toBe("1 instance");
    expect(formatLimit({ unit: "instances", value: 3 })).toBe("3 instances");
  });
});

describe("the conversion", () => {
  it("Tencent: unavailable per batch is ceil(N / BatchNumber), the provider's largest batch", () => {
    for (const [n, b] of [[7, 3], [6, 3], [5, 2], [1, 1], [10, 4]]) {
      expect(amountInInstances(tencentUnavailable(b, n)!), `${n}/${b}`).toBe(batchSizes(n, b)[0]);
    }
    expect(amountInPercent(tencentUnavailable(3, 6)!)).toBeCloseTo(100 / 3);
  });

  it("Tencent: unavailable needs the group's size", () => {
    expect(tencentUnavailable(3, undefined)).toBeUndefined();
  });

  it("Tencent: surge is MaxSurge instances, a percent only with the group's size", () => {
    expect(amountInInstances(tencentSurge(2, undefined))).toBe(2);
    expect(amountInPercent(tencentSurge(2, undefined))).toBeUndefined();
    expect(amountInPercent(tencentSurge(2, 8))).toBe(25);
  });

  it("Alibaba: unavailable is 100 − Min and surge Max − 100 percent; instances are rounded up with the capacity", () => {
    expect(amountInPercent(alicloudUnavailable(80))).toBe(20);
    expect(amountInPercent(alicloudSurge(120))).toBe(20);
    expect(amountInInstances(alicloudUnavailable(80))).toBeUndefined();
    expect(amountInInstances(alicloudUnavailable(80, 10))).toBe(2);
    expect(amountInInstances(alicloudUnavailable(75, 10))).toBe(3); // 2.5 → 3
    expect(amountInInstances(alicloudSurge(100, 10))).toBe(0);
  });
});

describe("exceeds", () => {
  it("compares percent with percent, exactly", () => {
    expect(exceeds(alicloudUnavailable(75), { unit: "percent", value: 25 })).toBe(false);
    expect(exceeds(alicloudUnavailable(74), { unit: "percent", value: 25 })).toBe(true);
    expect(exceeds(tencentUnavailable(3, 6)!, { unit: "percent", value: 33.4 })).toBe(false); // 2 of 6 = 33.33…%
    expect(exceeds(tencentUnavailable(3, 6)!, { unit: "percent", value: 33 })).toBe(true);
  });

  it("compares instances with instances", () => {
    expect(exceeds(tencentSurge(2, undefined), { unit: "instances", value: 2 })).toBe(false);
    expect(exceeds(tencentSurge(3, undefined), { unit: "instances", value: 2 })).toBe(true);
    expect(exceeds(alicloudSurge(130, 10), { unit: "instances", value: 2 })).toBe(true);
  });

  it("cannot compare without the group size the conversion needs", () => {
    expect(exceeds(alicloudSurge(130), { unit: "instances", value: 2 })).toBeUndefined();
    expect(exceeds(tencentSurge(3, undefined), { unit: "percent", value: 10 })).toBeUndefined();
    expect(exceeds(tencentSurge(3, 0), { unit: "percent", value: 10 })).toBeUndefined();
  });

  it("turns a limit into the other unit for suggestions", () => {
    expect(limitInInstances({ unit: "percent", value: 25 }, 10)).toBe(2);
    expect(limitInInstances({ unit: "percent", value: 25 }, undefined)).toBeUndefined();
    expect(limitInPercent({ unit: "instances", value: 2 }, 10)).toBe(20);
    expect(limitInPercent({ unit: "instances", value: 2 }, 0)).toBeUndefined();
  });

  it("formats percentages with at most one decimal", () => {
    expect(formatPercent(25)).toBe("25");
    expect(formatPercent(100 / 3)).toBe("33.3");
  });
});
