/** The ESS emulator's small pure pieces: wave sizes, checkpoint targets, flattened parameters, paging tokens, signatures. */
import { describe, expect, it } from "vitest";
import { checkpointTarget, waveSize } from "../../../emulator/alibabacloud/inferred";
import { isIdOf, newId } from "../../../emulator/alibabacloud/ids";
import { cursorPage, decodeNextToken, encodeNextToken } from "../../../emulator/alibabacloud/paging";
import { Params } from "../../../emulator/alibabacloud/params";
import { decodePairs } from "../../../emulator/alibabacloud/protocol";
import { EMPTY_PAYLOAD_SHA256, NonceCache, canonicalQueryV3, pct, sha256Hex } from "../../../emulator/alibabacloud/signature";
import { AcsError } from "../../../emulator/alibabacloud/errors";

const params = (o: Record<string, string>) => new Params(new Map(Object.entries(o)));
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as AcsError).code;
  }
  return "no error";
};

describe("waves and checkpoints", () => {
  it("sizes waves from Min/MaxHealthyPercentage (Min = Max = 100 → 1)", () => {
    expect(waveSize(10, 80, 120)).toBe(4);
    expect(waveSize(10, 100, 100)).toBe(1);
    expect(waveSize(10, 0, 200)).toBe(20);
    expect(waveSize(3, 80, 120)).toBe(1);
  });

  it("rounds checkpoint targets up", () => {
    expect(checkpointTarget(10, 25)).toBe(3);
    expect(checkpointTarget(10, 30)).toBe(3);
    expect(checkpointTarget(3, 1)).toBe(1);
    expect(checkpointTarget(7, 100)).toBe(7);
  });
});

describe("ids", () => {
  it("issues ids in Alibaba's formats", () => {
    expect(newId("scalingGroup")).toMatch(/^asg-[a-z0-9]{20}$/);
    expect(newId("instanceRefreshTask")).toMatch(/^ir-[a-z0-9]{12}$/);
    expect(isIdOf("instance", "i-bp109k5j3dum1ce6abcd")).toBe(true);
    expect(isIdOf("instance", "i-BP109")).toBe(false);
  });
});

describe("flattened parameters", () => {
  it("reads lists 1..N and refuses gaps, zero indexes and a bare list name", () => {
    expect(params({ "A.1": "x", "A.2": "y" }).stringList("A")).toEqual(["x", "y"]);
    expect(params({ "C.1.P": "1", "C.2.P": "2" }).listLength("C")).toBe(2);
    expect(codeOf(() => params({ "A.1": "x", "A.3": "y" }).listLength("A"))).toBe("InvalidParameter");
    expect(codeOf(() => params({ "A.0": "x" }).listLength("A"))).toBe("InvalidParameter");
    expect(codeOf(() => params({ A: "x" }).listLength("A"))).toBe("InvalidParameter");
    expect(codeOf(() => params({ "A.1": "x", "A.2": "y" }).listLength("A", 1))).toBe("InvalidParameter");
  });

  it("reads integers and booleans strictly", () => {
    expect(params({ N: "42" }).integer("N", { min: 0, max: 100 })).toBe(42);
    expect(codeOf(() => params({ N: "4.2" }).integer("N", { min: 0, max: 100 }))).toBe("InvalidParameter");
    expect(codeOf(() => params({}).integer("N", { min: 0, max: 100, required: true }))).toBe("MissingParameter");
    expect(params({ B: "false" }).boolean("B")).toBe(false);
    expect(codeOf(() => params({ B: "False" }).boolean("B"))).toBe("InvalidParameter");
  });

  it("decodes query strings (+ is a space)", () => {
    expect(decodePairs("a=1&b=x%20y+z&c&&d=%28%29")).toEqual([
      ["a", "1"],
      ["b", "x y z"],
      ["c", ""],
      ["d", "()"],
    ]);
  });
});

describe("paging tokens", () => {
  const items = [5, 4, 3, 2, 1].map((seq) => ({ seq }));
  it("continue after the last item of a page, for the same query only", () => {
    const first = cursorPage(items, 2, "q", null);
    expect(first.items.map((i) => i.seq)).toEqual([5, 4]);
    expect(decodeNextToken(first.nextToken, "q")).toBe(4);
    expect(cursorPage(items, 2, "q", 4).items.map((i) => i.seq)).toEqual([3, 2]);
    expect(cursorPage(items, 2, "q", 2)).toEqual({ items: [{ seq: 1 }], nextToken: "" });
    expect(codeOf(() => decodeNextToken(encodeNextToken(4, "q"), "other"))).toBe("InvalidParameter");
  });
});

describe("signature pieces", () => {
  it("percent-encodes like the SDK (!'()* too)", () => {
    expect(pct("a b!'()*~")).toBe("a%20b%21%27%28%29%2A~");
    expect(canonicalQueryV3([["b", "2"], ["a", "x y"]])).toBe("a=x%20y&b=2");
    expect(sha256Hex("")).toBe(EMPTY_PAYLOAD_SHA256);
  });

  it("remembers nonces for the retention, per AccessKey", () => {
    const cache = new NonceCache(1000);
    expect(cache.use("ak", "n1", 0)).toBe(true);
    expect(cache.use("ak", "n1", 999)).toBe(false);
    expect(cache.use("other", "n1", 999)).toBe(true);
    expect(cache.use("ak", "n1", 1000)).toBe(true);
  });
});
