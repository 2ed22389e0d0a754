/**
 * What every flow needs: one region's backend, a log, a clock, the cancel signal, and the reads
 * and conversions shared by the flows.
 */
import type { CancelSignal } from "./cancellation";
import { InstanceRefreshFailure } from "./errors";
import type { ActivityView } from "./model";
import type { MutationContext } from "./mutate";
import { isRetryable, type ErrorInfo, type OutputExtras, type RefreshBackend } from "./port";

/** The context of the flows of one region. */
export interface FlowContext<N, I, O extends object> extends MutationContext {
  readonly backend: RefreshBackend<N, I, O>;
  readonly now: () => number;
  /** Fires when the engine cancels the operation (Ctrl-C): waits stop and record where they are. */
  readonly cancel: CancelSignal;
  /** How long a wait rides out an API that does not answer, ms. */
  readonly outageToleranceMs: number;
}

/** Result of create and update. */
export interface FlowResult<O> {
  readonly id: string;
  readonly outs: O;
}

/** An activity record with the core's view of it. */
export interface Tracked<N> {
  readonly record: N;
  readonly view: ActivityView;
}

/** The record and its view. */
export function track<N, I, O extends object>(ctx: FlowContext<N, I, O>, record: N): Tracked<N> {
  return { record, view: ctx.backend.view(record) };
}

/** The activity, or undefined when the API does not know it. */
export async function describeActivity<N, I, O extends object>(ctx: FlowContext<N, I, O>, id: string): Promise<Tracked<N> | undefined> {
  try {
    const record = await ctx.backend.describe(id);
    return record === undefined ? undefined : track(ctx, record);
  } catch (error) {
    if (ctx.backend.classify(error).class === "notFound") return undefined;
    throw error;
  }
}

/** The call's result, or undefined when it failed with a retryable (throttling, transient) error. */
export async function unlessTransient<T>(ctx: { readonly backend: { classify(error: unknown): ErrorInfo } }, call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (!isRetryable(ctx.backend.classify(error))) throw error;
    return undefined;
  }
}

/** A failure that keeps the resource in state with `record`'s outputs. */
export function failureWith<N, I, O extends object>(
  ctx: FlowContext<N, I, O>,
  inputs: I,
  tracked: Tracked<N>,
  message: string,
  reasons: string[],
  extras?: OutputExtras,
  cause?: unknown,
): InstanceRefreshFailure {
  const outs = ctx.backend.outputs(inputs, tracked.record, extras) as Record<string, unknown>;
  return new InstanceRefreshFailure(message, tracked.view.id, outs, reasons, cause === undefined ? undefined : { cause });
}
