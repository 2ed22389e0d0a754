/**
 * Typed decoding of Tencent Cloud JSON request bodies and the `X-TC-Region` check. Every error names the offending field with its full path,
 * e.g. `RefreshSettings.RollingUpdateSettings.BatchNumber` or `Filters.0.Name`:
 * unknown field → UnknownParameter, missing required → MissingParameter, wrong JSON type →
 * InvalidParameter, out of range / not in the enum → InvalidParameterValue.
 * inferred: a JSON `null` counts as "not given" (the SDK strips nulls before sending).
 */
import { ApiError } from "../errors";
import { ErrorCodes } from "./errorCodes";

/** The type of one parameter. */
export type Schema =
  | { readonly kind: "string"; readonly enum?: readonly string[]; readonly maxLength?: number }
  | { readonly kind: "integer"; readonly min?: number; readonly max?: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "array"; readonly items: Schema }
  | { readonly kind: "object"; readonly fields: Fields };

/** A field of an object. */
export interface FieldSpec {
  readonly schema: Schema;
  readonly required?: boolean;
}

/** Fields of an object (or of a whole request). */
export type Fields = Readonly<Record<string, FieldSpec>>;

/** Longest string accepted in any parameter. */
export const MAX_STRING_LENGTH = 4096;

/** Schema helpers. */
export const t = {
  string: (opts: { enum?: readonly string[]; maxLength?: number } = {}): Schema => ({ kind: "string", ...opts }),
  integer: (opts: { min?: number; max?: number } = {}): Schema => ({ kind: "integer", ...opts }),
  boolean: (): Schema => ({ kind: "boolean" }),
  array: (items: Schema): Schema => ({ kind: "array", items }),
  object: (fields: Fields): Schema => ({ kind: "object", fields }),
  req: (schema: Schema): FieldSpec => ({ schema, required: true }),
  opt: (schema: Schema): FieldSpec => ({ schema }),
} as const;

const TYPE_NAMES: Record<Schema["kind"], string> = {
  string: "String",
  integer: "Integer",
  boolean: "Boolean",
  array: "Array",
  object: "Object",
};

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function invalidType(path: string, schema: Schema, value: unknown): ApiError {
  return new ApiError(ErrorCodes.InvalidParameter, `The parameter \`${path}\` must be of type ${TYPE_NAMES[schema.kind]}, got ${jsonType(value)}.`);
}

/** Decodes `value` at `path` against `schema`. */
export function decodeValue(value: unknown, schema: Schema, path: string): unknown {
  switch (schema.kind) {
    case "string": {
      if (typeof value !== "string") throw invalidType(path, schema, value);
      if (value.length > (schema.maxLength ?? MAX_STRING_LENGTH)) {
        throw new ApiError(ErrorCodes.InvalidParameterValue, `The value of parameter \`${path}\` is too long.`);
      }
      if (schema.enum && !schema.enum.includes(value)) {
        throw new ApiError(
          ErrorCodes.InvalidParameterValue,
          `The value of parameter \`${path}\` must be one of ${schema.enum.join(", ")}, got "${value.slice(0, 64)}".`,
        );
      }
      return value;
    }
    case "integer": {
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalidType(path, schema, value);
      if (!Number.isInteger(value)) throw new ApiError(ErrorCodes.InvalidParameter, `The parameter \`${path}\` must be of type Integer, got ${value}.`);
      if (schema.min !== undefined && value < schema.min) {
        throw new ApiError(ErrorCodes.InvalidParameterValue, `The value of parameter \`${path}\` must be >= ${schema.min}, got ${value}.`);
      }
      if (schema.max !== undefined && value > schema.max) {
        throw new ApiError(ErrorCodes.InvalidParameterValue, `The value of parameter \`${path}\` must be <= ${schema.max}, got ${value}.`);
      }
      return value;
    }
    case "boolean":
      if (typeof value !== "boolean") throw invalidType(path, schema, value);
      return value;
    case "array": {
      if (!Array.isArray(value)) throw invalidType(path, schema, value);
      return value.map((item, n) => {
        if (item === null || item === undefined) throw invalidType(`${path}.${n}`, schema.items, item);
        return decodeValue(item, schema.items, `${path}.${n}`);
      });
    }
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidType(path, schema, value);
      return decodeObject(value as Record<string, unknown>, schema.fields, `${path}.`);
    }
  }
}

/** Decodes an object's fields; `prefix` is `""` for the request itself. */
export function decodeObject(obj: Record<string, unknown>, fields: Fields, prefix = ""): Record<string, unknown> {
  for (const key of Object.keys(obj)) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) {
      throw new ApiError(ErrorCodes.UnknownParameter, `The parameter \`${prefix}${key}\` is not recognized.`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (spec.required) throw new ApiError(ErrorCodes.MissingParameter, `The request is missing a required parameter \`${prefix}${key}\`.`);
      continue;
    }
    out[key] = decodeValue(v, spec.schema, `${prefix}${key}`);
  }
  return out;
}

/**
 * The regions Auto Scaling answers in: the public regions of Tencent Cloud API 3.0 (the region lists of
 * the Tencent Cloud SDKs, without retired ones). The emulator's only list of regions; a request whose
 * `X-TC-Region` is not in it gets `UnsupportedRegion`.
 * inferred: the AS docs defer to the product's region list without repeating it.
 */
export const SUPPORTED_REGIONS: ReadonlySet<string> = new Set([
  "ap-bangkok",
  "ap-beijing",
  "ap-beijing-fsi",
  "ap-chengdu",
  "ap-chongqing",
  "ap-guangzhou",
  "ap-hongkong",
  "ap-jakarta",
  "ap-mumbai",
  "ap-nanjing",
  "ap-seoul",
  "ap-shanghai",
  "ap-shanghai-fsi",
  "ap-shenzhen-fsi",
  "ap-singapore",
  "ap-tokyo",
  "eu-frankfurt",
  "na-ashburn",
  "na-siliconvalley",
  "sa-saopaulo",
]);

/**
 * Checks the `X-TC-Region` common parameter: a region outside {@link SUPPORTED_REGIONS} →
 * `UnsupportedRegion` (Tencent's common code: "the API does not support the region passed").
 * inferred: a missing or empty header is accepted (the SDKs always send the client's region).
 * @example checkRegion("xx-nowhere-9") // throws ApiError UnsupportedRegion
 */
export function checkRegion(region: string | undefined): void {
  if (region === undefined || region === "" || SUPPORTED_REGIONS.has(region)) return;
  throw new ApiError(
    ErrorCodes.UnsupportedRegion,
    `The region \`${region.slice(0, 64)}\` is not supported by Auto Scaling; use one of ${[...SUPPORTED_REGIONS].join(", ")}.`,
  );
}

/**
 * Parses a request body: must be a JSON object (an empty body counts as `{}`).
 * Malformed JSON → InvalidParameter.
 */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ApiError(ErrorCodes.InvalidParameter, `The request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(ErrorCodes.InvalidParameter, `The request body must be a JSON object, got ${jsonType(parsed)}.`);
  }
  return parsed as Record<string, unknown>;
}
