/**
 * Errors the provider raises. A {@link InstanceRefreshFailure} carries the id and outputs so that
 * the engine keeps the resource in state (the dynamic provider host turns `{ message, id,
 * properties, reasons }` into a partial failure).
 */
/**
 * The refresh exists but did not reach the desired state: it failed, was cancelled, paused on a
 * failure or the wait timed out. The resource stays in state with `properties` as its outputs.
 * @example
 * catch (e) { if (e instanceof InstanceRefreshFailure) console.log(e.id, e.properties.status) }
 */
export class InstanceRefreshFailure extends Error {
  /** The activity id (the resource id). */
  readonly id: string;
  /** Current outputs, recorded in state. */
  readonly properties: Record<string, unknown>;
  /** One line per reason (status, failed instances, hint). */
  readonly reasons: string[];

  constructor(message: string, id: string, properties: Record<string, unknown>, reasons: string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InstanceRefreshFailure";
    this.id = id;
    this.properties = properties;
    this.reasons = reasons;
  }

  /**
   * The same failure with `extra` added to its recorded properties; the provider host adds the
   * engine-owned `__provider`, without which the engine could not refresh, update or delete the
   * recorded resource.
   */
  withProperties(extra: Record<string, unknown>): InstanceRefreshFailure {
    const properties = { ...this.properties, ...extra };
    const copy = new InstanceRefreshFailure(this.message, this.id, properties, this.reasons, { cause: this.cause });
    copy.stack = this.stack;
    return copy;
  }
}

/** An input that only the live group can invalidate (its size), or a request the current state forbids. Nothing was changed. */
export class InstanceRefreshRejected extends Error {
  /** Dotted input path, when the rejection is about one input. */
  readonly property?: string;
  constructor(message: string, property?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InstanceRefreshRejected";
    this.property = property;
  }
}
