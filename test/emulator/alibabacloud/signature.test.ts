/**
 * ACS3-HMAC-SHA256 (and V1) verification of the ESS emulator: the real SDK is accepted; a wrong
 * AccessKey id or secret, a tampered query or body, a stale x-acs-date, a replayed nonce, an
 * unsigned header and a wrong security token are refused with Alibaba Cloud's codes and statuses.
 * Also the error body, throttling and the protocol refusals (version, action).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, acsDate, signAcs3, signRpcV1, encodeParams } from "../../../emulator/alibabacloud/signature";
import { REGION, essClient, rawRequest, sdkFailure, startEss, type EssServer } from "./support";

const STS = { accessKeyId: "STS.EMULATORTEMPORARY0001", accessKeySecret: "temporary-secret", securityToken: "sts-token-123" };
const MINUTE_MS = 60_000;

let ess: EssServer;
let groupId: string;

beforeAll(async () => {
  ess = await startEss({ credentials: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }, STS] });
  groupId = ess.backend.seedGroup({ instanceCount: 2 }).id;
});
afterAll(async () => {
  await ess.close();
});

/** A valid hand-signed DescribeInstanceRefreshes of the test group. */
function signedDescribe(overrides: Partial<Parameters<typeof signAcs3>[0]> = {}) {
  return signAcs3({
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
    host: ess.endpoint,
    action: "DescribeInstanceRefreshes",
    query: { RegionId: REGION, ScalingGroupId: groupId },
    ...overrides,
  });
}

