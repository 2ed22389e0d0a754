import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, startEmulator, signAuthorization, type RunningEmulator } from "../../emulator";
import { SUPPORTED_REGIONS } from "../../emulator/tencentcloud/params";
import { errorCode, rawRequest, sdkClient, sdkError, testAgent } from "../helpers/emulator";

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

describe("regions (X-TC-Region)", () => {
  // The SDK's AS client with a region of the test's choice (the helper's client is ap-guangzhou).
  const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/as").as.v20180419;
  const clientIn = (region: string) =>
    new Client({
      credential: { secretId: emu.secretId, secretKey: emu.secretKey },
      region,
      profile: { httpProfile: { endpoint: emu.endpoint, protocol: "http://", reqTimeout: 10, agent: testAgent } },
    }) as ReturnType<typeof sdkClient>;

  it("refuses an unknown region with UnsupportedRegion naming it, and starts nothing", async () => {
    const group = await emu.admin.seedGroup({ instanceCount: 2 });
    const err = await sdkError(() =>
      clientIn("xx-nowhere-9").StartInstanceRefresh({ AutoScalingGroupId: group.groupId, RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } } }),
    );
    expect(err.code).toBe("UnsupportedRegion");
    expect(err.message).toContain("xx-nowhere-9");
    const started = await sdkClient(emu).DescribeRefreshActivities({ Filters: [{ Name: "auto-scaling-group-id", Values: [group.groupId] }] });
    expect(started.TotalCount).toBe(0);
  });

  it.each([...SUPPORTED_REGIONS])("serves %s", async (region) => {
    expect((await clientIn(region).DescribeAutoScalingGroups({ AutoScalingGroupIds: ["asg-9dn1a5y6"] })).TotalCount).toBe(1);
  });

  it("accepts a request without the header (inferred: the SDKs always send it)", async () => {
    const res = await rawRequest(emu, { headers: { "X-TC-Region": "" } });
    expect(res.json.Response.Error).toBeUndefined();
  });
});

describe("RollbackInstanceRefresh RefreshMode", () => {
  const rollbackable = async () => {
    const group = await emu.admin.seedGroup({ instanceCount: 4 });
    const { RefreshActivityId } = await sdkClient(emu).StartInstanceRefresh({
      AutoScalingGroupId: group.groupId,
      RefreshSettings: { RollingUpdateSettings: { BatchNumber: 2, BatchPause: "FIRST_BATCH_PAUSE" } },
    });
    (emu.clock as ManualClock).advance(emu.backend.timing.initMs + emu.backend.timing.batchMs);
    expect((await emu.admin.activity(RefreshActivityId)).Status).toBe("AUTO_PAUSE");
    return {
      AutoScalingGroupId: group.groupId,
      OriginRefreshActivityId: RefreshActivityId,
      RefreshSettings: { RollingUpdateSettings: { BatchNumber: 1 } },
    };
  };

  it("refuses ROLLING_UPDATE_REPLACE, which rollback does not support, naming the field", async () => {
    const err = await sdkError(async () => sdkClient(emu).RollbackInstanceRefresh({ ...(await rollbackable()), RefreshMode: "ROLLING_UPDATE_REPLACE" }));
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.message).toContain("`RefreshMode` must be one of ROLLING_UPDATE_RESET");
  });

  it("runs the rollback in ROLLING_UPDATE_RESET when asked for it", async () => {
    const { RefreshActivityId } = await sdkClient(emu).RollbackInstanceRefresh({ ...(await rollbackable()), RefreshMode: "ROLLING_UPDATE_RESET" });
    expect(await emu.admin.activity(RefreshActivityId)).toMatchObject({ ActivityType: "ROLLBACK", RefreshMode: "ROLLING_UPDATE_RESET" });
  });
});
