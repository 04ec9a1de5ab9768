// SwiGLU MLP: [g, u] = x · W_guᵀ, m = (silu(g) * u) · W_downᵀ. The inner width `inter` comes
// from deriveDims in src/model/config.ts.

import { type LinearWeight, linear } from './linear';
import type { Precision } from './precision';

export interface SwigluWeights {
  /** [2 * inter, hidden_size]: rows 0..inter-1 give the gate g, the rest give u. */
  gateUp: LinearWeight;
  /** [hidden_size, inter] */
  down: LinearWeight;
}

/** Scratch buffers for one call, sized for `positions` rows. */
export interface SwigluScratch {
  gateUp: Float32Array; // [positions, 2 * inter]
  hidden: Float32Array; // [positions, inter]
}

export function createSwigluScratch(positions: number, inter: number): SwigluScratch {
  return {
    gateUp: new Float32Array(positions * 2 * inter),
    hidden: new Float32Array(positions * inter),
  };
}

/**
 * Computes out[rows, hidden_size] = SwiGLU(x[rows, hidden_size]).
 * Rounding in bfloat16 mode: after gate_up_proj, after silu, after silu(g) * u, after down_proj.
 */
export function swiglu(
  x: Float32Array,
  rows: number,
  weights: SwigluWeights,
  scratch: SwigluScratch,
  out: Float32Array,
  precision: Precision,
): void {
  const inter = weights.down.inFeatures;
  linear(x, rows, weights.gateUp, scratch.gateUp, precision);

  const { gateUp, hidden } = scratch;
  for (let row = 0; row < rows; row++) {
    const gateStart = row * 2 * inter;
    const upStart = gateStart + inter;
    const hiddenStart = row * inter;
    for (let i = 0; i < inter; i++) {
      const activated = precision.silu(gateUp[gateStart + i]);
      hidden[hiddenStart + i] = activated * gateUp[upStart + i];
    }
  }
  precision.round(hidden, 0, rows * inter);

  linear(hidden, rows, weights.down, out, precision);
}
