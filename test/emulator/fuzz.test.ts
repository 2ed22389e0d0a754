import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, signAuthorization, startEmulator, type RunningEmulator } from "../../emulator";
import { sdkClient } from "../helpers/emulator";
import { seededRandom } from "../helpers/random";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ clock: new ManualClock(), rateLimit: false });
});
afterAll(() => emu.stop());

const ACTIONS = [
  "StartInstanceRefresh", "StopInstanceRefresh", "ResumeInstanceRefresh", "CancelInstanceRefresh", "RollbackInstanceRefresh",
  "DescribeRefreshActivities", "DescribeAutoScalingGroups", "DescribeAutoScalingInstances", "Bogus", "", "constructor", "__proto__", "toString",
];
const KEYS = [
  "AutoScalingGroupId", "RefreshActivityId", "RefreshSettings", "RollingUpdateSettings", "BatchNumber", "MaxSurge", "BatchPause", "FailProcess",
  "ResumeMode", "RefreshMode", "OriginRefreshActivityId", "Filters", "Name", "Values", "Limit", "Offset", "RefreshActivityIds", "__proto__", "x",
];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * 12);
  switch (k) {
    case 0: return null;
    case 1: return Math.floor(r() * 10) - 3;
    case 2: return r() * 1e20;
    case 3: return r() < 0.5;
    case 4: return ["asg-9dn1a5y6", "asr-00000000", "RETRY", "CONTINUE", "AUTO_ROLLBACK", "auto-scaling-group-id", ""][Math.floor(r() * 7)];
    case 5: return "x".repeat(Math.floor(r() * 5000));
    case 6:
    case 7: return depth > 4 ? 1 : Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      if (depth > 4) return {};
      const o: Record<string, unknown> = {};
      for (let n = Math.floor(r() * 4); n > 0; n--) o[KEYS[Math.floor(r() * KEYS.length)]!] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function randomBody(r: () => number): string {
  const k = Math.floor(r() * 10);
  if (k === 0) return Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256))).toString("latin1");
  if (k === 1) return JSON.stringify(randomValue(r, 0)).slice(0, Math.floor(r() * 50));
  if (k === 2) return "";
  if (k === 3) return JSON.stringify(randomValue(r, 0));
  return JSON.stringify(randomValue(r, 5) && { ...(randomValue(r, 0) as object) });
}

describe("robustness", () => {
  it("answers 1,000 random and malformed requests with well-formed envelopes and keeps serving", async () => {
    const r = seededRandom(20240419);
    const now = Math.floor(Date.now() / 1000);
    const reqs = Array.from({ length: 1000 }, () => {
      const body = randomBody(r);
      const action = ACTIONS[Math.floor(r() * ACTIONS.length)]!;
      const headers: Record<string, string> = { "Content-Type": r() < 0.9 ? "application/json" : "text/plain" };
      if (action || r() < 0.5) headers["X-TC-Action"] = action;
      if (r() < 0.9) headers["X-TC-Version"] = r() < 0.9 ? "2018-04-19" : "1999-01-01";
      const ts = r() < 0.9 ? now : Math.floor(r() * 2e9);
      headers["X-TC-Timestamp"] = r() < 0.95 ? String(ts) : "not-a-number";
      const signing = r();
      if (signing < 0.7) {
        headers.Authorization = signAuthorization({ secretId: emu.secretId, secretKey: emu.secretKey, host: emu.endpoint, body, timestamp: ts, service: "as", contentType: headers["Content-Type"] });
      } else if (signing < 0.9) {
        headers.Authorization = ["", "TC3-HMAC-SHA256", "TC3-HMAC-SHA256 Credential=x/y/z, SignedHeaders=host, Signature=00", "garbage ☃"][Math.floor(r() * 4)]!.replace("☃", "");
      }
      if (r() < 0.1) headers["X-TC-TraceId"] = `trace-${Math.floor(r() * 1e6)}`;
      const method = r() < 0.95 ? "POST" : ["PUT", "DELETE", "PATCH"][Math.floor(r() * 3)]!;
      return { method, headers, body };
    });
    // a little concurrency to exercise interleaving
    const results: Array<{ status: number; text: string }> = [];
    for (let i = 0; i < reqs.length; i += 16) {
      results.push(
        ...(await Promise.all(
          reqs.slice(i, i + 16).map(async (q) => {
            const res = await fetch(`${emu.url}/`, { method: q.method, headers: q.headers, body: q.body });
            return { status: res.status, text: await res.text() };
          }),
        )),
      );
    }
    let errors = 0;
    for (const res of results) {
      expect(res.status).toBe(200);
      const json = JSON.parse(res.text) as { Response: { RequestId: unknown; Error?: { Code: unknown; Message: unknown } } };
      expect(typeof json.Response.RequestId).toBe("string");
      if (json.Response.Error) {
        errors++;
        expect(typeof json.Response.Error.Code).toBe("string");
        expect(typeof json.Response.Error.Message).toBe("string");
        expect(json.Response.Error.Code).not.toBe("InternalError");
      }
    }
    expect(errors).toBeGreaterThan(500);
    const ok = await sdkClient(emu).DescribeAutoScalingGroups({});
    expect(ok.TotalCount).toBeGreaterThan(0);
  }, 60_000);

  it("answers an oversized body with RequestSizeLimitExceeded", async () => {
    const res = await fetch(`${emu.url}/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-TC-Action": "DescribeRefreshActivities" },
      body: "x".repeat(1024 * 1024 + 10),
    });
    expect(((await res.json()) as { Response: { Error: { Code: string } } }).Response.Error.Code).toBe("RequestSizeLimitExceeded");
  });
});
