// One training or test example in the authors' token layout (see src/puzzles/*/tokens.ts).

export interface DatasetExample {
  /** Input token ids, [seq_len]: 0 pad, then the task's vocabulary shifted by one. */
  inputs: Uint8Array;
  /** Label token ids, [seq_len]; 0 marks an ignored position. */
  labels: Uint8Array;
}

/**
 * A puzzle with all its augmented variants. The authors' format stores each puzzle's examples
 * contiguously and groups augmentations of one source puzzle together.
 */
export interface DatasetGroup {
  puzzleIdentifier: number;
  examples: DatasetExample[];
  /**
   * Free-form id of the source. identifiers.json names puzzle identifier i > 0 after the first
   * group using it; identifier 0 is always "<blank>", as in the authors' files.
   */
  sourceId?: string;
  /** Difficulty rating of the source puzzle, kept for per-band evaluation. */
  rating?: number;
}
