/**
 * The value checks every cloud's input validation is built from: each returns why a value is
 * wrong, in words a user can act on (naming the allowed values and what was given), or undefined.
 * Pure functions.
 */

/** A check of one value: the reason it is wrong, or undefined. */
export type Check = (value: unknown) => string | undefined;

/**
 * A value as messages show it.
 * @example describeValue("x") // '"x"'; describeValue({}) // "a object"
 */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
};

/** One of `allowed`. @example oneOf(["A", "B"])("C") // 'must be one of A, B; got "C"' */
export const oneOf =
  (allowed: readonly string[]): Check =>
  (value) =>
    typeof value === "string" && allowed.includes(value) ? undefined : `must be one of ${allowed.join(", ")}; got ${describeValue(value)}`;

/** An integer from `min` to `max`. @example integerIn(1, 5)(0) // "must be an integer from 1 to 5; got 0" */
export const integerIn =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? undefined : `must be an integer from ${min} to ${max}; got ${describeValue(value)}`;

/** A string matching `pattern`, shown with an example. @example matches(/^a-\d$/, "a-1")("b") // 'must look like "a-1" (^a-\d$); got "b"' */
export const matches =
  (pattern: RegExp, example: string): Check =>
  (value) =>
    typeof value === "string" && pattern.test(value) ? undefined : `must look like "${example}" (${pattern.source}); got ${describeValue(value)}`;

/** true or false. */
export const isBoolean: Check = (value) => (typeof value === "boolean" ? undefined : `must be true or false; got ${describeValue(value)}`);

/** A string with at least one character. */
export const nonEmptyString: Check = (value) => (typeof value === "string" && value.length > 0 ? undefined : `must be a non-empty string; got ${describeValue(value)}`);

/** A plain object (not null, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
