/**
 * `check` and `diff` for every cloud: pure functions over inputs and old outputs, no API call. A
 * cloud gives its {@link InputSchema} (which keys replace, which update, how to validate and
 * normalize) and a forecast of what `up` does from the recorded status; the skeleton is here.
 */
import type { PortViolation } from "./port";

/** The engine's placeholder for values not known during a preview (`unknownValue` of `@pulumi/pulumi/runtime/rpc`). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine-owned input holding the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** True for the engine's unknown placeholder. */
export const isUnknown = (value: unknown): boolean => value === UNKNOWN_VALUE;

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The inputs without engine-owned keys (`__provider`). */
export function userInputs(inputs: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs ?? {}).filter(([k]) => !k.startsWith("__")));
}

/** One check failure as the engine prints it; the reason names the property so it stands alone. */
export function toFailure(v: PortViolation): { property: string; reason: string } {
  return { property: v.property, reason: `${v.property} ${v.reason}` };
}

/** JSON with sorted keys: equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

const same = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);

/** A cloud's inputs, as check and diff need them. */
export interface InputSchema<I> {
  /** Inputs whose change starts a new refresh (replace, delete before create: one refresh per group). */
  readonly replaceKeys: readonly string[];
  /** Inputs changed in place. */
  readonly updateKeys: readonly string[];
  /** The group input (its absence in the old inputs means a create), the adoption and the rollback inputs. */
  readonly groupKey: string;
  readonly adoptKey: string;
  readonly rollbackKey: string;
  /** Every violation of plain inputs; values `isUnknown` recognizes are skipped. */
  validate(plain: Record<string, unknown>, options: { isUnknown: (value: unknown) => boolean }): PortViolation[];
  /** Valid inputs with every default filled in. */
  normalize(plain: Record<string, unknown>): I;
}

/** What `up` will do, forecast from the recorded outputs: whether it has anything to do, and why a rollback is refused. */
export interface StatusForecast {
  readonly changes: boolean;
  readonly refusedRollback?: string;
}

/** The result of a diff. */
export interface DiffOutcome {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

/** The check failure of a new resource with `rollback: true` and nothing adopted: nothing to roll back. */
export function rollbackOnCreate(schema: Pick<InputSchema<unknown>, "rollbackKey" | "adoptKey">): { property: string; reason: string } {
  return {
    property: schema.rollbackKey,
    reason:
      `${schema.rollbackKey}: true needs a refresh to roll back, and a new resource starts one. Set it on an existing resource ` +
      `(its next \`pulumi up\` rolls it back), or with ${schema.adoptKey} to roll back a refresh started elsewhere.`,
  };
}

/** The input properties of a property bag that may also hold outputs. */
export function pickInputs(schema: InputSchema<unknown>, props: Record<string, unknown> | undefined): Record<string, unknown> {
  const keys = [...schema.replaceKeys, ...schema.updateKeys];
  return Object.fromEntries(Object.entries(props ?? {}).filter(([k]) => keys.includes(k)));
}

/** Normalized inputs of a property bag (inputs or outputs), or undefined when they are not valid and known. */
export function tryNormalizeWith<I>(schema: InputSchema<I>, props: Record<string, unknown> | undefined): I | undefined {
  const inputsOnly = pickInputs(schema, props);
  if (containsUnknown(inputsOnly) || schema.validate(inputsOnly, { isUnknown: () => false }).length > 0) return undefined;
  return schema.normalize(inputsOnly);
}

/**
 * check: validates every input (unknown values skipped) and returns them normalized, defaults
 * filled in, so that state is canonical and equal intents compare equal.
 */
export function checkWith<I>(
  schema: InputSchema<I>,
  news: Record<string, unknown>,
  olds: Record<string, unknown> = {},
): { inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> } {
  const plain = userInputs(news);
  const failures = schema.validate(plain, { isUnknown }).map(toFailure);
  const creating = userInputs(olds)[schema.groupKey] === undefined;
  if (creating && plain[schema.rollbackKey] === true && plain[schema.adoptKey] === undefined) failures.push(rollbackOnCreate(schema));
  if (failures.length > 0 || containsUnknown(plain)) return { inputs: news, failures };
  const normalized = schema.normalize(plain) as Record<string, unknown>;
  return { inputs: { ...normalized, ...(news[PROVIDER_KEY] !== undefined ? { [PROVIDER_KEY]: news[PROVIDER_KEY] } : {}) }, failures: [] };
}

/**
 * diff: a replace key changed → replace, delete first (setting the adoption to the resource's own
 * id, or removing it after the adoption, is no change); an update key changed → update in place,
 * with `changes` undefined so the engine shows per-property diffs; nothing but `__provider` changed
 * → no change; inputs unchanged but the recorded status calls for a pause, resume, rollback or wait
 * → update (`changes: true`), so `pulumi up` converges like a controller. A rollback that the
 * recorded state refuses fails the preview, naming the input; so does a replacement with `rollback: true`.
 */
export function diffWith<I>(
  schema: InputSchema<I>,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  forecast: (olds: Record<string, unknown>, desired: I) => StatusForecast,
): DiffOutcome {
  const oldInputs = (tryNormalizeWith(schema, olds) ?? userInputs(olds)) as Record<string, unknown>;
  const newPlain = userInputs(news);
  const known = !containsUnknown(newPlain);
  const newInputs = (known ? (tryNormalizeWith(schema, news) ?? newPlain) : newPlain) as Record<string, unknown>;
  const adopt = schema.adoptKey;

  const replaces = schema.replaceKeys.filter((key) =>
    key === adopt ? (oldInputs[key] ?? id) !== (newInputs[key] ?? id) : !same(oldInputs[key], newInputs[key]),
  );
  const rollback = newInputs[schema.rollbackKey] === true;
  if (replaces.length > 0) {
    if (rollback && newInputs[adopt] === undefined) throw new Error(`${rollbackOnCreate(schema).reason} (Changed: ${replaces.join(", ")}.)`);
    return { changes: undefined, replaces: [...replaces], deleteBeforeReplace: true };
  }
  const status = known ? forecast(olds, newInputs as I) : undefined;
  if (rollback && status?.refusedRollback) {
    const group = typeof olds[schema.groupKey] === "string" ? ` on ${String(olds[schema.groupKey])}` : "";
    throw new Error(
      `${schema.rollbackKey}: refresh ${id}${group} cannot be rolled back: ${status.refusedRollback} (status in state; run \`pulumi refresh\` if it may have changed). Nothing was rolled back; set ${schema.rollbackKey}: false.`,
    );
  }
  if (schema.updateKeys.some((key) => !same(oldInputs[key], newInputs[key]))) return { changes: undefined };
  return { changes: status?.changes ?? false };
}
