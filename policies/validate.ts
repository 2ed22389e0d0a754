/**
 * Adapters from the pack's views to `@pulumi/policy` validation callbacks: they pick out the
 * refresh resources, read them once (unknown-tolerant), and prefix every message with the resource
 * it concerns, e.g. `InstanceRefresh "web-refresh": …`.
 */
import type { ResourceValidation, ResourceValidationArgs, StackValidation, StackValidationArgs } from "@pulumi/policy";
import { readEssRefresh, type EssRefreshView } from "./essResources";
import { readStack, type EssStackRefresh, type StackContext, type StackRefresh } from "./groupSize";
import { label, readRefresh, type RefreshView } from "./resources";

/** Reports one violation; the resource's name is added in front of the message. */
export type Report = (message: string) => void;

/** Checks one refresh (either type) in a resource policy. */
export type RefreshValidation = (refresh: RefreshView, args: ResourceValidationArgs, report: Report) => void;

/** Checks one refresh in a stack policy, with what the stack shows about its group. */
export type StackRefreshValidation = (
  refresh: StackRefresh,
  context: StackContext,
  args: StackValidationArgs,
  report: Report,
) => void;

/** Checks one ESS refresh (either kind) in a resource policy. */
export type EssRefreshValidation = (refresh: EssRefreshView, args: ResourceValidationArgs, report: Report) => void;

/** Checks one ESS refresh in a stack policy, with what the stack shows about its group. */
export type EssStackRefreshValidation = (
  refresh: EssStackRefresh,
  context: StackContext,
  args: StackValidationArgs,
  report: Report,
) => void;

/** A resource validation that runs `validate` on InstanceRefresh and StartInstanceRefresh resources only. */
export function validateRefresh(validate: RefreshValidation): ResourceValidation {
  return (args, reportViolation) => {
    const view = readRefresh(args.type, args.props);
    if (!view) return;
    const prefix = label(view.kind, args.name);
    validate(view, args, (message) => reportViolation(`${prefix}: ${message}`));
  };
}

/** A stack validation that runs `validate` on every refresh of the stack, reporting against its URN. */
export function validateStackRefreshes(validate: StackRefreshValidation): StackValidation {
  return (args, reportViolation) => {
    const context = readStack(args.resources);
    for (const refresh of context.refreshes) {
      const prefix = label(refresh.view.kind, refresh.resource.name);
      validate(refresh, context, args, (message) => reportViolation(`${prefix}: ${message}`, refresh.resource.urn));
    }
  };
}

/**
 * A resource validation that runs `validate` on AlicloudInstanceRefresh and bridged
 * ess.InstanceRefresh resources only.
 * @example validateEssRefresh((refresh, args, report) => { if (refresh.skipMatching === false) report("…"); })
 */
export function validateEssRefresh(validate: EssRefreshValidation): ResourceValidation {
  return (args, reportViolation) => {
    const view = readEssRefresh(args.type, args.props);
    if (!view) return;
    const prefix = label(view.kind, args.name);
    validate(view, args, (message) => reportViolation(`${prefix}: ${message}`));
  };
}

/**
 * A stack validation that runs `validate` on every ESS refresh of the stack, reporting against its URN.
 * @example validateStackEssRefreshes((refresh, context, args, report) => { … })
 */
export function validateStackEssRefreshes(validate: EssStackRefreshValidation): StackValidation {
  return (args, reportViolation) => {
    const context = readStack(args.resources);
    for (const refresh of context.essRefreshes) {
      const prefix = label(refresh.view.kind, refresh.resource.name);
      validate(refresh, context, args, (message) => reportViolation(`${prefix}: ${message}`, refresh.resource.urn));
    }
  };
}
