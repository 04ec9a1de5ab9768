import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../../../src/engine/reference/backend';
import { ReferenceKernel } from '../../../src/engine/reference/kernel';
import { roundArrayToBfloat16 } from '../../../src/engine/reference/precision';
import { Session } from '../../../src/engine/session';
import type { HrmSession, StepEvent, StepPosition } from '../../../src/engine/types';
import type { HrmWeights } from '../../../src/model/weights';
import { createRandomWeights, randomInputs, SMALL_CONFIG } from './random-model';

// SMALL_CONFIG: H_cycles 2, L_cycles 2, so a segment is L L H L L H (6 updates).
const UPDATES_PER_SEGMENT = SMALL_CONFIG.H_cycles * (SMALL_CONFIG.L_cycles + 1);
const INPUTS = randomInputs(SMALL_CONFIG, 7);

async function createSession(weights: HrmWeights = createRandomWeights()): Promise<HrmSession> {
  const session = await new ReferenceBackend().createSession(weights, { numeric: 'bfloat16' });
  await session.reset(INPUTS, 1);
  return session;
}

/** Returns the float32 values of a parameter of a random test model. */
function tensorValues(weights: HrmWeights, name: string): Float32Array {
  const tensor = weights.tensors.get(name);
  if (tensor === undefined) throw new Error(`random test model has no tensor ${name}`);
  return tensor.data as Float32Array;
}

function describePosition(position: StepPosition): string {
  const step = position.lStep === null ? 'H' : `L${position.lStep}`;
  return `s${position.segment}.h${position.hCycle}.${step}#${position.index}`;
}

describe('Session schedule', () => {
  it('orders L and H updates within segments', async () => {
    const session = await createSession();
    const result = await session.run({ maxSegments: 2, halting: 'fixed' });
    expect(result.events.map((event) => describePosition(event.position))).toEqual([
      's0.h0.L0#0',
      's0.h0.L1#1',
      's0.h0.H#2',
      's0.h1.L0#3',
      's0.h1.L1#4',
      's0.h1.H#5',
      's1.h0.L0#6',
      's1.h0.L1#7',
      's1.h0.H#8',
      's1.h1.L0#9',
      's1.h1.L1#10',
      's1.h1.H#11',
    ]);
    expect(result.events.map((event) => event.position.module).join('')).toBe('LLHLLHLLHLLH');
  });

  it('places Q values on the last H update', async () => {
    const session = await createSession();
    const { events } = await session.run({ maxSegments: 2, halting: 'fixed' });
    const withQ = events
      .filter((event) => event.q !== undefined)
      .map((event) => event.position.index);
    expect(withQ).toEqual([5, 11]);
  });

  it('decodes after H updates only', async () => {
    const session = await createSession();
    const { events } = await session.run({ maxSegments: 2, halting: 'fixed' });
    for (let i = 1; i < events.length; i++) {
      const event = events[i];
      const previous = events[i - 1];
      if (event.position.module === 'L') {
        // An L update leaves z_H unchanged, so it carries the previous decode.
        expect(event.prediction, `update ${i}`).toBe(previous.prediction);
      } else {
        expect(event.prediction, `update ${i}`).not.toBe(previous.prediction);
      }
    }
  });

  it('decodes H_init before the first H update', async () => {
    const session = await createSession();
    const [first] = await session.advance('update');
    expect(first.prediction.length).toBe(SMALL_CONFIG.seq_len);
    // z_H = H_init at every position, but RoPE is not applied to z_H, so all cells share one prediction.
    expect(new Set(first.prediction).size).toBe(1);
    expect(first.confidence.every((value) => value > 0 && value <= 1)).toBe(true);
  });

  it('reports update norms of the updated module', async () => {
    const session = await createSession();
    const before = await session.readStates();
    const [event] = await session.advance('update');
    const after = await session.readStates();

    let change = 0;
    let previous = 0;
    for (let i = 0; i < before.z_L.length; i++) {
      change += (after.z_L[i] - before.z_L[i]) ** 2;
      previous += before.z_L[i] ** 2;
    }
    expect(event.updateNorm).toBeCloseTo(Math.sqrt(change), 4);
    expect(event.relativeUpdate).toBeCloseTo(Math.sqrt(change) / Math.sqrt(previous), 6);
    expect(after.z_H).toEqual(before.z_H);
  });

  it('leaves z_L unchanged on H updates', async () => {
    const session = await createSession();
    await session.advance('update');
    await session.advance('update');
    const before = await session.readStates();
    const [event] = await session.advance('update');
    const after = await session.readStates();
    expect(event.position.module).toBe('H');
    expect(after.z_L).toEqual(before.z_L);
    expect(after.z_H).not.toEqual(before.z_H);
  });
});

