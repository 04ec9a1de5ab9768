// Plain-TypeScript versions of the WGSL kernels, the oracle for the kernel tests. Each follows
// its shader's maths and rounding points, in f64 arithmetic with f32 storage, so a kernel test
// measures only the GPU's reassociation and f32 rounding. All arrays are row-major.

import { roundToBfloat16 } from '../reference/precision';
import type { RopeTables } from '../reference/rope';
import { LEARNED_POSITION_SCALE } from './ops/elementwise';

function activation(bf16: boolean): (x: number) => number {
  return bf16 ? roundToBfloat16 : Math.fround;
}

/**
 * Interleaves the reference engine's RoPE tables into the layout matmul-pairs.wgsl reads:
 * [positions, head_dim / 2] pairs of (cos, sin). Index i and i + head_dim / 2 share an angle, so
 * the first half of each row is enough.
 */
export function ropePairs(tables: RopeTables): Float32Array {
  const { positions, head_dim } = tables;
  const half = head_dim / 2;
  const pairs = new Float32Array(positions * half * 2);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      pairs[(p * half + i) * 2] = tables.cos[p * head_dim + i];
      pairs[(p * half + i) * 2 + 1] = tables.sin[p * head_dim + i];
    }
  }
  return pairs;
}

/** y = x · Wᵀ for x [rows, k] and W [n, k], summed in f64 and not rounded. */
function matmul(
  x: Float32Array,
  w: Float32Array,
  rows: number,
  k: number,
  n: number,
): Float64Array {
  const y = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let i = 0; i < k; i++) {
        sum += x[r * k + i] * w[c * k + i];
      }
      y[r * n + c] = sum;
    }
  }
  return y;
}

/** qkv_proj with RoPE on query and key heads: y [rows, 3 * hidden_size]. */
export function qkvReference(
  x: Float32Array,
  w: Float32Array,
  rows: number,
  hidden_size: number,
  head_dim: number,
  rope: Float32Array | null,
  bf16: boolean,
): Float32Array {
  const round = activation(bf16);
  const width = 3 * hidden_size;
  const product = matmul(x, w, rows, hidden_size, width);
  const y = new Float32Array(rows * width);
  const half = head_dim / 2;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      y[r * width + c] = round(product[r * width + c]);
    }
    if (!rope) {
      continue;
    }
    for (let c = 0; c < 2 * hidden_size; c += head_dim) {
      for (let i = 0; i < half; i++) {
        const a = y[r * width + c + i];
        const b = y[r * width + c + i + half];
        const cos = rope[(r * half + i) * 2];
        const sin = rope[(r * half + i) * 2 + 1];
        y[r * width + c + i] = round(a * cos - b * sin);
        y[r * width + c + i + half] = round(b * cos + a * sin);
      }
    }
  }
  return y;
}

/** gate_up_proj then silu(gate) * up: y [rows, inter] for W [2 * inter, k]. */
export function swigluReference(
  x: Float32Array,
  w: Float32Array,
  rows: number,
  k: number,
  inter: number,
  bf16: boolean,
): Float32Array {
  const round = activation(bf16);
  const product = matmul(x, w, rows, k, 2 * inter);
  const y = new Float32Array(rows * inter);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < inter; j++) {
      const gate = round(product[r * 2 * inter + j]);
      const up = round(product[r * 2 * inter + inter + j]);
      const silu = round(gate / round(1 + round(Math.exp(-gate))));
      y[r * inter + j] = round(silu * up);
    }
  }
  return y;
}

/** h' = rms_norm(h + x · Wᵀ) for x [rows, k], W [n, k], h [rows, n]. Returns a new array. */
export function residualNormReference(
  x: Float32Array,
  w: Float32Array,
  h: Float32Array,
  rows: number,
  k: number,
  n: number,
  eps: number,
  bf16: boolean,
): Float32Array {
  const round = activation(bf16);
  const product = matmul(x, w, rows, k, n);
  const out = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let squares = 0;
    for (let c = 0; c < n; c++) {
      const v = round(h[r * n + c] + round(product[r * n + c]));
      out[r * n + c] = v;
      squares += v * v;
    }
    const scale = 1 / Math.sqrt(squares / n + eps);
    for (let c = 0; c < n; c++) {
      out[r * n + c] = round(out[r * n + c] * scale);
    }
  }
  return out;
}

