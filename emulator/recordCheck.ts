/**
 * Checks a record read from a state file against the fields a model reads: each field's type (or
 * enum), nested objects and lists of records included. Every problem names the field by its path,
 * e.g. `field "settings.RollingUpdateSettings.BatchNumber" is missing (expected integer)`.
 */

/** The type of one field of a record. */
export type FieldType =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "string[]"
  | "integer|null"
  | "number|null"
  | "string|null"
  | { readonly enum: readonly string[]; readonly nullable?: boolean }
  | { readonly object: RecordSpec; readonly nullable?: boolean }
  | { readonly list: RecordSpec }
  /** A field files written before it existed lack: absent is fine, present must fit `optional`. */
  | { readonly optional: FieldType };
/** The fields of a record. */
export type RecordSpec = Readonly<Record<string, FieldType>>;

function typeName(type: FieldType): string {
  if (typeof type === "string") return type.replace("|", " or ");
  if ("enum" in type) return `one of ${type.enum.join(", ")}${type.nullable ? " or null" : ""}`;
  if ("object" in type) return `an object${type.nullable ? " or null" : ""}`;
  if ("optional" in type) return typeName(type.optional);
  return "a list of records";
}

/** Why `value` does not fit `type` (`undefined` when it does); `path` names the field. */
function fieldProblem(value: unknown, type: FieldType, path: string): string | undefined {
  if (typeof type === "object" && "optional" in type) return value === undefined ? undefined : fieldProblem(value, type.optional, path);
  if (value === undefined) return `field "${path}" is missing (expected ${typeName(type)})`;
  if (value === null && typeof type === "object" && "object" in type && type.nullable === true) return undefined;
  const ok = (() => {
    if (typeof type !== "string") {
      if ("enum" in type) return (type.nullable === true && value === null) || (typeof value === "string" && type.enum.includes(value));
      return true; // objects and lists are checked field by field below
    }
    switch (type) {
      case "string":
        return typeof value === "string";
      case "integer":
        return Number.isInteger(value);
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      case "boolean":
        return typeof value === "boolean";
      case "string[]":
        return Array.isArray(value) && value.every((v) => typeof v === "string");
      case "integer|null":
        return value === null || Number.isInteger(value);
      case "number|null":
        return value === null || (typeof value === "number" && Number.isFinite(value));
      case "string|null":
        return value === null || typeof value === "string";
    }
  })();
  if (!ok) return `field "${path}" must be ${typeName(type)}, got ${JSON.stringify(value)?.slice(0, 64)}`;
  if (typeof type === "object" && "object" in type) return recordProblem(value, type.object, `${path}.`);
  if (typeof type === "object" && "list" in type) {
    if (!Array.isArray(value)) return `field "${path}" must be ${typeName(type)}, got ${JSON.stringify(value)?.slice(0, 64)}`;
    for (let n = 0; n < value.length; n++) {
      const problem = recordProblem(value[n], type.list, `${path}.${n}.`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The first problem of a record against `spec`, or `undefined`; `prefix` is the path of nested records. */
export function recordProblem(record: unknown, spec: RecordSpec, prefix = ""): string | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return prefix === "" ? "the record is not an object" : `field "${prefix.slice(0, -1)}" must be an object`;
  }
  for (const [field, type] of Object.entries(spec)) {
    const problem = fieldProblem((record as Record<string, unknown>)[field], type, `${prefix}${field}`);
    if (problem) return problem;
  }
  return undefined;
}

/** How a record is named in messages: `activities[3] (asr-y67t5r4e)`. */
export function recordName(list: string, index: number, record: unknown): string {
  const id = typeof record === "object" && record !== null ? (record as { id?: unknown }).id : undefined;
  return `${list}[${index}]${typeof id === "string" ? ` (${id})` : ""}`;
}