describe('Session.advance', () => {
  it('runs one update', async () => {
    const session = await createSession();
    const events = await session.advance('update');
    expect(events.length).toBe(1);
    expect(session.nextPosition).toEqual({
      segment: 0,
      hCycle: 0,
      lStep: 1,
      module: 'L',
      index: 1,
    });
  });

  it('runs through the next H update', async () => {
    const session = await createSession();
    const full = await session.advance('h_cycle');
    expect(full.map((event) => event.position.index)).toEqual([0, 1, 2]);

    await session.advance('update');
    const rest = await session.advance('h_cycle');
    expect(rest.map((event) => event.position.index)).toEqual([4, 5]);
    expect(rest[1].position.module).toBe('H');
    expect(session.nextPosition.segment).toBe(1);
  });

  it('runs h_cycle from an H position', async () => {
    const session = await createSession();
    await session.advance('update');
    await session.advance('update');
    const events = await session.advance('h_cycle');
    expect(events.map((event) => event.position.index)).toEqual([2]);
  });

  it('runs through the end of the segment', async () => {
    const session = await createSession();
    const first = await session.advance('segment');
    expect(first.length).toBe(UPDATES_PER_SEGMENT);

    await session.advance('h_cycle');
    const rest = await session.advance('segment');
    expect(rest.map((event) => event.position.index)).toEqual([9, 10, 11]);
    expect(rest[2].q).toBeDefined();
    expect(session.nextPosition).toEqual({
      segment: 2,
      hCycle: 0,
      lStep: 0,
      module: 'L',
      index: 12,
    });
  });

  it('matches run step by step', async () => {
    const batched = await createSession();
    const stepped = await createSession();
    const { events } = await batched.run({ maxSegments: 2, halting: 'fixed' });
    const steps: StepEvent[] = [];
    for (let i = 0; i < events.length; i++) steps.push(...(await stepped.advance('update')));

    expect(steps.map((event) => event.updateNorm)).toEqual(events.map((event) => event.updateNorm));
    expect(steps[11].q).toEqual(events[11].q);
    expect(await stepped.readStates()).toEqual(await batched.readStates());
  });

  it('rejects an unknown unit', async () => {
    const session = await createSession();
    await expect(session.advance('cycle' as never)).rejects.toThrow(/invalid advance unit: cycle/);
  });
});

