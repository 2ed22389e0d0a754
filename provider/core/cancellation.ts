/**
 * Ctrl-C during `pulumi up` as a value: the engine's `Cancel` call (observed in `hostHooks.ts`)
 * cancels a {@link CancelSignal} that the flows' waits listen to: they stop at once, and the resource
 * is recorded with its current status.
 */

/**
 * A one-way switch: once cancelled, it stays cancelled and tells every listener once.
 * @example
 * const signal = new CancelSignal();
 * signal.onCancel(() => console.log("stop"));
 * signal.cancel(); // logs "stop"
 */
export class CancelSignal {
  private listeners = new Set<() => void>();
  private done = false;

  /** True after {@link cancel}. */
  get cancelled(): boolean {
    return this.done;
  }

  /** Cancels and tells every listener; later calls do nothing. */
  cancel(): void {
    if (this.done) return;
    this.done = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }

  /** Calls `listener` on cancel (at once when already cancelled); returns a function that unregisters it. */
  onCancel(listener: () => void): () => void {
    if (this.done) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
