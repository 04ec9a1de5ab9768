// Runs read_dataset.py (numpy and json under Debian's Python) on a data set folder.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const READER = fileURLToPath(new URL('./read_dataset.py', import.meta.url));

export interface SplitSummary {
  metadata: Record<string, unknown>;
  dtypes: Record<string, string>;
  shapes: Record<string, number[]>;
  values: Record<string, number[] | number[][]>;
}

export interface DatasetSummary {
  identifiers: string[];
  train: SplitSummary;
  test: SplitSummary;
}

export function readDatasetWithNumpy(folder: string): DatasetSummary {
  const output = execFileSync('/usr/bin/python3', [READER, folder], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });

  return JSON.parse(output) as DatasetSummary;
}