describe('Session.run', () => {
  it('runs maxSegments beyond halt_max_steps', async () => {
    const session = await createSession();
    const maxSegments = SMALL_CONFIG.halt_max_steps + 2;
    const result = await session.run({ maxSegments, halting: 'fixed' });
    expect(result.stop).toBe('limit');
    expect(result.segments).toBe(maxSegments);
    expect(result.events.length).toBe(maxSegments * UPDATES_PER_SEGMENT);
  });

  it('counts maxSegments since reset', async () => {
    const session = await createSession();
    await session.advance('update');
    const result = await session.run({ maxSegments: 1, halting: 'fixed' });
    expect(result.events.length).toBe(UPDATES_PER_SEGMENT - 1);
    expect(result.segments).toBe(1);

    const again = await session.run({ maxSegments: 1, halting: 'fixed' });
    expect(again.events.length).toBe(0);
    expect(again.stop).toBe('limit');
  });

  it('halts when q_halt exceeds q_continue', async () => {
    const session = await createSession(createRandomWeights(SMALL_CONFIG, { qBias: [1, 0] }));
    const seen: StepEvent[] = [];
    const result = await session.run({
      maxSegments: 4,
      halting: 'q_head',
      onEvent: (event) => seen.push(event),
    });
    expect(result.stop).toBe('halted');
    expect(result.segments).toBe(1);
    expect(result.events.length).toBe(UPDATES_PER_SEGMENT);
    expect(seen[seen.length - 1].halted).toBe(true);
    expect(seen.filter((event) => event.halted).length).toBe(1);
  });

  it('runs on while q_continue wins', async () => {
    const session = await createSession(createRandomWeights(SMALL_CONFIG, { qBias: [0, 1] }));
    const result = await session.run({ maxSegments: 3, halting: 'q_head' });
    expect(result.stop).toBe('limit');
    expect(result.segments).toBe(3);
    expect(result.events.some((event) => event.halted)).toBe(false);
  });

  it('ignores the Q head with fixed halting', async () => {
    const session = await createSession(createRandomWeights(SMALL_CONFIG, { qBias: [1, 0] }));
    const result = await session.run({ maxSegments: 2, halting: 'fixed' });
    expect(result.stop).toBe('limit');
    expect(result.segments).toBe(2);
  });

  it('calls onEvent for every update in order', async () => {
    for (const pace of ['update', 'segment'] as const) {
      const session = await createSession();
      const seen: number[] = [];
      const result = await session.run({
        maxSegments: 2,
        halting: 'fixed',
        pace,
        onEvent: (event) => seen.push(event.position.index),
      });
      expect(seen, pace).toEqual(result.events.map((event) => event.position.index));
      expect(seen.length, pace).toBe(2 * UPDATES_PER_SEGMENT);
    }
  });

  it('gives the same results per update and per segment', async () => {
    const perUpdate = await createSession();
    const perSegment = await createSession();
    const a = await perUpdate.run({ maxSegments: 2, halting: 'fixed', pace: 'update' });
    const b = await perSegment.run({ maxSegments: 2, halting: 'fixed', pace: 'segment' });
    expect(a.events.map((event) => event.q)).toEqual(b.events.map((event) => event.q));
    expect(await perUpdate.readStates()).toEqual(await perSegment.readStates());
  });

  it('stops after the update in flight on abort', async () => {
    const session = await createSession();
    const controller = new AbortController();
    const result = await session.run({
      maxSegments: 3,
      halting: 'fixed',
      pace: 'update',
      signal: controller.signal,
      onEvent: (event) => {
        if (event.position.index === 3) controller.abort();
      },
    });
    expect(result.stop).toBe('aborted');
    expect(result.events.length).toBe(4);
    expect(result.segments).toBe(0);
    expect(session.nextPosition).toEqual({
      segment: 0,
      hCycle: 1,
      lStep: 1,
      module: 'L',
      index: 4,
    });
  });

  it('stops inside a segment batch on abort', async () => {
    const session = await createSession();
    const controller = new AbortController();
    // The reference kernel yields between updates when given a signal, so this timer fires
    // after the first update of the batch.
    setTimeout(() => controller.abort(), 0);
    const result = await session.run({
      maxSegments: 2,
      halting: 'fixed',
      signal: controller.signal,
    });
    expect(result.stop).toBe('aborted');
    expect(result.events.length).toBeGreaterThan(0);
    expect(result.events.length).toBeLessThan(UPDATES_PER_SEGMENT);
    expect(session.nextPosition.index).toBe(result.events.length);
  });

  it('resumes after abort as if uninterrupted', async () => {
    const interrupted = await createSession();
    const controller = new AbortController();
    const first = await interrupted.run({
      maxSegments: 2,
      halting: 'fixed',
      pace: 'update',
      signal: controller.signal,
      onEvent: (event) => {
        if (event.position.index === 7) controller.abort();
      },
    });
    const second = await interrupted.run({ maxSegments: 2, halting: 'fixed' });

    const straight = await createSession();
    const reference = await straight.run({ maxSegments: 2, halting: 'fixed' });
    const resumed = [...first.events, ...second.events];
    expect(resumed.map((event) => event.position)).toEqual(
      reference.events.map((event) => event.position),
    );
    expect(resumed.map((event) => event.updateNorm)).toEqual(
      reference.events.map((event) => event.updateNorm),
    );
    expect(await interrupted.readStates()).toEqual(await straight.readStates());
  });

  it('returns at once when already aborted', async () => {
    const session = await createSession();
    const controller = new AbortController();
    controller.abort();
    const result = await session.run({
      maxSegments: 1,
      halting: 'fixed',
      signal: controller.signal,
    });
    expect(result.stop).toBe('aborted');
    expect(result.events.length).toBe(0);
    expect(session.nextPosition.index).toBe(0);
  });

  it('rejects invalid options', async () => {
    const session = await createSession();
    await expect(session.run({ maxSegments: 0, halting: 'fixed' })).rejects.toThrow(
      /invalid maxSegments: 0/,
    );
    await expect(session.run({ maxSegments: 1.5, halting: 'fixed' })).rejects.toThrow(
      /invalid maxSegments: 1.5/,
    );
    await expect(session.run({ maxSegments: 1, halting: 'act' as never })).rejects.toThrow(
      /invalid halting: act/,
    );
    await expect(
      session.run({ maxSegments: 1, halting: 'fixed', pace: 'cell' as never }),
    ).rejects.toThrow(/invalid pace: cell/);
  });

  it('rejects overlapping calls', async () => {
    const session = await createSession();
    const running = session.run({ maxSegments: 1, halting: 'fixed' });
    await expect(session.advance('update')).rejects.toThrow(/still running an earlier call/);
    await running;
    await expect(session.advance('update')).resolves.toHaveLength(1);
  });
});