describe("signatures", () => {
  it("accepts the real SDK's ACS3 signature (it also signs x-acs-credentials-provider)", async () => {
    const body = await essClient(ess).call("DescribeScalingGroups", { ScalingGroupIds: [groupId] });
    expect(body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(body.TotalCount).toBe(1);
    expect(body.ScalingGroups[0].ScalingGroupId).toBe(groupId);
  });

  it("refuses an unknown AccessKey id: InvalidAccessKeyId.NotFound, 404", async () => {
    const f = await sdkFailure(() => essClient(ess, { accessKeyId: "LTAI5tUNKNOWN00000000000" }).call("DescribeScalingGroups"));
    expect(f).toMatchObject({ name: "ClientError", code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
  });

  it("refuses a wrong secret through the SDK: ClientError SignatureDoesNotMatch, 400, with the full error body", async () => {
    const f = await sdkFailure(() => essClient(ess, { accessKeySecret: "not-the-secret" }).call("DescribeScalingGroups"));
    expect(f).toMatchObject({ name: "ClientError", code: "SignatureDoesNotMatch", statusCode: 400 });
    expect(Object.keys(f.data).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(f.data.HostId).toBe("ess.aliyuncs.com");
    expect(f.data.Recommend).toContain(encodeURIComponent(f.data.RequestId as string));
  });

  it("accepts a hand-signed request, and refuses it signed with a wrong secret", async () => {
    const good = await rawRequest(ess, signedDescribe());
    expect(good.status).toBe(200);
    expect(good.json.TotalCount).toBe(0);
    const bad = await rawRequest(ess, signedDescribe({ accessKeySecret: "wrong-secret" }));
    expect(bad.status).toBe(400);
    expect(bad.json.Code).toBe("SignatureDoesNotMatch");
  });

  it("refuses a query altered after signing", async () => {
    const r = signedDescribe();
    r.path = r.path.replace(`ScalingGroupId=${groupId}`, "ScalingGroupId=asg-someoneelsesgroup0001");
    expect(r.path).toContain("asg-someoneelsesgroup0001");
    const res = await rawRequest(ess, r);
    expect([res.status, res.json.Code]).toEqual([400, "SignatureDoesNotMatch"]);
  });

  it("refuses a query parameter added after signing", async () => {
    const r = signedDescribe();
    r.path += "&MaxResults=1";
    const res = await rawRequest(ess, r);
    expect(res.json.Code).toBe("SignatureDoesNotMatch");
  });

  it("refuses a signed header altered after signing", async () => {
    const r = signedDescribe();
    r.headers["x-acs-signature-nonce"] = "altered-nonce";
    expect((await rawRequest(ess, r)).json.Code).toBe("SignatureDoesNotMatch");
  });

  it("accepts parameters in a signed form body, and refuses the body altered after signing", async () => {
    const signedForm = signedDescribe({ query: {}, form: { RegionId: REGION, ScalingGroupId: groupId } });
    expect((await rawRequest(ess, signedForm)).status).toBe(200);
    const tampered = signedDescribe({ query: {}, form: { RegionId: REGION, ScalingGroupId: groupId } });
    tampered.body = Buffer.from(encodeParams({ RegionId: REGION, ScalingGroupId: "asg-someoneelsesgroup0001" }));
    tampered.headers["content-length"] = String(tampered.body.length);
    expect((await rawRequest(ess, tampered)).json.Code).toBe("SignatureDoesNotMatch");
  });

  it("refuses a stale x-acs-date (16 minutes old) with InvalidTimeStamp.Expired, 400, and accepts one 14 minutes old", async () => {
    const stale = await rawRequest(ess, signedDescribe({ date: new Date(Date.now() - 16 * MINUTE_MS) }));
    expect([stale.status, stale.json.Code]).toEqual([400, "InvalidTimeStamp.Expired"]);
    const recent = await rawRequest(ess, signedDescribe({ date: new Date(Date.now() - 14 * MINUTE_MS) }));
    expect(recent.status).toBe(200);
  });

  it("refuses a malformed x-acs-date with InvalidTimeStamp.Format", async () => {
    const res = await rawRequest(ess, signedDescribe({ date: "yesterday" }));
    expect(res.json.Code).toBe("InvalidTimeStamp.Format");
  });

  it("refuses a replayed request (same nonce) with SignatureNonceUsed", async () => {
    const r = signedDescribe({ nonce: `nonce-${Date.now()}` });
    expect((await rawRequest(ess, r)).status).toBe(200);
    const replay = await rawRequest(ess, r);
    expect([replay.status, replay.json.Code]).toEqual([400, "SignatureNonceUsed"]);
  });

  it("refuses a signature that leaves an x-acs-* header unsigned with IncompleteSignature", async () => {
    const r = signedDescribe();
    r.headers["x-acs-extra"] = "unsigned";
    const res = await rawRequest(ess, r);
    expect([res.status, res.json.Code]).toEqual([400, "IncompleteSignature"]);
  });

  it("refuses other ACS3 algorithms with InvalidSignatureMethod", async () => {
    const r = signedDescribe();
    r.headers.authorization = r.headers.authorization!.replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3");
    expect((await rawRequest(ess, r)).json.Code).toBe("InvalidSignatureMethod");
  });

  it("accepts an STS credential through the SDK (x-acs-security-token) and refuses a wrong or missing token", async () => {
    const ok = await essClient(ess, STS).call("DescribeScalingGroups");
    expect(ok.TotalCount).toBe(1);
    const wrong = await sdkFailure(() => essClient(ess, { ...STS, securityToken: "other" }).call("DescribeScalingGroups"));
    expect([wrong.code, wrong.statusCode]).toEqual(["InvalidSecurityToken.MismatchWithAccessKey", 400]);
    const missing = await sdkFailure(() => essClient(ess, { accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret }).call("DescribeScalingGroups"));
    expect(missing.code).toBe("MissingSecurityToken");
  });

  it("accepts a V1 (HMAC-SHA1) request and refuses it tampered", async () => {
    const params = signRpcV1({
      accessKeyId: DEFAULT_ACCESS_KEY_ID,
      accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
      action: "DescribeScalingGroups",
      params: { RegionId: REGION, "ScalingGroupIds.1": groupId },
    });
    const headers = { host: ess.endpoint, "x-acs-action": "DescribeScalingGroups" };
    const ok = await rawRequest(ess, { method: "GET", path: `/?${encodeParams(params)}`, headers, body: Buffer.alloc(0) });
    expect(ok.status).toBe(200);
    expect(ok.json.ScalingGroups[0].ScalingGroupId).toBe(groupId);
    const tampered = signRpcV1({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, action: "DescribeScalingGroups", params: { RegionId: REGION } });
    tampered.RegionId = "cn-beijing";
    const bad = await rawRequest(ess, { method: "GET", path: `/?${encodeParams(tampered)}`, headers, body: Buffer.alloc(0) });
    expect([bad.status, bad.json.Code]).toEqual([400, "SignatureDoesNotMatch"]);
  });
});

describe("protocol", () => {
  it("refuses an unknown action (InvalidAction.NotFound, 404) and an unknown version (InvalidVersion, 400)", async () => {
    const action = await sdkFailure(() => essClient(ess).call("RunInstances"));
    expect([action.code, action.statusCode]).toEqual(["InvalidAction.NotFound", 404]);
    const version = await sdkFailure(() => essClient(ess, { version: "2099-01-01" }).call("DescribeScalingGroups"));
    expect([version.code, version.statusCode]).toEqual(["InvalidVersion", 400]);
  });

  it("matches only requests carrying x-acs-action", () => {
    expect(ess.api!.name).toBe("alibabacloud");
    expect(ess.api!.matches({ headers: { "x-acs-action": "DescribeScalingGroups" } } as never)).toBe(true);
    expect(ess.api!.matches({ headers: { "x-tc-action": "DescribeAutoScalingGroups" } } as never)).toBe(false);
  });

  it("formats x-acs-date as the SDK does", () => {
    expect(acsDate(new Date(Date.UTC(2024, 7, 22, 1, 9, 0, 123)))).toBe("2024-08-22T01:09:00Z");
  });
});

describe("throttling", () => {
  it("answers Throttling (ThrottlingError in the SDK, HTTP 400) beyond the per-action rate, other actions unaffected", async () => {
    const frozen = Date.now();
    const limited = await startEss({ rateLimit: { requestsPerSecond: 2 }, wallClock: () => frozen });
    try {
      limited.backend.seedGroup({ instanceCount: 1 });
      const client = essClient(limited);
      await client.call("DescribeScalingGroups");
      await client.call("DescribeScalingGroups");
      const f = await sdkFailure(() => client.call("DescribeScalingGroups"));
      expect(f).toMatchObject({ name: "ThrottlingError", code: "Throttling", statusCode: 400 });
      expect((await client.call("DescribeScalingInstances")).TotalCount).toBe(1);
    } finally {
      await limited.close();
    }
  });
});
