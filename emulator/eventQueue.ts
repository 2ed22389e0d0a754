/**
 * A min-heap of "activity X changes at time T" so that each request checks only the earliest
 * pending event (O(1) when nothing is due) instead of scanning every live activity.
 */

interface Entry {
  at: number;
  id: string;
  version: number;
}

/** Earliest-first queue with at most one valid entry per key (older entries are skipped lazily). */
export class EventQueue {
  private readonly heap: Entry[] = [];
  private readonly versions = new Map<string, number>();

  /** Schedules `id` at `at`, replacing its previous entry; `null` unschedules it. */
  schedule(id: string, at: number | null): void {
    const version = (this.versions.get(id) ?? 0) + 1;
    this.versions.set(id, version);
    if (at === null) return;
    this.heap.push({ at, id, version });
    this.up(this.heap.length - 1);
  }

  /** Time of the earliest valid entry, or `null`. */
  peekTime(): number | null {
    this.dropStale();
    return this.heap.length > 0 ? this.heap[0]!.at : null;
  }

  /** Removes and returns the earliest valid entry if it is due at or before `now`. */
  popDue(now: number): { id: string; at: number } | null {
    this.dropStale();
    const top = this.heap[0];
    if (!top || top.at > now) return null;
    this.pop();
    this.versions.set(top.id, top.version + 1);
    return { id: top.id, at: top.at };
  }

  /** Empties the queue. */
  clear(): void {
    this.heap.length = 0;
    this.versions.clear();
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.versions.get(this.heap[0]!.id) !== this.heap[0]!.version) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= h[i]!.at) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.at < h[m]!.at) m = l;
      if (r < h.length && h[r]!.at < h[m]!.at) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}