describe('Session.reset', () => {
  it('starts from H_init and L_init', async () => {
    const weights = createRandomWeights();
    const session = await createSession(weights);
    const { z_H, z_L } = await session.readStates();
    const hidden_size = SMALL_CONFIG.hidden_size;
    // The reference kernel stores them in bfloat16, the dtype the authors keep them in.
    const H_init = Float32Array.from(tensorValues(weights, 'H_init'));
    const L_init = Float32Array.from(tensorValues(weights, 'L_init'));
    roundArrayToBfloat16(H_init);
    roundArrayToBfloat16(L_init);
    for (const position of [0, 1, 9]) {
      expect(z_H.subarray(position * hidden_size, (position + 1) * hidden_size)).toEqual(H_init);
      expect(z_L.subarray(position * hidden_size, (position + 1) * hidden_size)).toEqual(L_init);
    }
  });

  it('starts over', async () => {
    const session = await createSession();
    const first = await session.run({ maxSegments: 1, halting: 'fixed' });
    await session.reset(INPUTS, 1);
    expect(session.nextPosition.index).toBe(0);
    const second = await session.run({ maxSegments: 1, halting: 'fixed' });
    expect(second.events.map((event) => event.updateNorm)).toEqual(
      first.events.map((event) => event.updateNorm),
    );
    expect([...second.events[0].prediction]).toEqual([...first.events[0].prediction]);
  });

  it('depends on the puzzle identifier', async () => {
    const session = await createSession();
    const identifierOne = await session.run({ maxSegments: 1, halting: 'fixed' });
    await session.reset(INPUTS, 0);
    const identifierZero = await session.run({ maxSegments: 1, halting: 'fixed' });
    expect(identifierZero.events[5].q).not.toEqual(identifierOne.events[5].q);
  });

  it('rejects invalid puzzles', async () => {
    const session = await createSession();
    await expect(session.reset(new Int32Array(8))).rejects.toThrow(
      /8 tokens, but the model's seq_len is 9/,
    );
    const badToken = INPUTS.slice();
    badToken[4] = 11;
    await expect(session.reset(badToken)).rejects.toThrow(/token 11 at cell 4 is outside 0..10/);
    await expect(session.reset(INPUTS, 2)).rejects.toThrow(
      /invalid puzzle identifier: 2; this model has puzzle identifiers 0..1/,
    );
    await expect(session.reset(INPUTS, -1)).rejects.toThrow(/puzzle identifier: -1/);
    await expect(session.reset(Array.from(INPUTS) as never)).rejects.toThrow(/Int32Array/);
  });

  it('requires reset before stepping', async () => {
    const weights = createRandomWeights();
    const session = new Session(
      new ReferenceKernel(weights, 'float32'),
      weights.config,
      'reference',
    );
    await expect(session.advance('update')).rejects.toThrow(/call reset\(inputs\) first/);
  });

  it('rejects use after dispose', async () => {
    const session = await createSession();
    session.dispose();
    await expect(session.advance('update')).rejects.toThrow(/after dispose/);
  });
});

