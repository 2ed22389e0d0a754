import { describe, expect, test } from "vitest";
import { TencentCloudApiError, TRANSPORT_ERROR_CODE, classifyCode, fromSdkError } from "../../provider/tencentcloud/client/errors";
import { API_LIMIT_PER_SECOND, DEFAULT_LIMIT_PER_SECOND, RateLimiter } from "../../provider/core/rateLimit";
import { INITIAL_RETRY_TOKENS, NO_RETRY_INCREMENT, RETRY_COST, RetryQuota, RetryStrategy, TIMEOUT_RETRY_COST, backoffDelay } from "../../provider/tencentcloud/client/retry";
import { makeRedactor, parseEndpoint } from "../../provider/tencentcloud/client/client";

const apiError = (code: string) => new TencentCloudApiError({ action: "DescribeRefreshActivities", code, message: "x" });

describe("error classification", () => {
  test.each([
    ["RequestLimitExceeded", "throttling"],
    ["RequestLimitExceeded.UinLimitExceeded", "throttling"],
    ["InternalError", "transient"],
    ["InternalError.CallCvmError", "transient"],
    [TRANSPORT_ERROR_CODE, "transient"],
    ["AuthFailure.SignatureFailure", "client"],
    ["ResourceNotFound.RefreshActivityNotFound", "client"],
    ["InvalidParameterValue.BatchNumberTooLarge", "client"],
  ])("%s is %s", (code, kind) => {
    expect(classifyCode(code)).toBe(kind);
  });

  test("HTTP 5xx is transient, 4xx a client error", () => {
    expect(classifyCode("HttpError", 503)).toBe("transient");
    expect(classifyCode("HttpError", 403)).toBe("client");
  });

  test("an SDK exception without code nor httpCode is a transport error, a timeout is flagged", () => {
    const e = fromSdkError("StartInstanceRefresh", Object.assign(new Error("network timeout at: http://127.0.0.1:1/"), { requestId: "" }));
    expect(e).toMatchObject({ code: TRANSPORT_ERROR_CODE, kind: "transient", timedOut: true, action: "StartInstanceRefresh" });
  });

  test("an API error keeps its code and request id, and messages are redacted", () => {
    const redact = makeRedactor({ secretId: "AKIDabcdefgh", secretKey: "topsecretkey" });
    const e = fromSdkError("DescribeRefreshActivities", Object.assign(new Error("SecretId AKIDabcdefgh / topsecretkey not found"), { code: "AuthFailure.SecretIdNotFound", requestId: "r-1" }), redact);
    expect(e.code).toBe("AuthFailure.SecretIdNotFound");
    expect(e.requestId).toBe("r-1");
    expect(e.message).toBe("DescribeRefreshActivities failed: AuthFailure.SecretIdNotFound: SecretId AKID*** / *** not found (RequestId r-1)");
  });
});

describe("backoff", () => {
  test("is full jitter over a capped exponential", () => {
    expect(backoffDelay(0, 100, 20_000, () => 0.5)).toBe(50);
    expect(backoffDelay(3, 100, 20_000, () => 0.5)).toBe(400);
    expect(backoffDelay(20, 100, 20_000, () => 0.999)).toBe(19_980);
    expect(backoffDelay(5, 100, 20_000, () => 0)).toBe(0);
  });

  test("uses the longer base after throttling", () => {
    const s = new RetryStrategy({ random: () => 1 - Number.EPSILON, baseDelayMs: 100, throttlingBaseDelayMs: 500 });
    expect(s.delayFor("transient", 1)).toBe(199);
    expect(s.delayFor("throttling", 1)).toBe(999);
  });
});

