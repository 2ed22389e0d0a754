/** What every figure module returns: one or more rows of `bench/results.json`. */
export interface Figure {
  /** Stable identifier, e.g. `api-economy-n100-ratio`. */
  name: string;
  value: number;
  unit: string;
  /** The goal in words, e.g. `<= 1.2`. */
  goal?: string;
  /** Whether the goal is met (absent when there is no goal). */
  met?: boolean;
  /** How it was measured, and the raw numbers behind it. */
  note?: string;
}

/** A figure module: runs its measurement and returns its rows. */
export type FigureRunner = (log: (line: string) => void) => Promise<Figure[]>;
