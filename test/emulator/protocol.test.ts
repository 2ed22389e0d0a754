import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, startEmulator, signAuthorization, type RunningEmulator } from "../../emulator";
import { errorCode, rawRequest, sdkClient, sdkError } from "../helpers/emulator";

const TOKEN = "session-token-123";
let emu: RunningEmulator;
let tokenEmu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ clock: new ManualClock(), rateLimit: false });
  tokenEmu = await startEmulator({
    clock: new ManualClock(),
    rateLimit: false,
    fixture: false,
    credentials: [{ secretId: "AKIDTEMPORARY0000000000000000000000", secretKey: "tempkey", token: TOKEN }],
  });
});
afterAll(async () => {
  await emu.stop();
  await tokenEmu.stop();
});

describe("signature verification", () => {
  it("accepts requests signed by the real SDK (service name derived from 127.0.0.1 endpoint)", async () => {
    const res = await sdkClient(emu).DescribeAutoScalingGroups({ AutoScalingGroupIds: ["asg-9dn1a5y6"] });
    expect(res.TotalCount).toBe(1);
    expect(res.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("accepts a hand-signed request with any service name in the scope", async () => {
    const body = "{}";
    const timestamp = Math.floor(Date.now() / 1000);
    const authorization = signAuthorization({ secretId: emu.secretId, secretKey: emu.secretKey, host: emu.endpoint, body, timestamp, service: "as" });
    const res = await rawRequest(emu, { body, timestamp, authorization });
    expect(res.json.Response.Error).toBeUndefined();
    expect(res.json.Response.TotalCount).toBe(0);
  });

  it("rejects an unparsable Authorization header with AuthFailure.InvalidAuthorization", async () => {
    const res = await rawRequest(emu, { authorization: "Basic Zm9vOmJhcg==" });
    expect(res.status).toBe(200);
    expect(res.json.Response.Error?.Code).toBe("AuthFailure.InvalidAuthorization");
    expect(res.json.Response.RequestId).toBeTypeOf("string");
  });

  it("rejects a missing Authorization header with AuthFailure.InvalidAuthorization", async () => {
    const res = await rawRequest(emu, { authorization: null });
    expect(res.json.Response.Error?.Code).toBe("AuthFailure.InvalidAuthorization");
  });

  it("rejects an unknown SecretId with AuthFailure.SecretIdNotFound", async () => {
    expect(await errorCode(() => sdkClient(emu, { secretId: "AKIDUNKNOWN" }).DescribeRefreshActivities({}))).toBe("AuthFailure.SecretIdNotFound");
  });

  it("rejects a timestamp more than 300 s old with AuthFailure.SignatureExpire", async () => {
    const res = await rawRequest(emu, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(res.json.Response.Error?.Code).toBe("AuthFailure.SignatureExpire");
  });

  it("rejects a timestamp more than 300 s in the future with AuthFailure.SignatureExpire", async () => {
    const res = await rawRequest(emu, { timestamp: Math.floor(Date.now() / 1000) + 400 });
    expect(res.json.Response.Error?.Code).toBe("AuthFailure.SignatureExpire");
  });

  it("accepts a timestamp 200 s old", async () => {
    const res = await rawRequest(emu, { timestamp: Math.floor(Date.now() / 1000) - 200 });
    expect(res.json.Response.Error).toBeUndefined();
  });

  it("rejects a wrong SecretKey with AuthFailure.SignatureFailure", async () => {
    expect(await errorCode(() => sdkClient(emu, { secretKey: "wrong" }).DescribeRefreshActivities({}))).toBe("AuthFailure.SignatureFailure");
  });

  it("rejects a body changed after signing with AuthFailure.SignatureFailure", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const authorization = signAuthorization({ secretId: emu.secretId, secretKey: emu.secretKey, host: emu.endpoint, body: "{}", timestamp });
    const res = await rawRequest(emu, { body: '{"Limit":5}', timestamp, authorization });
    expect(res.json.Response.Error?.Code).toBe("AuthFailure.SignatureFailure");
  });

  it("accepts the right token for a temporary credential", async () => {
    const res = await sdkClient(tokenEmu, { token: TOKEN }).DescribeRefreshActivities({});
    expect(res.TotalCount).toBe(0);
  });

  it("rejects a wrong token with AuthFailure.TokenFailure", async () => {
    expect(await errorCode(() => sdkClient(tokenEmu, { token: "other" }).DescribeRefreshActivities({}))).toBe("AuthFailure.TokenFailure");
  });

  it("rejects a missing token with AuthFailure.TokenFailure", async () => {
    expect(await errorCode(() => sdkClient(tokenEmu).DescribeRefreshActivities({}))).toBe("AuthFailure.TokenFailure");
  });
});

describe("envelope and common errors", () => {
  it("echoes X-TC-TraceId in the response and the SDK sees it", async () => {
    const res = await rawRequest(emu, { headers: { "X-TC-TraceId": "trace-abc-123" } });
    expect(res.headers.get("x-tc-traceid")).toBe("trace-abc-123");
    const err = await sdkError(() => sdkClient(emu).DescribeRefreshActivities({ Limit: 1000 }));
    expect(err.traceId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unknown action with InvalidAction", async () => {
    expect(await errorCode(() => sdkClient(emu).request("DescribeNothing", {}))).toBe("InvalidAction");
  });

  it("answers a missing X-TC-Action with MissingParameter", async () => {
    const res = await rawRequest(emu, { action: null });
    expect(res.json.Response.Error?.Code).toBe("MissingParameter");
  });

  it("answers a wrong version with NoSuchVersion", async () => {
    const res = await rawRequest(emu, { version: "2017-01-01" });
    expect(res.json.Response.Error?.Code).toBe("NoSuchVersion");
  });

  it("answers a missing version with MissingParameter", async () => {
    const res = await rawRequest(emu, { version: null });
    expect(res.json.Response.Error?.Code).toBe("MissingParameter");
    expect(res.json.Response.Error?.Message).toContain("X-TC-Version");
  });

  it("answers malformed JSON with InvalidParameter in a well-formed envelope", async () => {
    const res = await rawRequest(emu, { body: '{"Limit": 5' });
    expect(res.status).toBe(200);
    expect(res.json.Response.Error?.Code).toBe("InvalidParameter");
    expect(res.json.Response.RequestId).toBeTypeOf("string");
  });

  it("answers a JSON array body with InvalidParameter", async () => {
    const res = await rawRequest(emu, { body: "[1,2]" });
    expect(res.json.Response.Error?.Code).toBe("InvalidParameter");
  });

  it("answers GET with UnsupportedProtocol", async () => {
    const res = await rawRequest(emu, { method: "GET" });
    expect(res.json.Response.Error?.Code).toBe("UnsupportedProtocol");
  });
});

describe("parameter validation", () => {
  const client = () => sdkClient(emu);
  const good = { AutoScalingGroupId: "asg-9dn1a5y6", RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } };

  it("names the missing nested field with MissingParameter", async () => {
    const err = await sdkError(() => client().StartInstanceRefresh({ ...good, RefreshSettings: { RollingUpdateSettings: {} } }));
    expect(err.code).toBe("MissingParameter");
    expect(err.message).toContain("RefreshSettings.RollingUpdateSettings.BatchNumber");
  });

  it("names a missing top-level field with MissingParameter", async () => {
    const err = await sdkError(() => client().StopInstanceRefresh({ AutoScalingGroupId: "asg-9dn1a5y6" }));
    expect(err.code).toBe("MissingParameter");
    expect(err.message).toContain("RefreshActivityId");
  });

  it("names an unknown field with UnknownParameter", async () => {
    const err = await sdkError(() =>
      client().StartInstanceRefresh({ ...good, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1, Bogus: 1 } } }),
    );
    expect(err.code).toBe("UnknownParameter");
    expect(err.message).toContain("RefreshSettings.RollingUpdateSettings.Bogus");
  });

  it("names a badly typed field with InvalidParameter", async () => {
    const err = await sdkError(() =>
      client().StartInstanceRefresh({ ...good, RefreshSettings: { RollingUpdateSettings: { BatchNumber: "3" } } }),
    );
    expect(err.code).toBe("InvalidParameter");
    expect(err.message).toContain("RefreshSettings.RollingUpdateSettings.BatchNumber");
  });

  it("names an out-of-range value with InvalidParameterValue", async () => {
    const err = await sdkError(() =>
      client().StartInstanceRefresh({ ...good, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 0 } } }),
    );
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.message).toContain("RefreshSettings.RollingUpdateSettings.BatchNumber");
  });

  it("rejects an unknown enum value with InvalidParameterValue naming the field", async () => {
    const err = await sdkError(() =>
      client().StartInstanceRefresh({ ...good, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1, BatchPause: "SOMETIMES" } } }),
    );
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.message).toContain("RefreshSettings.RollingUpdateSettings.BatchPause");
  });

  it("rejects CheckInstanceTargetHealthTimeout outside 60–7200", async () => {
    const err = await sdkError(() =>
      client().StartInstanceRefresh({ ...good, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 }, CheckInstanceTargetHealthTimeout: 30 } }),
    );
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.message).toContain("RefreshSettings.CheckInstanceTargetHealthTimeout");
  });

  it("names array elements by index", async () => {
    const err = await sdkError(() => client().DescribeRefreshActivities({ Filters: [{ Name: "auto-scaling-group-id", Values: [1] }] }));
    expect(err.code).toBe("InvalidParameter");
    expect(err.message).toContain("Filters.0.Values.0");
  });
});
