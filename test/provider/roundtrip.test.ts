/**
 * The provider as the engine sees it: serialized into `__provider` by the same closure serializer
 * the SDK uses for dynamic providers, loaded with require-from-string as the dynamic-provider host
 * does (`requireFromString(text).handler()`), then called — which loads the implementation from
 * node_modules/pulumi-instance-refresh. Run `scripts/with-tools --no-pulumi bash scripts/build.sh` first.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { shimProvider, INSTANCE_REFRESH_TYPE } from "../../provider/tencentcloud/instanceRefresh";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { GROUP, REGION } from "./helpers";

const requireFromString: (code: string) => { handler(): pulumi.dynamic.ResourceProvider } = require("require-from-string");

/** Upper bound of the serialized provider, bytes. */
const MAX_PROVIDER_BYTES = 16 * 1024;
const installed = path.join(__dirname, "../../node_modules/pulumi-instance-refresh/dist/provider/host.js");

let emu: RunningEmulator;
let text: string;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ port: 0, secondsPerBatch: 0.1, rateLimit: false });
  // Credentials exist in this process while serializing: none of them may end up in the text.
  process.env.TENCENTCLOUD_SECRET_ID = emu.secretId;
  process.env.TENCENTCLOUD_SECRET_KEY = emu.secretKey;
  process.env.TENCENTCLOUD_REGION = REGION;
  process.env.INSTANCE_REFRESH_ENDPOINT = emu.url;
  process.env.INSTANCE_REFRESH_POLL_INTERVAL_MS = "40";
  const serialized = await pulumi.runtime.serializeFunction(() => shimProvider, { allowSecrets: true });
  text = serialized.text;
});

afterAll(async () => {
  process.env = saved;
  await emu.stop();
});

test("the type token is pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh", () => {
  expect(INSTANCE_REFRESH_TYPE).toBe("pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh");
});

test("the serialized provider is small and holds no secret nor implementation code", () => {
  expect(Buffer.byteLength(text)).toBeLessThan(MAX_PROVIDER_BYTES);
  expect(text).not.toContain(emu.secretKey);
  expect(text).not.toContain(emu.secretId);
  expect(text).toContain('require("pulumi-instance-refresh/dist/provider/host")');
  expect(text).not.toContain("StartInstanceRefresh");
  console.log(`__provider: ${Buffer.byteLength(text)} bytes`);
});

test("serialize → load → call runs the installed implementation against the API", async () => {
  expect(fs.existsSync(installed), `${installed} is missing: run scripts/build.sh (npm test does)`).toBe(true);
  const loaded = requireFromString(text).handler();
  await loaded.configure!({ config: { get: () => undefined, require: () => "" } });
  const checked = await loaded.check!({}, { autoScalingGroupId: GROUP, refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } });
  expect(checked.failures).toEqual([]);
  const created = await loaded.create(checked.inputs);
  expect(created.outs.status).toBe("SUCCESSFUL");
  const read = await loaded.read!(created.id, created.outs);
  expect(read.id).toBe(created.id);
  await loaded.delete!(created.id, created.outs);
});
