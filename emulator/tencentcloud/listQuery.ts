/**
 * What the Describe actions share: `Limit`/`Offset` paging, ids XOR `Filters` with their limits, and
 * one page of matches. Every refusal is an {@link ApiError} with the documented code.
 */
import { ApiError } from "../errors";
import { ErrorCodes } from "./errorCodes";

/** Default `Limit` of the Describe actions. */
export const DEFAULT_LIMIT = 20;
/** Largest `Limit` of the Describe actions. */
export const MAX_LIMIT = 100;
/** At most this many ids per Describe request. */
export const MAX_IDS_PER_REQUEST = 100;
/** At most this many filters per request. */
export const MAX_FILTERS = 10;
/** At most this many values per filter. */
export const MAX_FILTER_VALUES = 5;

/** A `Filter` as sent by the SDK. */
export interface Filter {
  Name: string;
  Values: string[];
}

/** Describe* paging and selection. */
export interface ListInput {
  ids?: string[];
  filters?: Filter[];
  limit?: number;
  offset?: number;
}

/** One page of results plus the total count. */
export interface Page<T> {
  total: number;
  items: T[];
}

/** Checks `Limit` and `Offset` and fills in their defaults. */
export function checkPaging(q: ListInput): { limit: number; offset: number } {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const offset = q.offset ?? 0;
  if (limit > MAX_LIMIT) throw new ApiError(ErrorCodes.ValueLimitExceeded, `Limit must be at most ${MAX_LIMIT}, got ${limit}.`);
  // inferred: Limit 0 or negative is rejected.
  if (limit < 1) throw new ApiError(ErrorCodes.InvalidParameterValue, `Limit must be between 1 and ${MAX_LIMIT}, got ${limit}.`);
  if (offset < 0) throw new ApiError(ErrorCodes.InvalidParameterValue, `Offset must be >= 0, got ${offset}.`);
  return { limit, offset };
}

/** Ids XOR filters, and how many of each; `idsName` is the request's ids parameter. */
export function checkIdsAndFilters(ids: string[], filters: Filter[], idsName: string): void {
  // inferred: an empty list counts as "not given".
  if (ids.length > 0 && filters.length > 0) {
    throw new ApiError(ErrorCodes.InvalidParameterConflict, `${idsName} and Filters cannot be specified at the same time.`);
  }
  if (ids.length > MAX_IDS_PER_REQUEST) {
    throw new ApiError(ErrorCodes.ValueLimitExceeded, `${idsName} accepts at most ${MAX_IDS_PER_REQUEST} ids, got ${ids.length}.`);
  }
  if (filters.length > MAX_FILTERS) {
    throw new ApiError(ErrorCodes.ValueLimitExceeded, `Filters accepts at most ${MAX_FILTERS} filters, got ${filters.length}.`);
  }
}

/** A filter has between 1 and {@link MAX_FILTER_VALUES} values; `where` names it (`Filters.0`). */
export function checkFilterShape(f: Filter, where: string): void {
  if (f.Values.length === 0) throw new ApiError(ErrorCodes.InvalidFilter, `${where}.Values must not be empty.`);
  if (f.Values.length > MAX_FILTER_VALUES) {
    throw new ApiError(ErrorCodes.FilterValuesTooLong, `${where}.Values accepts at most ${MAX_FILTER_VALUES} values, got ${f.Values.length}.`);
  }
}

/** Filters with the same name are ANDed: keep the intersection of their values. */
export function intersectInto(byName: Map<string, Set<string>>, name: string, values: string[]): void {
  const prev = byName.get(name);
  const next = new Set(values);
  byName.set(name, prev ? new Set([...prev].filter((v) => next.has(v))) : next);
}

/**
 * Checks filters that need no value check — each one's shape, and its name among `names` — and
 * ANDs those of the same name: the values allowed by each filter name.
 */
export function filterValuesByName(filters: Filter[], names: readonly string[]): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  for (const [n, f] of filters.entries()) {
    checkFilterShape(f, `Filters.${n}`);
    if (!names.includes(f.Name)) throw new ApiError(ErrorCodes.InvalidFilterName, `Filters.${n}.Name: unsupported filter "${f.Name}".`);
    intersectInto(byName, f.Name, f.Values);
  }
  return byName;
}

/** The page `offset`…`offset + limit` of the candidates that `match`, and how many match in all. */
export function pageOf<T>(candidates: Iterable<T>, match: (x: T) => boolean, offset: number, limit: number): Page<T> {
  const items: T[] = [];
  let total = 0;
  for (const c of candidates) {
    if (!match(c)) continue;
    if (total >= offset && items.length < limit) items.push(c);
    total++;
  }
  return { total, items };
}
