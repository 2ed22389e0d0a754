/**
 * The retry strategy of the Tencent Cloud client: the cloud-neutral {@link CoreRetryStrategy} with
 * {@link classifyForRetry}, which retries {@link TencentCloudApiError}s by their code's kind
 * (`RequestLimitExceeded*` as throttling; `InternalError*`, HTTP 5xx and transport errors as transient).
 */
import { RetryStrategy as CoreRetryStrategy, type RetryClassification, type RetryClassify, type RetryOptions as CoreRetryOptions } from "../../core/retry";
import { TencentCloudApiError } from "./errors";

export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_BASE_DELAY_MS,
  THROTTLING_BASE_DELAY_MS,
  MAX_DELAY_MS,
  INITIAL_RETRY_TOKENS,
  RETRY_COST,
  TIMEOUT_RETRY_COST,
  NO_RETRY_INCREMENT,
  RetryQuota,
  backoffDelay,
  realSleep,
  type Random,
  type Sleep,
} from "../../core/retry";

/**
 * Retry classification of whatever a call threw: API errors by their kind, anything else (a bug)
 * as a client error, never retried.
 * @example classifyForRetry(new TencentCloudApiError({ action: "DescribeRefreshActivities", code: "RequestLimitExceeded", message: "" })) // { kind: "throttling", timedOut: false }
 */
export const classifyForRetry: RetryClassify = (error: unknown): RetryClassification =>
  error instanceof TencentCloudApiError ? { kind: error.kind, timedOut: error.timedOut } : { kind: "client" };

/** Options of {@link RetryStrategy}; every field is optional (`classify` defaults to {@link classifyForRetry}). */
export type RetryOptions = Omit<CoreRetryOptions<TencentCloudApiError>, "classify"> & { readonly classify?: RetryClassify };

/**
 * Runs idempotent calls, retrying throttling and transient {@link TencentCloudApiError}s.
 * @example
 * const retry = new RetryStrategy({ sleep: async () => {}, random: () => 0.5 });
 * await retry.run(() => client.describeRefreshActivities({ RefreshActivityIds: ["asr-12345678"] }));
 */
export class RetryStrategy extends CoreRetryStrategy<TencentCloudApiError> {
  constructor(options: RetryOptions = {}) {
    super({ ...options, classify: options.classify ?? classifyForRetry });
  }
}
