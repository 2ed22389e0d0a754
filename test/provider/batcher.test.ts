import { describe, expect, it } from "vitest";
import { Batcher } from "../../provider/core/batcher";

describe("Batcher", () => {
  it("answers keys asked for together with one call", async () => {
    const calls: string[][] = [];
    const batcher = new Batcher(async (keys: string[]) => {
      calls.push(keys);
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    }, { maxBatch: 100, windowMs: 5 });
    expect(await Promise.all([batcher.load("a"), batcher.load("b"), batcher.load("a")])).toEqual(["A", "B", "A"]);
    expect(calls).toEqual([["a", "b"]]);
  });

  it("splits at maxBatch keys", async () => {
    const calls: number[][] = [];
    const batcher = new Batcher(async (keys: number[]) => {
      calls.push(keys);
      return new Map(keys.map((k) => [k, k * 2]));
    }, { maxBatch: 2, windowMs: 5 });
    expect(await Promise.all([1, 2, 3].map((k) => batcher.load(k)))).toEqual([2, 4, 6]);
    expect(calls).toEqual([[1, 2], [3]]);
  });

  it("resolves a key the call did not return as undefined", async () => {
    const batcher = new Batcher(async () => new Map<string, number>(), { maxBatch: 10, windowMs: 1 });
    expect(await batcher.load("missing")).toBeUndefined();
  });

  it("rejects every key of a failed call with its error", async () => {
    const batcher = new Batcher<string, number>(async () => {
      throw new Error("RequestLimitExceeded");
    }, { maxBatch: 10, windowMs: 1 });
    const results = await Promise.allSettled([batcher.load("a"), batcher.load("b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

describe("Batcher with whenReady", () => {
  it("gathers the keys that arrive while it waits for the API to be ready", async () => {
    const calls: string[][] = [];
    let open: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (open = resolve));
    const batcher = new Batcher(async (keys: string[]) => {
      calls.push(keys);
      return new Map(keys.map((k) => [k, k]));
    }, { maxBatch: 100, windowMs: 1, whenReady: () => ready });
    const first = batcher.load("a");
    await new Promise((resolve) => setTimeout(resolve, 10)); // the window has passed; the batch waits
    const later = batcher.load("b");
    open();
    expect(await Promise.all([first, later])).toEqual(["a", "b"]);
    expect(calls).toEqual([["a", "b"]]);
  });
});