describe('ReferenceKernel', () => {
  it('rejects weights that do not fit the config', () => {
    const weights = createRandomWeights();
    weights.tensors.set('lm_head.weight', {
      dtype: 'float32',
      shape: [12, SMALL_CONFIG.hidden_size],
      data: new Float32Array(12 * SMALL_CONFIG.hidden_size),
    });
    expect(() => new ReferenceKernel(weights, 'float32')).toThrow(
      /lm_head.weight has shape \[12, 32\] but the config needs \[11, 32\]/,
    );
  });

  it('names a missing tensor', () => {
    const weights = createRandomWeights();
    weights.tensors.delete('L_level.layers.1.mlp.down_proj.weight');
    expect(() => new ReferenceKernel(weights, 'float32')).toThrow(
      /missing tensor L_level.layers.1.mlp.down_proj.weight \[32, 256\]/,
    );
  });

  it('runs learned positions', async () => {
    const config = { ...SMALL_CONFIG, pos_encodings: 'learned' as const };
    const session = await createSession(createRandomWeights(config));
    const result = await session.run({ maxSegments: 1, halting: 'fixed' });
    expect(result.events.length).toBe(UPDATES_PER_SEGMENT);
    expect(Number.isFinite(result.events[5].q?.halt)).toBe(true);
  });

  it('agrees across numeric modes', async () => {
    // bfloat16 keeps about 3 significant digits, so one segment stays close to float32.
    const weights = createRandomWeights();
    const states: Float32Array[] = [];
    for (const numeric of ['float32', 'bfloat16'] as const) {
      const session = await new ReferenceBackend().createSession(weights, { numeric });
      await session.reset(INPUTS, 1);
      await session.advance('h_cycle');
      states.push((await session.readStates()).z_H);
    }
    let maxDifference = 0;
    for (let i = 0; i < states[0].length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(states[0][i] - states[1][i]));
    }
    expect(maxDifference).toBeGreaterThan(0);
    expect(maxDifference).toBeLessThan(0.1);
  });

  it('zero-pads a narrow puzzle embedding', async () => {
    // puzzle_emb_ndim 16 < hidden_size 32: one prefix position, its second half zero. The
    // float32 mode keeps the values exact enough to compare after the sqrt(32) scale.
    const config = { ...SMALL_CONFIG, puzzle_emb_ndim: 16 };
    const weights = createRandomWeights(config);
    const kernel = new ReferenceKernel(weights, 'float32');
    await kernel.reset(INPUTS, 1);
    const embedding = await kernel.readEmbedding();
    expect(embedding.length).toBe(10 * 32);

    const scale = Math.fround(Math.sqrt(32));
    const puzzleRow = tensorValues(weights, 'puzzle_emb.weights').subarray(16, 32);
    for (let i = 0; i < 16; i++) {
      expect(embedding[i], `prefix value ${i}`).toBe(Math.fround(puzzleRow[i] * scale));
    }
    expect([...embedding.subarray(16, 32)]).toEqual(new Array(16).fill(0));

    const tokens = tensorValues(weights, 'embed_tokens.embedding_weight');
    const token = INPUTS[0];
    expect(embedding[32]).toBe(Math.fround(tokens[token * 32] * scale));
  });

  it('runs without a puzzle embedding', async () => {
    const config = { ...SMALL_CONFIG, puzzle_emb_ndim: 0 };
    const session = await createSession(createRandomWeights(config));
    const result = await session.run({ maxSegments: 1, halting: 'fixed' });
    expect((await session.readStates()).z_H.length).toBe(config.seq_len * config.hidden_size);
    expect(result.events[5].prediction.length).toBe(config.seq_len);

    // The identifier selects nothing, so any one gives the same result.
    await session.reset(INPUTS, 7);
    const other = await session.run({ maxSegments: 1, halting: 'fixed' });
    expect(other.events[5].q).toEqual(result.events[5].q);
  });

  it('leaves the caller weights untouched', () => {
    const weights = createRandomWeights();
    const before = Float32Array.from(tensorValues(weights, 'lm_head.weight'));
    new ReferenceKernel(weights, 'bfloat16');
    expect(weights.tensors.get('lm_head.weight')?.data).toEqual(before);
  });
});
