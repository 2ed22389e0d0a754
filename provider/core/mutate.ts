/**
 * Mutating calls are never re-sent blindly: after an unknown outcome (transport error, timeout,
 * 5xx) or a throttled answer, the state is looked at first, and the call is sent again only when
 * it shows the call did not take effect.
 */
import { isRetryable, type ErrorInfo } from "./port";
import { backoffDelay, type Random, type Sleep } from "./retry";

/** Attempts of one mutating call (the first included); each re-send follows a state check. @default 4 */
export const MAX_MUTATION_ATTEMPTS = 4;
/** Backoff base between mutation attempts, ms. @default 200 */
export const MUTATION_BASE_DELAY_MS = 200;
/** Backoff cap between mutation attempts, ms. @default 5000 */
export const MUTATION_MAX_DELAY_MS = 5000;

/** What a state check found: the call took effect (with its result), or it did not. */
export type Verified<T> = { done: true; value: T } | { done: false };

/** What {@link mutate} needs. */
export interface MutationContext {
  readonly classify: (error: unknown) => ErrorInfo;
  readonly log: (line: string) => void;
  readonly sleep: Sleep;
  readonly random: Random;
}

/**
 * Sends a mutating call. When it fails with a retryable error, the state is checked with `verify`
 * before anything is re-sent; other errors are thrown at once.
 * @example await mutate(ctx, () => api.pause(id), async () => ((await api.describe(id))?.paused ? { done: true, value: undefined } : { done: false }));
 */
export async function mutate<T>(ctx: MutationContext, send: () => Promise<T>, verify: () => Promise<Verified<T>>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const info = ctx.classify(error);
      if (!isRetryable(info) || attempt + 1 >= MAX_MUTATION_ATTEMPTS) throw error;
      const base = info.class === "throttled" ? MUTATION_BASE_DELAY_MS * 2 : MUTATION_BASE_DELAY_MS;
      await ctx.sleep(backoffDelay(attempt, base, MUTATION_MAX_DELAY_MS, ctx.random) + base);
      const verified = await verify();
      if (verified.done) {
        ctx.log(`${info.action}: the call failed (${info.code}) but the state shows it took effect; not sending it again.`);
        return verified.value;
      }
      ctx.log(`${info.action}: the call failed (${info.code}) and the state shows it did not take effect; sending it again.`);
    }
  }
}
