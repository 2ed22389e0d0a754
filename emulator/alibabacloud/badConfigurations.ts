/**
 * ESS's versions for the health endpoint (`../health.ts`): the configurations instances run, and
 * those marked bad. Every instance already carries the configuration it was created from
 * (`InstanceRecord.config`): a refresh wave replaces instances with ones of the task's target
 * configuration (its `DesiredConfiguration`), a rollback wave with ones of the previous
 * configuration. The admin API marks configurations bad by one or more of their members
 * ({@link BadConfiguration}); an InService instance whose configuration has every member a mark
 * gives is unhealthy.
 */
import { summarizeHealth, type GroupHealthReport } from "../health";
import { EssAdminError } from "./errors";
import type { InstanceConfig, InstanceRecord } from "./model";

/** The members of a configuration a mark may name, in the order of its label. */
export const BAD_CONFIGURATION_FIELDS = ["scalingConfigurationId", "imageId", "launchTemplateId", "launchTemplateVersion"] as const;
/** One of {@link BAD_CONFIGURATION_FIELDS}. */
export type BadConfigurationField = (typeof BAD_CONFIGURATION_FIELDS)[number];

/**
 * A configuration marked bad: every member given must equal the instance's (at least one given).
 * @example { imageId: "m-bad" } // any instance of that image
 * @example { launchTemplateId: "lt-web", launchTemplateVersion: "3" } // that template version only
 */
export type BadConfiguration = Partial<Record<BadConfigurationField, string>>;

/** The lifecycle state of instances the health endpoint counts. */
const IN_SERVICE = "InService";
/** Separator of a label's parts: `lt-…:3`. */
const LABEL_SEPARATOR = ":";

/** Why `value` is not a {@link BadConfiguration} (`undefined` when it is one). */
export function badConfigurationProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "a bad configuration must be an object";
  const entries = Object.entries(value);
  const unknown = entries.find(([key]) => !(BAD_CONFIGURATION_FIELDS as readonly string[]).includes(key));
  if (unknown) return `unknown field ${JSON.stringify(unknown[0])}: a bad configuration names ${BAD_CONFIGURATION_FIELDS.join(", ")}`;
  const notText = entries.find(([, v]) => typeof v !== "string" || v === "");
  if (notText) return `${notText[0]} must be a non-empty string`;
  if (entries.length === 0) return `a bad configuration names at least one of ${BAD_CONFIGURATION_FIELDS.join(", ")}`;
  return undefined;
}

/** True when `config` has every member `bad` names. */
export function matchesBad(config: InstanceConfig, bad: BadConfiguration): boolean {
  return BAD_CONFIGURATION_FIELDS.every((field) => bad[field] === undefined || config[field] === bad[field]);
}

/**
 * A configuration's label in health answers — the "version" an instance runs: a launch template and
 * its version, else the image, else the containers' images, else the scaling configuration.
 * @example configurationLabel({ ...emptyConfig(), scalingConfigurationId: "asc-…", imageId: "m-new" }) // "m-new"
 */
export function configurationLabel(c: InstanceConfig): string {
  if (c.launchTemplateId !== null) return [c.launchTemplateId, c.launchTemplateVersion ?? ""].join(LABEL_SEPARATOR);
  if (c.imageId !== null) return c.imageId;
  const images = c.containers.flatMap((k) => (k.Image !== undefined ? [k.Image] : []));
  return images.length > 0 ? images.join(",") : (c.scalingConfigurationId ?? "");
}

/** The configurations marked bad in one ESS model (account-wide, like its ids). */
export class BadConfigurations {
  private marks: BadConfiguration[] = [];

  /** Every mark, oldest first (copies). */
  list(): BadConfiguration[] {
    return this.marks.map((m) => ({ ...m }));
  }

  /** Adds a mark (once: an equal mark is not repeated); 400 {@link EssAdminError} for a malformed one. */
  add(value: unknown): void {
    const problem = badConfigurationProblem(value);
    if (problem !== undefined) throw new EssAdminError(400, problem);
    const mark = Object.fromEntries(BAD_CONFIGURATION_FIELDS.flatMap((f) => ((value as BadConfiguration)[f] !== undefined ? [[f, (value as BadConfiguration)[f]]] : [])));
    const key = JSON.stringify(mark);
    if (!this.marks.some((m) => JSON.stringify(m) === key)) this.marks.push(mark);
  }

  /** Removes every mark. */
  clear(): void {
    this.marks = [];
  }

  /** Replaces every mark (a checked state file). */
  load(marks: readonly BadConfiguration[]): void {
    this.marks = marks.map((m) => ({ ...m }));
  }

  /** True when some mark matches `config`. */
  isBad(config: InstanceConfig): boolean {
    return this.marks.some((m) => matchesBad(config, m));
  }

  /** The health of a group's InService instances among `members` (in order). */
  health(members: readonly InstanceRecord[]): GroupHealthReport {
    return summarizeHealth(
      members.filter((i) => i.lifecycleState === IN_SERVICE).map((i) => ({ version: configurationLabel(i.config), bad: this.isBad(i.config) })),
    );
  }
}
