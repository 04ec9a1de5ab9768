// Bias-free (or biased) linear layer, y = x · Wᵀ + b, as the authors' CastedLinear computes it.

import type { Precision } from './precision';

/** A weight matrix in PyTorch's [out_features, in_features] layout, row-major. */
export interface LinearWeight {
  data: Float32Array;
  outFeatures: number;
  inFeatures: number;
  /** [out_features], when the layer has a bias. */
  bias?: Float32Array;
}

/**
 * Computes y[rows, out_features] = x[rows, in_features] · Wᵀ + b.
 *
 * Sums run in float64 and each result is stored once, so it is rounded once: to float32, and in
 * bfloat16 mode then to bfloat16. That matches a bfloat16 matrix product with float32
 * accumulation, where the bias is added before the single rounding (PyTorch's addmm).
 * The weights must already be in the activation dtype (the kernel casts them once).
 */
export function linear(
  x: Float32Array,
  rows: number,
  weight: LinearWeight,
  y: Float32Array,
  precision: Precision,
): void {
  const { data: w, inFeatures, outFeatures, bias } = weight;

  // Four rows at a time, so each weight row is read once per four input rows.
  let row = 0;
  for (; row + 4 <= rows; row += 4) {
    const x0 = row * inFeatures;
    const x1 = x0 + inFeatures;
    const x2 = x1 + inFeatures;
    const x3 = x2 + inFeatures;
    for (let out = 0; out < outFeatures; out++) {
      const wRow = out * inFeatures;
      const b = bias === undefined ? 0 : bias[out];
      let sum0 = b;
      let sum1 = b;
      let sum2 = b;
      let sum3 = b;
      for (let k = 0; k < inFeatures; k++) {
        const wk = w[wRow + k];
        sum0 += x[x0 + k] * wk;
        sum1 += x[x1 + k] * wk;
        sum2 += x[x2 + k] * wk;
        sum3 += x[x3 + k] * wk;
      }
      y[row * outFeatures + out] = sum0;
      y[(row + 1) * outFeatures + out] = sum1;
      y[(row + 2) * outFeatures + out] = sum2;
      y[(row + 3) * outFeatures + out] = sum3;
    }
  }

  for (; row < rows; row++) {
    const xRow = row * inFeatures;
    for (let out = 0; out < outFeatures; out++) {
      const wRow = out * inFeatures;
      let sum = bias === undefined ? 0 : bias[out];
      for (let k = 0; k < inFeatures; k++) {
        sum += x[xRow + k] * w[wRow + k];
      }
      y[row * outFeatures + out] = sum;
    }
  }

  precision.round(y, 0, rows * outFeatures);
}
