import { describe, expect, it } from "vitest";
import { engineAddress } from "../../provider/core/orphanGuard";

describe("engineAddress", () => {
  it("finds the engine address the dynamic-provider host was started with", () => {
    expect(engineAddress(["node", "/x/dynamic-provider/index.js", "127.0.0.1:41234"])).toEqual({ host: "127.0.0.1", port: 41234 });
  });

  it("understands a bracketed IPv6 address", () => {
    expect(engineAddress(["node", "host.js", "[::1]:5000"])).toEqual({ host: "::1", port: 5000 });
  });

  it("finds none in a process not started by the engine (no check is installed then)", () => {
    expect(engineAddress(["node", "vitest", "run", "test/provider"])).toBeUndefined();
  });
});
