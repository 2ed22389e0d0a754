/**
 * Every bad-input case as a unit table over the provider's `check` — the code the engine runs during
 * `pulumi preview`, with arguments serialized as the engine passes them — and the cases that need the
 * group's size through `create` against the emulator. The real CLI runs a few of the same cases
 * (cli.test.ts) to show the engine prints these failures and sends nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { InstanceRefreshRejected } from "../../provider/core/errors";
import { createProvider } from "../../provider/host";
import { MUTATING_ACTIONS } from "../helpers/scenario";
import { BAD_INPUT_CASES, BAD_INPUT_GROUP, CLI_BAD_INPUT_CASES, UP_TIME_CASES, evalArgs } from "./badInputCases";

/** What the engine hands the provider's check: the arguments after a serialization round trip, plus the serialized provider. */
function engineNews(expression: string): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(evalArgs(expression))) as Record<string, unknown>), __provider: "exports.handler = …" };
}

/** A provider whose every API call is recorded and refused: check must make none. */
function offlineProvider() {
  const calls: string[] = [];
  const provider = createProvider({
    env: {},
    config: { credentials: { secretId: "AKIDTEST", secretKey: "test-key" }, region: "ap-guangzhou" },
    log: () => undefined,
    transport: () => async (action) => {
      calls.push(action);
      throw new Error(`unexpected API call ${action}`);
    },
  });
  return { provider, calls };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("bad inputs fail check (pulumi preview), naming the property, with no API call", () => {
  test("the table covers wrong types, out-of-range and fractional numbers, unknown enum values, bad ids, missing and unknown fields", () => {
    const names = BAD_INPUT_CASES.map(([name]) => name).join(" | ");
    for (const kind of ["as a string", "negative", "fractional", "huge", "zero", "unknown", "missing", "malformed", "not a boolean", "typo", "upper case"]) {
      expect(names, kind).toContain(kind);
    }
    expect(new Set(BAD_INPUT_CASES.map(([name]) => name)).size, "case names are distinct").toBe(BAD_INPUT_CASES.length);
    for (const c of CLI_BAD_INPUT_CASES) expect(BAD_INPUT_CASES, "the CLI cases come from the table").toContain(c);
  });

  test.each(BAD_INPUT_CASES)("%s", async (_name, args, property) => {
    const { provider, calls } = offlineProvider();
    const { failures } = await provider.check({}, engineNews(args));
    // The engine prints each failure as `property <path> value … has a problem: <reason>`: the reason names the property first.
    expect(failures?.map((f) => f.property)).toContain(property);
    expect(failures?.map((f) => f.reason)).toContainEqual(expect.stringMatching(new RegExp(`^${escape(property)}\\b \\S`)));
    expect(calls).toEqual([]);
  });
});

describe("bad inputs that need the group's size pass check and fail create before any mutating call", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ fixture: false, rateLimit: false });
  });
  afterAll(() => emu?.stop());

  test.each(UP_TIME_CASES)("%s", async (_name, args, property, reason) => {
    await emu.admin.reset({ empty: true });
    await emu.admin.seedGroup({ groupId: BAD_INPUT_GROUP, instanceCount: 4 });
    const provider = createProvider({
      env: {},
      config: { credentials: { secretId: emu.secretId, secretKey: emu.secretKey }, region: "ap-guangzhou", endpoint: emu.url, pollIntervalMs: 20 },
      log: () => undefined,
    });
    const checked = await provider.check({}, engineNews(args));
    expect(checked.failures).toEqual([]);
    const error = await provider.create(checked.inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InstanceRefreshRejected);
    expect((error as Error).message).toContain(property);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toMatch(/nothing was started/);
    const counters = await emu.admin.counters();
    expect(MUTATING_ACTIONS.map((a) => counters[a]?.total ?? 0)).toEqual(MUTATING_ACTIONS.map(() => 0));
  });
});
