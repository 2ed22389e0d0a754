/**
 * The emulator under 10,000 random requests over raw HTTP (keep-alive, concurrent): valid signed
 * calls of every action, invalid parameters, malformed JSON and bodies, wrong and missing
 * signatures, unknown credentials, stale timestamps, odd methods and headers. It must never crash
 * and must answer every request with a well-formed `{"Response": …}` envelope.
 */
import * as http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signAuthorization, startEmulator, type RunningEmulator } from "../../emulator";
import { sdkClient } from "../helpers/emulator";
import { seededRandom } from "../helpers/random";

/** Requests sent. */
const REQUESTS = 10_000;
/** In flight at once. */
const CONCURRENCY = 64;
/** Seed of the generator, so a failure reproduces. */
const SEED = 0x5eed_f417;

let emu: RunningEmulator;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  // A real clock and a fast pace, so activities move while the requests arrive. The rate limit is
  // off (at this pace it would answer most requests before they reach the model).
  emu = await startEmulator({ secondsPerBatch: 0.05, rateLimit: false });
  for (let i = 0; i < 20; i++) await emu.admin.seedGroup({ groupId: `asg-fuzz${String(i).padStart(4, "0")}`, instanceCount: 1 + (i % 6) });
});
afterAll(async () => {
  agent.destroy();
  await emu?.stop();
});

const ACTIONS = [
  "StartInstanceRefresh",
  "StopInstanceRefresh",
  "ResumeInstanceRefresh",
  "CancelInstanceRefresh",
  "RollbackInstanceRefresh",
  "DescribeRefreshActivities",
  "DescribeAutoScalingGroups",
  "DescribeAutoScalingInstances",
];
const ODD_ACTIONS = ["Bogus", "", "constructor", "__proto__", "toString", "hasOwnProperty", "describeRefreshActivities", "Start InstanceRefresh", "DescribeRefreshActivities ", "X".repeat(200)];
const GROUPS = Array.from({ length: 20 }, (_, i) => `asg-fuzz${String(i).padStart(4, "0")}`);
const STRINGS = ["asg-fuzz0001", "asg-00000000", "asr-00000000", "ins-00000000", "", " ", "RETRY", "CONTINUE", "AUTO_ROLLBACK", "FIRST_BATCH_PAUSE",
  "auto-scaling-group-id", "refresh-activity-status-code", "RUNNING", "NORMAL", "x".repeat(300), "\u0000", "\ud800", "null", "{}"];
const KEYS = ["AutoScalingGroupId", "RefreshActivityId", "RefreshSettings", "RollingUpdateSettings", "BatchNumber", "MaxSurge", "BatchPause",
  "FailProcess", "ResumeMode", "RefreshMode", "OriginRefreshActivityId", "Filters", "Name", "Values", "Limit", "Offset", "RefreshActivityIds",
  "AutoScalingGroupIds", "InstanceIds", "CheckInstanceTargetHealth", "__proto__", "constructor", "x"];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomValue(r: () => number, depth: number): unknown {
  switch (Math.floor(r() * 12)) {
    case 0: return null;
    case 1: return Math.floor(r() * 12) - 3;
    case 2: return pick(r, [1e300, -0, 0.5, 2 ** 53 + 1, 1e-9, 4294967296]);
    case 3: return r() < 0.5;
    case 4:
    case 5: return pick(r, STRINGS);
    case 6:
    case 7: return depth > 3 ? [] : Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      if (depth > 3) return {};
      const o: Record<string, unknown> = {};
      for (let n = Math.floor(r() * 4); n > 0; n--) o[pick(r, KEYS)] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** A plausible, mostly valid body for `action`, with some fields perturbed. */
function validishBody(r: () => number, action: string): Record<string, unknown> {
  const group = pick(r, GROUPS);
  const activityId = r() < 0.5 ? [...emu.backend.state.activities.keys()][Math.floor(r() * emu.backend.state.activities.size)] ?? "asr-00000000" : "asr-00000000";
  let body: Record<string, unknown>;
  switch (action) {
    case "StartInstanceRefresh":
      body = { AutoScalingGroupId: group, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 + Math.floor(r() * 4), MaxSurge: Math.floor(r() * 2), BatchPause: pick(r, ["AUTOMATIC", "FIRST_BATCH_PAUSE", "BATCH_INTERVAL_PAUSE"]) } } };
      break;
    case "DescribeRefreshActivities":
      body = r() < 0.5 ? { Filters: [{ Name: "auto-scaling-group-id", Values: [group] }], Limit: 1 + Math.floor(r() * 100) } : { RefreshActivityIds: [activityId] };
      break;
    case "DescribeAutoScalingGroups":
      body = { AutoScalingGroupIds: [group] };
      break;
    case "DescribeAutoScalingInstances":
      body = { Filters: [{ Name: "auto-scaling-group-id", Values: [group] }] };
      break;
    case "ResumeInstanceRefresh":
      body = { AutoScalingGroupId: group, RefreshActivityId: activityId, ResumeMode: pick(r, ["RETRY", "CONTINUE"]) };
      break;
    default:
      body = { AutoScalingGroupId: group, RefreshActivityId: activityId };
  }
  if (r() < 0.3) body[pick(r, KEYS)] = randomValue(r, 1);
  return body;
}

interface FuzzRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
}