describe("retry strategy", () => {
  const instant = async () => undefined;

  test("retries throttling and transient errors, then succeeds", async () => {
    const delays: number[] = [];
    const s = new RetryStrategy({ sleep: async (ms) => void delays.push(ms), random: () => 0.5 });
    const errors = [apiError("RequestLimitExceeded"), apiError("InternalError")];
    const result = await s.run(async () => {
      const e = errors.shift();
      if (e) throw e;
      return "ok";
    });
    expect(result).toBe("ok");
    expect(delays).toEqual([250, 100]); // 0.5 * 500 * 2^0, 0.5 * 100 * 2^1
    // The success refunds what its last retry cost (RETRY_COST), not NO_RETRY_INCREMENT.
    expect(s.quota.available).toBe(INITIAL_RETRY_TOKENS - TIMEOUT_RETRY_COST - RETRY_COST + RETRY_COST);
  });

  test("a success at the first attempt refunds NO_RETRY_INCREMENT", async () => {
    const s = new RetryStrategy({ sleep: instant, retryTokens: 20 });
    s.quota.acquire(10);
    await s.run(async () => "ok");
    expect(s.quota.available).toBe(10 + NO_RETRY_INCREMENT);
  });

  test("a fault on every fourth attempt over 10,000 reads never drains the quota", async () => {
    // Each retried call refunds its retry's cost; refunding 1 instead lost 2 tokens every 3 reads.
    const s = new RetryStrategy({ sleep: instant, random: () => 0 });
    let attempt = 0;
    for (let read = 0; read < 10_000; read++) {
      await s.run(async () => {
        if (++attempt % 4 === 0) throw apiError("InternalError");
        return "ok";
      });
    }
    expect(s.quota.available).toBe(INITIAL_RETRY_TOKENS);
  });

  test("never retries a client error such as AuthFailure", async () => {
    let calls = 0;
    const s = new RetryStrategy({ sleep: instant });
    await expect(
      s.run(async () => {
        calls++;
        throw apiError("AuthFailure.SignatureFailure");
      }),
    ).rejects.toThrow(/AuthFailure/);
    expect(calls).toBe(1);
  });

  test("gives up after maxAttempts", async () => {
    let calls = 0;
    const s = new RetryStrategy({ sleep: instant, maxAttempts: 3 });
    await expect(
      s.run(async () => {
        calls++;
        throw apiError("InternalError");
      }),
    ).rejects.toThrow(/InternalError/);
    expect(calls).toBe(3);
  });

  test("an exhausted shared quota stops retries for every caller", async () => {
    const s = new RetryStrategy({ sleep: instant, retryTokens: 12 });
    let calls = 0;
    const failing = () =>
      s.run(async () => {
        calls++;
        throw apiError("InternalError");
      });
    await expect(failing()).rejects.toThrow();
    await expect(failing()).rejects.toThrow();
    expect(calls).toBe(4); // 2 retries of 5 tokens fit in 12; then one attempt per call
  });

  test("the quota refunds one token per success, up to its capacity", () => {
    const q = new RetryQuota(10);
    expect(q.acquire(10)).toBe(true);
    expect(q.acquire(1)).toBe(false);
    q.release(1);
    expect(q.available).toBe(1);
    q.release(100);
    expect(q.available).toBe(10);
  });

  test("rejects bad options up front", () => {
    expect(() => new RetryStrategy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});

describe("rate limiter", () => {
  test("spaces calls of one action evenly, so no one-second window holds more than the limit", async () => {
    let now = 0;
    const limiter = new RateLimiter({
      limitPerSecond: 18,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const starts: number[] = [];
    for (let i = 0; i < 40; i++) {
      await limiter.acquire("DescribeRefreshActivities");
      starts.push(now);
    }
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeCloseTo(1000 / 18, 6);
    for (let i = 18; i < starts.length; i++) expect(starts[i] - starts[i - 18]).toBeGreaterThanOrEqual(1000 - 1e-6);
  });

  test("gives concurrent callers distinct, ordered slots", async () => {
    const waits: number[] = [];
    const limiter = new RateLimiter({ limitPerSecond: 10, now: () => 0, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([limiter.acquire("A"), limiter.acquire("A"), limiter.acquire("A")]);
    expect(waits).toEqual([100, 200]);
  });

  test("idle waits for the next free slot without booking it", async () => {
    let now = 0;
    const limiter = new RateLimiter({ limitPerSecond: 10, now: () => now, sleep: async (ms) => void (now += ms) });
    await limiter.acquire("A");
    await limiter.idle("A");
    expect(now).toBe(100);
    await limiter.acquire("A"); // the slot idle waited for is still free
    expect(now).toBe(100);
  });

  test("limits each action separately", async () => {
    let now = 0;
    const limiter = new RateLimiter({ limitPerSecond: 1, now: () => now, sleep: async (ms) => void (now += ms) });
    await limiter.acquire("A");
    await limiter.acquire("B");
    expect(now).toBe(0);
    await limiter.acquire("A");
    expect(now).toBeGreaterThanOrEqual(1000);
  });

  test("by default spaces an action's calls 1000/18 ms apart, so the API's one-second window never holds 20", async () => {
    let now = 0;
    const limiter = new RateLimiter({ now: () => now, sleep: async (ms) => void (now += ms) });
    const times: number[] = [];
    for (let n = 0; n < 60; n++) {
      await limiter.acquire("A");
      times.push(Math.floor(now)); // the server sees whole milliseconds
    }
    expect(times.at(-1)).toBe(Math.floor((59 * 1000) / DEFAULT_LIMIT_PER_SECOND));
    // The server's rule: a call is refused when 20 others arrived less than 1000 ms before it.
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u - t < 1000).length));
    expect(busiest).toBeLessThan(API_LIMIT_PER_SECOND);
  });
});

describe("endpoint", () => {
  test("splits a URL into the SDK's protocol and host", () => {
    expect(parseEndpoint("http://127.0.0.1:8123")).toEqual({ protocol: "http://", host: "127.0.0.1:8123" });
    expect(parseEndpoint("as.tencentcloudapi.com")).toEqual({ protocol: "https://", host: "as.tencentcloudapi.com" });
    expect(() => parseEndpoint("ftp://x")).toThrow(/http or https/);
  });
});
