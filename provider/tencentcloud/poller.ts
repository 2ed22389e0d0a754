/**
 * One poller per configured provider: every wait in the process subscribes here, and each interval
 * the poller describes all watched activities in batches of up to 100 ids per
 * DescribeRefreshActivities call, notifying a subscriber only when its activity changed (the
 * machinery is `core/poller.ts`).
 */
import type { RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import { SharedPoller, type PollEvent as CorePollEvent, type PollListener as CorePollListener, type PollerOptions } from "../core/poller";
import type { AutoScalingClient } from "./client/client";

export { DEFAULT_POLL_INTERVAL_MS, type PollerOptions } from "../core/poller";

/** Most ids DescribeRefreshActivities accepts in `RefreshActivityIds` (also its largest `Limit`). */
export const MAX_IDS_PER_DESCRIBE = 100;

/** What a subscriber hears: the activity, `undefined` when the API no longer knows it, or an error. */
export type PollEvent = CorePollEvent<RefreshActivity>;
/** A subscriber's callback. */
export type PollListener = CorePollListener<RefreshActivity>;

/**
 * Shared, batching poller of refresh activities.
 * @example
 * const poller = new RefreshPoller(client, { intervalMs: 1000 });
 * const stop = poller.subscribe("asr-12345678", ({ activity }) => console.log(activity?.Status));
 */
export class RefreshPoller extends SharedPoller<RefreshActivity> {
  constructor(client: Pick<AutoScalingClient, "describeRefreshActivities">, options: PollerOptions = {}) {
    super(
      async (chunk) => {
        const response = await client.describeRefreshActivities({ RefreshActivityIds: chunk, Limit: MAX_IDS_PER_DESCRIBE });
        return new Map((response.RefreshActivitySet ?? []).map((a) => [a.RefreshActivityId ?? "", a]));
      },
      MAX_IDS_PER_DESCRIBE,
      options,
    );
  }
}
