/** Resource id generation: a prefix plus 8 random lowercase alphanumerics (each cloud names its prefixes). */
import { randomBytes } from "node:crypto";

/** Characters used after the prefix. */
const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** Characters after the prefix. */
export const ID_SUFFIX_LENGTH = 8;

/** Pattern of a well-formed id with the given prefix, e.g. `^asg-[a-z0-9]{8}$`. */
export function idPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}[a-z0-9]{${ID_SUFFIX_LENGTH}}$`);
}

/**
 * A fresh id with `prefix`, retried until `taken` says it is free.
 * @example newId("asr-") // "asr-k3j9x0ab"
 */
export function newId(prefix: string, taken: (id: string) => boolean = () => false): string {
  for (;;) {
    const bytes = randomBytes(ID_SUFFIX_LENGTH);
    let id = prefix;
    for (let i = 0; i < ID_SUFFIX_LENGTH; i++) id += ID_ALPHABET[bytes[i]! % ID_ALPHABET.length];
    if (!taken(id)) return id;
  }
}
