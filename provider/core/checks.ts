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

/** One bad input: its dotted property path and why, in words a user can act on. */
export interface InputViolation {
  property: string;
  reason: string;
}

/** The collector of one validation run: see {@link inputChecker}. */
export interface InputChecker {
  /** Every violation reported so far, in order. */
  readonly violations: InputViolation[];
  /** Records a violation of `property`. */
  report(property: string, reason: string): void;
  /** Checks one value with `rule`; a missing value is a violation only when `required`. Unknown values (preview) pass. */
  check(value: unknown, property: string, rule: Check, required?: boolean): void;
  /**
   * Checks an object-valued input (the inputs themselves when `property` is ""): its type, and that
   * its keys are those `knownKeys[property]` lists (keys starting with `__` are the engine's, e.g.
   * `__provider`). Returns the object when there is one to look into.
   */
  object(value: unknown, property: string, required: boolean): Record<string, unknown> | undefined;
}

/**
 * Starts one validation run over a resource's inputs, whose objects may hold only the keys in
 * `knownKeys` (by property path; "" for the inputs themselves).
 * @example
 * const c = inputChecker({ "": ["size"] });
 * const root = c.object({ size: 0, colour: "red" }, "", true);
 * c.check(root?.size, "size", integerIn(1, 9), true);
 * c.violations // [{ property: "colour", reason: "is not a known property; expected one of size" }, { property: "size", reason: "must be an integer from 1 to 9; got 0" }]
 */
export function inputChecker(knownKeys: Readonly<Record<string, readonly string[]>>, isUnknown: (value: unknown) => boolean = () => false): InputChecker {
  const violations: InputViolation[] = [];
  const report = (property: string, reason: string) => void violations.push({ property, reason });
  return {
    violations,
    report,
    check(value, property, rule, required = false) {
      if (isUnknown(value)) return;
      if (value === undefined || value === null) {
        if (required) report(property, "is required");
        return;
      }
      const reason = rule(value);
      if (reason) report(property, reason);
    },
    object(value, property, required) {
      const name = property || "inputs";
      if (isUnknown(value)) return undefined;
      if (value === undefined || value === null) {
        if (required) report(name, "is required");
        return undefined;
      }
      if (!isObject(value)) {
        report(name, `must be an object; got ${describeValue(value)}`);
        return undefined;
      }
      const allowed = knownKeys[property] ?? [];
      for (const key of Object.keys(value)) {
        if (key.startsWith("__") || allowed.includes(key)) continue;
        report(property ? `${property}.${key}` : key, `is not a known property; expected one of ${allowed.join(", ")}`);
      }
      return value;
    },
  };
}
