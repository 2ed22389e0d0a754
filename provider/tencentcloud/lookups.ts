/**
 * The provider's per-resource reads, coalesced across resources (see `core/batcher.ts`): activities by
 * id (up to 100 per DescribeRefreshActivities), groups by id (up to 100 per
 * DescribeAutoScalingGroups) and the refreshes in flight on a group (up to 5 groups per filtered
 * DescribeRefreshActivities, the API's limit of values per filter).
 */
import type { AutoScalingGroup, RefreshActivity } from "tencentcloud-sdk-nodejs/tencentcloud/services/as/v20180419/as_models";
import type { AutoScalingClient } from "./client/client";
import { NON_TERMINAL_STATUSES } from "./activity";
import { Batcher } from "../core/batcher";
import type { RateLimiter } from "../core/rateLimit";

/** Most ids one DescribeRefreshActivities or DescribeAutoScalingGroups takes (also their largest `Limit`). */
export const PAGE_SIZE = 100;
/** Most pages read when listing (2,000 instances or activities at most). */
export const MAX_PAGES = 20;
/** Most values of one filter of DescribeRefreshActivities. */
export const MAX_FILTER_VALUES = 5;

/** Coalesced reads of one region. */
export interface Lookups {
  /** A refresh activity by id. */
  readonly activity: Batcher<string, RefreshActivity>;
  /** A scaling group by id. */
  readonly group: Batcher<string, AutoScalingGroup>;
  /** The non-terminal refresh activities of a group (an empty list when none). */
  readonly inFlight: Batcher<string, RefreshActivity[]>;
}

type Client = Pick<AutoScalingClient, "describeRefreshActivities" | "describeAutoScalingGroups">;

/**
 * Builds the lookups over one client. With the client's `limiter`, a batch also waits for its
 * action's next free slot, gathering the keys that arrive meanwhile: the busier the action, the
 * larger its batches.
 * @example const { id } = (await createLookups(client).activity.load("asr-12345678")) ?? {};
 */
export function createLookups(client: Client, limiter?: Pick<RateLimiter, "idle">): Lookups {
  const whenIdle = (action: string) => (limiter ? () => limiter.idle(action) : undefined);
  return {
    activity: new Batcher(async (ids) => {
      const response = await client.describeRefreshActivities({ RefreshActivityIds: ids, Limit: PAGE_SIZE });
      return new Map((response.RefreshActivitySet ?? []).map((a) => [a.RefreshActivityId ?? "", a]));
    }, { maxBatch: PAGE_SIZE, whenReady: whenIdle("DescribeRefreshActivities") }),

    group: new Batcher(async (ids) => {
      const response = await client.describeAutoScalingGroups({ AutoScalingGroupIds: ids, Limit: PAGE_SIZE });
      return new Map((response.AutoScalingGroupSet ?? []).map((g) => [g.AutoScalingGroupId ?? "", g]));
    }, { maxBatch: PAGE_SIZE, whenReady: whenIdle("DescribeAutoScalingGroups") }),

    inFlight: new Batcher(async (groupIds) => {
      const found = new Map<string, RefreshActivity[]>(groupIds.map((id) => [id, []]));
      const Filters = [
        { Name: "auto-scaling-group-id", Values: groupIds },
        { Name: "refresh-activity-status-code", Values: [...NON_TERMINAL_STATUSES] },
      ];
      for (let page = 0, seen = 0; page < MAX_PAGES; page++) {
        const response = await client.describeRefreshActivities({ Filters, Limit: PAGE_SIZE, Offset: page * PAGE_SIZE });
        const set = response.RefreshActivitySet ?? [];
        for (const a of set) found.get(a.AutoScalingGroupId ?? "")?.push(a);
        seen += set.length;
        if (set.length < PAGE_SIZE || seen >= (response.TotalCount ?? 0)) break;
      }
      return found;
    }, { maxBatch: MAX_FILTER_VALUES, whenReady: whenIdle("DescribeRefreshActivities") }),
  };
}
