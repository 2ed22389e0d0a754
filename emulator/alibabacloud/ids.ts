/** Ids the ESS emulator issues: resource ids (`asg-…`, `i-…`, `ir-…`) and request ids. */
import { randomBytes, randomUUID } from "node:crypto";
import { ID_ALPHABET, ID_FORMATS } from "./inferred";

/** The kinds of resource id, keys of {@link ID_FORMATS}. */
export type IdKind = keyof typeof ID_FORMATS;

/**
 * A fresh id of `kind`, retried until `taken` says it is free.
 * @example newId("instanceRefreshTask") // "ir-k3j9x0ab12cd"
 */
export function newId(kind: IdKind, taken: (id: string) => boolean = () => false): string {
  const { prefix, length } = ID_FORMATS[kind];
  for (;;) {
    const bytes = randomBytes(length);
    let id = prefix;
    for (let i = 0; i < length; i++) id += ID_ALPHABET[bytes[i]! % ID_ALPHABET.length];
    if (!taken(id)) return id;
  }
}

/** Whether `id` looks like an id of `kind` (prefix plus the right number of lowercase alphanumerics). */
export function isIdOf(kind: IdKind, id: string): boolean {
  const { prefix, length } = ID_FORMATS[kind];
  return new RegExp(`^${prefix}[a-z0-9]{${length}}$`).test(id);
}

/**
 * A `RequestId` as Alibaba Cloud writes them: an upper-case UUID.
 * @example newRequestId() // "473469C7-AA6F-4DC5-B3DB-A3DC0DE3F0A1"
 */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}
