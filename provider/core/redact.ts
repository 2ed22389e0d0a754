/**
 * Credentials out of every message: a cloud's client passes its secret and token (masked whole) and
 * its key id (shown by its first 4 characters), and gets the function its errors go through.
 */

/** Characters of a key id left visible. */
export const VISIBLE_KEY_ID_CHARS = 4;
/** Secrets shorter than this are not replaced (they would match ordinary text). */
export const MIN_REDACTED_LENGTH = 4;

/**
 * A function that replaces the credentials in a text.
 * @example credentialRedactor({ id: "AKIDabcdefgh", secrets: ["topsecretkey"] })("AKIDabcdefgh topsecretkey") // "AKID*** ***"
 */
export function credentialRedactor(credentials: { id?: string; secrets: ReadonlyArray<string | undefined> }): (text: string) => string {
  const replacements: Array<[string, string]> = [];
  for (const secret of credentials.secrets) if (secret) replacements.push([secret, "***"]);
  if (credentials.id) replacements.push([credentials.id, `${credentials.id.slice(0, VISIBLE_KEY_ID_CHARS)}***`]);
  return (text) => replacements.reduce((acc, [secret, mask]) => (secret.length >= MIN_REDACTED_LENGTH ? acc.split(secret).join(mask) : acc), text);
}
