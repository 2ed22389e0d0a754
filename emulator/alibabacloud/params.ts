/**
 * Typed reading of an RPC request's flattened parameters (`RegionId`, `DesiredConfiguration.ImageId`,
 * `Checkpoints.1.Percentage`, `InstanceRefreshTaskIds.2`), as the SDK sends them: every value a
 * string, lists 1-based. Each refusal is `MissingParameter` or `InvalidParameter` naming the full
 * parameter name.
 */
import { invalidParameter, missingParameter } from "./errors";
import { MAX_LIST_ITEMS } from "./inferred";

/** Options of {@link Params.string}. */
export interface StringRule {
  /** Refuse a missing or empty value with `MissingParameter`. */
  required?: boolean;
  /** Longest accepted value, in characters. */
  maxLength?: number;
  /** Shortest accepted value, in characters (checked only when present). */
  minLength?: number;
  /** The value must match it. */
  pattern?: RegExp;
  /** Says what `pattern` means in the error message. */
  patternHint?: string;
  /** The value must be one of these. */
  oneOf?: readonly string[];
}

/** Options of {@link Params.integer}. */
export interface IntegerRule {
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value. */
  max: number;
  /** Refuse a missing value with `MissingParameter`. */
  required?: boolean;
}

const INTEGER_RE = /^-?\d{1,15}$/;
const INDEX_RE = /^[1-9]\d{0,5}$/;

/** The business parameters of one request (protocol parameters removed). */
export class Params {
  /** @param map decoded parameters, one value per name */
  constructor(private readonly map: ReadonlyMap<string, string>) {}

  /** Every parameter name. */
  names(): string[] {
    return [...this.map.keys()];
  }

  /** Whether `name` is present (even empty). */
  has(name: string): boolean {
    return this.map.has(name);
  }

  /** Whether any parameter is `prefix` itself or starts with `prefix.`. */
  hasAny(prefix: string): boolean {
    for (const k of this.map.keys()) if (k === prefix || k.startsWith(`${prefix}.`)) return true;
    return false;
  }

  /** A string parameter; an empty value counts as absent. */
  string(name: string, rule: StringRule & { required: true }): string;
  /** A string parameter; an empty value counts as absent. */
  string(name: string, rule?: StringRule): string | undefined;
  string(name: string, rule: StringRule = {}): string | undefined {
    const v = this.map.get(name);
    if (v === undefined || v === "") {
      if (rule.required) throw missingParameter(name);
      return undefined;
    }
    if (rule.maxLength !== undefined && v.length > rule.maxLength) throw invalidParameter(name, `at most ${rule.maxLength} characters.`);
    if (rule.minLength !== undefined && v.length < rule.minLength) throw invalidParameter(name, `at least ${rule.minLength} characters.`);
    if (rule.pattern && !rule.pattern.test(v)) throw invalidParameter(name, rule.patternHint ?? `must match ${rule.pattern.source}.`);
    if (rule.oneOf && !rule.oneOf.includes(v)) throw invalidParameter(name, `must be one of ${rule.oneOf.join(", ")}.`);
    return v;
  }

  /** An integer parameter within `[min, max]`. */
  integer(name: string, rule: IntegerRule): number | undefined {
    const v = this.map.get(name);
    if (v === undefined) {
      if (rule.required) throw missingParameter(name);
      return undefined;
    }
    if (!INTEGER_RE.test(v)) throw invalidParameter(name, "must be an integer.");
    const n = Number(v);
    if (n < rule.min || n > rule.max) throw invalidParameter(name, `must be between ${rule.min} and ${rule.max}.`);
    return n;
  }

  /** A boolean parameter: `true` or `false` (as the SDK writes booleans). */
  boolean(name: string): boolean | undefined {
    const v = this.map.get(name);
    if (v === undefined) return undefined;
    if (v !== "true" && v !== "false") throw invalidParameter(name, "must be true or false.");
    return v === "true";
  }

  /**
   * How many items the list `prefix` has (`prefix.1…`, `prefix.1.Sub…`): indexes must run 1..N
   * without gaps, N ≤ `max`.
   */
  listLength(prefix: string, max: number = MAX_LIST_ITEMS): number {
    const indexes = new Set<number>();
    for (const k of this.map.keys()) {
      if (k === prefix) throw invalidParameter(prefix, `a list is sent as ${prefix}.1, ${prefix}.2, ….`);
      if (!k.startsWith(`${prefix}.`)) continue;
      const segment = k.slice(prefix.length + 1).split(".")[0]!;
      if (!INDEX_RE.test(segment)) throw invalidParameter(k, "list indexes are integers from 1.");
      indexes.add(Number(segment));
    }
    const n = indexes.size;
    for (let i = 1; i <= n; i++) if (!indexes.has(i)) throw invalidParameter(`${prefix}.${i}`, "list indexes must run from 1 without gaps.");
    if (n > max) throw invalidParameter(prefix, `at most ${max} items.`);
    return n;
  }

  /** The string list `prefix.1…prefix.N`, each item checked with `rule`. */
  stringList(prefix: string, rule: StringRule = {}, max: number = MAX_LIST_ITEMS): string[] {
    const n = this.listLength(prefix, max);
    const out: string[] = [];
    for (let i = 1; i <= n; i++) out.push(this.string(`${prefix}.${i}`, { ...rule, required: true }));
    return out;
  }
}
