/**
 * The seam between the HTTP server and the clouds the emulator speaks. Each cloud's API is a
 * {@link CloudApi} in its own folder (`tencentcloud/`, and next `alibabacloud/`): it recognises its
 * requests from their headers — Tencent Cloud's carry `X-TC-Action`; Alibaba Cloud's ACS3 requests
 * carry `x-acs-action`, `x-acs-version` and `Authorization: ACS3-HMAC-SHA256 …` — and serves them
 * end to end (signature, envelope, rate limit, injected faults, request log) with the shared
 * services of `context.ts`, keyed by the action name. `emulator.ts` registers the clouds.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** One cloud's API as the HTTP server sees it. */
export interface CloudApi {
  /** The cloud, as its folder is named, e.g. `tencentcloud`. */
  readonly name: string;
  /** True when `req` is for this cloud's API; decided from the method, URL and headers (the body is not read yet). */
  matches(req: IncomingMessage): boolean;
  /** Serves one request: reads its body, answers it, logs it. Never rejects; every failure becomes that cloud's error answer. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** The cloud APIs one emulator serves. */
export interface CloudDispatch {
  /** Tried in order; the first that matches a request serves it. */
  readonly apis: readonly CloudApi[];
  /** Answers a request no API matches (e.g. one without any cloud's action header). */
  readonly unmatched: CloudApi;
}

/** The cloud API that serves `req`: the first of `dispatch.apis` that matches it, else `dispatch.unmatched`. */
export function cloudApiFor(dispatch: CloudDispatch, req: IncomingMessage): CloudApi {
  return dispatch.apis.find((api) => api.matches(req)) ?? dispatch.unmatched;
}
