/**
 * NextToken paging of DescribeInstanceRefreshes. A token is a cursor, not an offset, so tasks
 * created between two pages neither repeat nor vanish: 32 hex characters (like the API's example
 * `caeba0bbb2be03f84eb48b699f0a****`) holding the sequence number of the last task returned and a
 * hash of the query, so that a token is refused by a different query.
 */
import { createHash } from "node:crypto";
import { invalidParameter } from "./errors";

/** Bytes of the cursor (a sequence number). */
const CURSOR_BYTES = 6;
/** Bytes of the query hash. */
const QUERY_HASH_BYTES = 10;
/** Hex characters of a token. */
export const NEXT_TOKEN_LENGTH = (CURSOR_BYTES + QUERY_HASH_BYTES) * 2;

function queryHash(queryKey: string): Buffer {
  return createHash("sha256").update(queryKey).digest().subarray(0, QUERY_HASH_BYTES);
}

/** The token that continues `queryKey` after the item with sequence number `seq`. */
export function encodeNextToken(seq: number, queryKey: string): string {
  const buf = Buffer.alloc(CURSOR_BYTES + QUERY_HASH_BYTES);
  buf.writeUIntBE(seq, 0, CURSOR_BYTES);
  queryHash(queryKey).copy(buf, CURSOR_BYTES);
  return buf.toString("hex");
}

/** The sequence number a token continues after; `InvalidParameter` when it is malformed or from another query. */
export function decodeNextToken(token: string, queryKey: string): number {
  if (!new RegExp(`^[0-9a-f]{${NEXT_TOKEN_LENGTH}}$`).test(token)) throw invalidParameter("NextToken", "not a token this API returned.");
  const buf = Buffer.from(token, "hex");
  if (!buf.subarray(CURSOR_BYTES).equals(queryHash(queryKey))) throw invalidParameter("NextToken", "the token belongs to a different query.");
  return buf.readUIntBE(0, CURSOR_BYTES);
}

/** One page of a newest-first list of items with sequence numbers. */
export interface CursorPage<T> {
  /** The page's items. */
  items: T[];
  /** The token of the next page, `""` on the last one. */
  nextToken: string;
}

/**
 * The page of `all` (sorted by descending `seq`) after the cursor `after` (or from the start),
 * at most `max` items.
 */
export function cursorPage<T extends { seq: number }>(all: readonly T[], max: number, queryKey: string, after: number | null): CursorPage<T> {
  const rest = after === null ? all : all.filter((t) => t.seq < after);
  const items = rest.slice(0, max);
  const nextToken = rest.length > max ? encodeNextToken(items[items.length - 1]!.seq, queryKey) : "";
  return { items, nextToken };
}