function randomRequest(r: () => number, port: number): FuzzRequest {
  const kind = r();
  const action = kind < 0.85 ? pick(r, ACTIONS) : pick(r, ODD_ACTIONS);
  let body: string;
  const shape = r();
  if (shape < 0.45) body = JSON.stringify(validishBody(r, action));
  else if (shape < 0.6) body = JSON.stringify(randomValue(r, 0));
  else if (shape < 0.7) body = JSON.stringify(validishBody(r, action)).slice(0, Math.floor(r() * 40)); // truncated JSON
  else if (shape < 0.75) body = Buffer.from(Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256))).toString("latin1");
  else if (shape < 0.8) body = "";
  else if (shape < 0.85) body = pick(r, ["null", "[]", "1", '"x"', "true", "{", "}", '{"a":', "\u0000"]);
  else body = JSON.stringify({ ...validishBody(r, action), Deep: JSON.parse("[".repeat(40) + "]".repeat(40)) });
  const now = Math.floor(Date.now() / 1000);
  const timestamp = r() < 0.93 ? now : pick(r, [now - 3600, now + 3600, 0, 2 ** 31]);
  const contentType = r() < 0.93 ? "application/json" : pick(r, ["text/plain", "application/json; charset=utf-8", "multipart/form-data"]);
  // Framed explicitly: Node's client sends a DELETE/OPTIONS body unframed otherwise (not HTTP at all).
  const headers: Record<string, string> = { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(body)) };
  if (action !== "" || r() < 0.5) headers["X-TC-Action"] = action;
  if (r() < 0.95) headers["X-TC-Version"] = r() < 0.95 ? "2018-04-19" : pick(r, ["2017-01-01", "", "latest"]);
  headers["X-TC-Timestamp"] = r() < 0.97 ? String(timestamp) : pick(r, ["soon", "", "-1", "1e3"]);
  if (r() < 0.5) headers["X-TC-Region"] = pick(r, ["ap-guangzhou", "", "mars-1"]);
  if (r() < 0.05) headers["X-TC-Token"] = "tok";
  if (r() < 0.05) headers["X-TC-TraceId"] = `trace-${Math.floor(r() * 1e6)}`;
  const signing = r();
  const host = `127.0.0.1:${port}`;
  if (signing < 0.75) {
    headers.Authorization = signAuthorization({ secretId: emu.secretId, secretKey: emu.secretKey, host, body, timestamp, contentType });
  } else if (signing < 0.82) {
    headers.Authorization = signAuthorization({ secretId: emu.secretId, secretKey: "not-the-key", host, body, timestamp, contentType });
  } else if (signing < 0.87) {
    headers.Authorization = signAuthorization({ secretId: "AKIDunknown", secretKey: emu.secretKey, host, body, timestamp, contentType });
  } else if (signing < 0.95) {
    headers.Authorization = pick(r, ["", "TC3-HMAC-SHA256", "TC3-HMAC-SHA256 Credential=x/y/z, SignedHeaders=host, Signature=00", "Basic Zm9vOmJhcg==",
      "TC3-HMAC-SHA256 Credential=AKIDEMULATOR000000000000000000000000/2020-01-01/as/tc3_request, SignedHeaders=content-type;host, Signature=" + "0".repeat(64)]);
  }
  const method = r() < 0.97 ? "POST" : pick(r, ["PUT", "DELETE", "PATCH", "OPTIONS"]);
  return { method, headers, body };
}

function send(port: number, q: FuzzRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/", method: q.method, headers: q.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(q.body);
  });
}

describe("emulator under 10,000 random requests", () => {
  test("never crashes and answers every request with a well-formed envelope", async () => {
    const r = seededRandom(SEED);
    const codes = new Map<string, number>();
    const problems: string[] = [];
    let next = 0;
    let ok = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const q = randomRequest(r, emu.port);
        const res = await send(emu.port, q).catch((e: Error) => ({ status: -1, text: `transport error: ${e.message}` }));
        let envelope: { Response?: { RequestId?: unknown; Error?: { Code?: unknown; Message?: unknown } } } | undefined;
        try {
          envelope = JSON.parse(res.text);
        } catch {
          envelope = undefined;
        }
        const response = envelope?.Response;
        const error = response?.Error;
        const wellFormed =
          res.status === 200 &&
          typeof response === "object" &&
          response !== null &&
          typeof response.RequestId === "string" &&
          response.RequestId.length > 0 &&
          (error === undefined || (typeof error.Code === "string" && error.Code.length > 0 && typeof error.Message === "string"));
        if (!wellFormed || error?.Code === "InternalError") {
          if (problems.length < 10) problems.push(`#${i} ${q.method} ${JSON.stringify(q.headers)} ${JSON.stringify(q.body.slice(0, 120))} → ${res.status} ${res.text.slice(0, 200)}`);
          continue;
        }
        const code = typeof error?.Code === "string" ? error.Code : "OK";
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === "OK") ok++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `fuzz: ${REQUESTS} requests in ${seconds.toFixed(1)} s; ${ok} OK; ${codes.size} distinct codes: ` +
        [...codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(", "),
    );
    expect(problems).toEqual([]);
    // The mix reached deep into the API, not only the signature check.
    expect(ok).toBeGreaterThan(REQUESTS * 0.05);
    expect(codes.size).toBeGreaterThan(15);
    // Still serving, through the admin API and the real SDK.
    expect((await (await fetch(`${emu.url}/_emulator/health`)).json()) as object).toBeTruthy();
    const groups = await sdkClient(emu).DescribeAutoScalingGroups({ AutoScalingGroupIds: [GROUPS[0]] });
    expect(groups.TotalCount).toBe(1);
  }, 120_000);
});
