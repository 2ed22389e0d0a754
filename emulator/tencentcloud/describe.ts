/**
 * The Describe actions of the cloud API — DescribeRefreshActivities, DescribeAutoScalingGroups and
 * DescribeAutoScalingInstances — with their filters; paging and the shared rules are in
 * `listQuery.ts`. Candidates come from an index when the query allows.
 */
import { ApiError } from "../errors";
import { ErrorCodes } from "./errorCodes";
import {
  checkFilterShape,
  checkIdsAndFilters,
  checkPaging,
  filterValuesByName,
  intersectInto,
  pageOf,
  type ListInput,
  type Page,
} from "./listQuery";
import type { RefreshModel } from "./model";
import { GROUP_ID_PATTERN } from "./resourceIds";
import type { ActivityRecord, GroupRecord, InstanceRecord } from "./types";

/** Values of the `refresh-activity-status-code` filter. */
const ACTIVITY_STATUSES: ReadonlySet<string> = new Set([
  "INIT", "RUNNING", "SUCCESSFUL", "FAILED_PAUSE", "AUTO_PAUSE", "MANUAL_PAUSE", "CANCELLED", "FAILED",
]);
/** Values of the `refresh-activity-type` filter. */
const ACTIVITY_TYPES: ReadonlySet<string> = new Set(["NORMAL", "ROLLBACK"]);

function* reversed<T>(list: readonly T[]): Iterable<T> {
  for (let i = list.length - 1; i >= 0; i--) yield list[i]!;
}

function newestFirst(a: ActivityRecord, b: ActivityRecord): number {
  return b.seq - a.seq;
}

/** DescribeRefreshActivities: ids XOR filters, newest first. */
export function describeRefreshActivities(model: RefreshModel, q: ListInput): Page<ActivityRecord> {
  model.sync();
  const { limit, offset } = checkPaging(q);
  const ids = q.ids ?? [];
  const filters = q.filters ?? [];
  checkIdsAndFilters(ids, filters, "RefreshActivityIds");
  const byName = new Map<string, Set<string>>();
  for (const [n, f] of filters.entries()) {
    const where = `Filters.${n}`;
    checkFilterShape(f, where);
    switch (f.Name) {
      case "auto-scaling-group-id":
        for (const v of f.Values) {
          if (!GROUP_ID_PATTERN.test(v)) throw new ApiError(ErrorCodes.InvalidAutoScalingGroupId, `${where}.Values: invalid scaling group id "${v}".`);
        }
        break;
      case "refresh-activity-status-code":
        for (const v of f.Values) {
          // inferred: unknown status values are rejected rather than matching nothing.
          if (!ACTIVITY_STATUSES.has(v)) throw new ApiError(ErrorCodes.InvalidFilter, `${where}.Values: unknown refresh activity status "${v}".`);
        }
        break;
      case "refresh-activity-type":
        for (const v of f.Values) {
          if (!ACTIVITY_TYPES.has(v)) throw new ApiError(ErrorCodes.InvalidFilter, `${where}.Values: unknown refresh activity type "${v}".`);
        }
        break;
      case "refresh-activity-id":
        break;
      default:
        throw new ApiError(ErrorCodes.InvalidFilterName, `${where}.Name: unsupported filter "${f.Name}".`);
    }
    intersectInto(byName, f.Name, f.Values);
  }
  // Candidates come from an index when possible; sorted newest first.
  const st = model.state;
  let candidates: Iterable<ActivityRecord>;
  const groupIds = byName.get("auto-scaling-group-id");
  const activityIds = ids.length > 0 ? new Set(ids) : byName.get("refresh-activity-id");
  if (activityIds) {
    candidates = [...activityIds].map((id) => st.activities.get(id)).filter((a): a is ActivityRecord => !!a).sort(newestFirst);
  } else if (groupIds) {
    const lists = [...groupIds].map((g) => st.activitiesByGroup.get(g) ?? []);
    candidates = lists.length === 1 ? reversed(lists[0]!) : lists.flat().sort(newestFirst);
  } else {
    candidates = reversed(st.activityOrder);
  }
  const statuses = byName.get("refresh-activity-status-code");
  const types = byName.get("refresh-activity-type");
  const match = (a: ActivityRecord): boolean =>
    (!groupIds || groupIds.has(a.groupId)) &&
    (!activityIds || activityIds.has(a.id)) &&
    (!statuses || statuses.has(a.status)) &&
    (!types || types.has(a.type));
  const page = pageOf(candidates, match, offset, limit);
  model.described(page.items);
  return page;
}

/** DescribeAutoScalingGroups (ids or `auto-scaling-group-id` / `auto-scaling-group-name` filters). */
export function describeAutoScalingGroups(model: RefreshModel, q: ListInput): Page<GroupRecord> {
  model.sync();
  const { limit, offset } = checkPaging(q);
  const ids = q.ids ?? [];
  const filters = q.filters ?? [];
  checkIdsAndFilters(ids, filters, "AutoScalingGroupIds");
  const byName = filterValuesByName(filters, ["auto-scaling-group-id", "auto-scaling-group-name"]);
  const st = model.state;
  const wanted = ids.length > 0 ? new Set(ids) : byName.get("auto-scaling-group-id");
  const names = byName.get("auto-scaling-group-name");
  const candidates: Iterable<GroupRecord> = wanted
    ? [...wanted].map((id) => st.groups.get(id)).filter((g): g is GroupRecord => !!g)
    : st.groups.values();
  return pageOf(candidates, (g) => (!wanted || wanted.has(g.id)) && (!names || names.has(g.name)), offset, limit);
}

/** DescribeAutoScalingInstances (ids or `instance-id` / `auto-scaling-group-id` filters). */
export function describeAutoScalingInstances(model: RefreshModel, q: ListInput): Page<InstanceRecord> {
  model.sync();
  const { limit, offset } = checkPaging(q);
  const ids = q.ids ?? [];
  const filters = q.filters ?? [];
  checkIdsAndFilters(ids, filters, "InstanceIds");
  const byName = filterValuesByName(filters, ["auto-scaling-group-id", "instance-id"]);
  const st = model.state;
  const wanted = ids.length > 0 ? new Set(ids) : byName.get("instance-id");
  const groupIds = byName.get("auto-scaling-group-id");
  let candidates: Iterable<InstanceRecord>;
  if (wanted) candidates = [...wanted].map((id) => st.instances.get(id)).filter((i): i is InstanceRecord => !!i);
  else if (groupIds) candidates = [...groupIds].flatMap((g) => (st.groups.get(g)?.instanceIds ?? []).map((id) => st.instances.get(id)!));
  else candidates = st.instances.values();
  return pageOf(candidates, (i) => (!wanted || wanted.has(i.id)) && (!groupIds || groupIds.has(i.groupId)), offset, limit);
}