/** Non-causal softmax attention from qkv [positions, 3 * hidden_size] to [positions, hidden_size]. */
export function attentionReference(
  qkv: Float32Array,
  positions: number,
  hidden_size: number,
  num_heads: number,
  bf16: boolean,
): Float32Array {
  const round = activation(bf16);
  const head_dim = hidden_size / num_heads;
  const width = 3 * hidden_size;
  const scale = round(head_dim ** -0.5);
  const out = new Float32Array(positions * hidden_size);
  const scores = new Float64Array(positions);
  for (let head = 0; head < num_heads; head++) {
    for (let q = 0; q < positions; q++) {
      let max = -Infinity;
      for (let key = 0; key < positions; key++) {
        let s = 0;
        for (let d = 0; d < head_dim; d++) {
          s +=
            qkv[q * width + head * head_dim + d] *
            qkv[key * width + hidden_size + head * head_dim + d];
        }
        // In bfloat16 mode the score, the scaled score and the probability are each rounded.
        scores[key] = bf16 ? round(round(s) * scale) : s * scale;
        max = Math.max(max, scores[key]);
      }
      let sum = 0;
      for (let key = 0; key < positions; key++) {
        scores[key] = Math.exp(scores[key] - max);
        sum += scores[key];
      }
      if (bf16) {
        for (let key = 0; key < positions; key++) {
          scores[key] = round(scores[key] / sum);
        }
        sum = 1;
      }
      for (let d = 0; d < head_dim; d++) {
        let acc = 0;
        for (let key = 0; key < positions; key++) {
          acc += scores[key] * qkv[key * width + 2 * hidden_size + head * head_dim + d];
        }
        out[q * hidden_size + head * head_dim + d] = round(acc / sum);
      }
    }
  }
  return out;
}

/**
 * Input embedding [positions, hidden_size] from bfloat16-rounded (in bf16 mode) tables:
 * puzzle row, then token rows, learned positions if given, times sqrt(hidden_size).
 */
export function embeddingReference(
  tokens: Uint32Array,
  embedTokens: Float32Array,
  puzzleRow: Float32Array,
  embedPos: Float32Array | null,
  positions: number,
  hidden_size: number,
  puzzle_emb_len: number,
  bf16: boolean,
): Float32Array {
  const round = activation(bf16);
  const scale = round(Math.sqrt(hidden_size));
  const positionScale = round(LEARNED_POSITION_SCALE);
  const e = new Float32Array(positions * hidden_size);
  for (let p = 0; p < positions; p++) {
    for (let c = 0; c < hidden_size; c++) {
      const i = p * hidden_size + c;
      let v =
        p < puzzle_emb_len
          ? puzzleRow[i]
          : embedTokens[tokens[p - puzzle_emb_len] * hidden_size + c];
      if (embedPos) {
        v = round(positionScale * round(v + embedPos[i]));
      }
      e[i] = round(scale * v);
    }
  }
  return e;
}

/** x = z + a, or z + (a + b) when `b` is given. */
export function injectReference(
  z: Float32Array,
  a: Float32Array,
  b: Float32Array | null,
  bf16: boolean,
): Float32Array {
  const round = activation(bf16);
  return z.map((zi, i) => round(zi + (b ? round(a[i] + b[i]) : a[i])));
}

/** The outputs of the heads kernel for one z_H. */
export interface HeadsResult {
  logits: Float32Array; // [seq_len, vocab_size]
  prediction: Int32Array;
  confidence: Float32Array;
  entropy: Float32Array;
  q: [number, number];
}

export function headsReference(
  z_H: Float32Array,
  lmHead: Float32Array,
  qHead: Float32Array,
  seq_len: number,
  hidden_size: number,
  vocab_size: number,
  puzzle_emb_len: number,
  bf16: boolean,
): HeadsResult {
  const round = activation(bf16);
  const logits = new Float32Array(seq_len * vocab_size);
  const prediction = new Int32Array(seq_len);
  const confidence = new Float32Array(seq_len);
  const entropy = new Float32Array(seq_len);
  for (let p = 0; p < seq_len; p++) {
    const row = (p + puzzle_emb_len) * hidden_size;
    let best = 0;
    for (let v = 0; v < vocab_size; v++) {
      let s = 0;
      for (let c = 0; c < hidden_size; c++) {
        s += z_H[row + c] * lmHead[v * hidden_size + c];
      }
      logits[p * vocab_size + v] = round(s);
      if (logits[p * vocab_size + v] > logits[p * vocab_size + best]) {
        best = v;
      }
    }
    const max = logits[p * vocab_size + best];
    let sum = 0;
    let weighted = 0;
    for (let v = 0; v < vocab_size; v++) {
      const shifted = logits[p * vocab_size + v] - max;
      sum += Math.exp(shifted);
      weighted += Math.exp(shifted) * shifted;
    }
    prediction[p] = best;
    confidence[p] = 1 / sum;
    entropy[p] = Math.log(sum) - weighted / sum;
  }
  const q: [number, number] = [0, 0];
  for (let k = 0; k < 2; k++) {
    let s = 0;
    for (let c = 0; c < hidden_size; c++) {
      s += z_H[c] * qHead[k * hidden_size + c];
    }
    q[k] = round(s + qHead[2 * hidden_size + k]);
  }
  return { logits, prediction, confidence, entropy, q };
}
