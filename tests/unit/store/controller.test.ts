import { describe, expect, test } from 'vitest';
import { RunController } from '../../../src/store/controller';
import { createRunStore } from '../../../src/store/run';
import { createTinySession } from './tiny-model';

// Six updates per segment for the tiny model (H_cycles 2 × (L_cycles 2 + 1 H update)).
const UPDATES_PER_SEGMENT = 6;

async function setUp() {
  const run = createRunStore();
  const controller = new RunController(run);
  await controller.setSession(await createTinySession(), 'tiny');
  return { run, controller };
}

const inputs = new Int32Array(81).fill(1);
inputs[0] = 6;

describe('RunController', () => {
  test('start records every update up to the limit', async () => {
    const { run, controller } = await setUp();
    await controller.start({ inputs, maxSegments: 2, halting: 'fixed' });
    const state = run.getState();
    expect(state.status).toBe('done');
    expect(state.stop).toBe('limit');
    expect(state.events).toHaveLength(2 * UPDATES_PER_SEGMENT);
    expect(state.cursor).toBe(2 * UPDATES_PER_SEGMENT - 1);
    controller.dispose();
  });

  test('a larger limit extends the recorded run', async () => {
    const { run, controller } = await setUp();
    await controller.start({ inputs, maxSegments: 2, halting: 'fixed' });
    const firstEvents = run.getState().events;
    const runId = run.getState().runId;

    await controller.update({ inputs, maxSegments: 3, halting: 'fixed' });
    const state = run.getState();
    expect(state.runId).toBe(runId);
    expect(state.events).toHaveLength(3 * UPDATES_PER_SEGMENT);
    expect(state.events.slice(0, firstEvents.length)).toEqual(firstEvents);
    expect(state.events[2 * UPDATES_PER_SEGMENT].position.segment).toBe(2);
    expect(state.setup?.maxSegments).toBe(3);
    expect(state.status).toBe('done');
    controller.dispose();
  });

  test('extended run matches a fresh run', async () => {
    const { run, controller } = await setUp();
    await controller.start({ inputs, maxSegments: 1, halting: 'fixed' });
    await controller.update({ inputs, maxSegments: 2, halting: 'fixed' });
    const extended = run.getState().events.map((event) => Array.from(event.prediction));

    await controller.start({ inputs, maxSegments: 2, halting: 'fixed' });
    const fresh = run.getState().events.map((event) => Array.from(event.prediction));
    expect(extended).toEqual(fresh);
    controller.dispose();
  });

  test('a smaller limit or another halting mode restarts', async () => {
    const { run, controller } = await setUp();
    await controller.start({ inputs, maxSegments: 2, halting: 'fixed' });
    const firstRun = run.getState().runId;

    await controller.update({ inputs, maxSegments: 1, halting: 'fixed' });
    expect(run.getState().runId).toBe(firstRun + 1);
    expect(run.getState().events).toHaveLength(UPDATES_PER_SEGMENT);

    await controller.update({ inputs, maxSegments: 1, halting: 'q_head' });
    expect(run.getState().runId).toBe(firstRun + 2);
    expect(run.getState().setup?.halting).toBe('q_head');
    controller.dispose();
  });

  test('a new start aborts the run in flight', async () => {
    const { run, controller } = await setUp();
    const other = new Int32Array(81).fill(1);
    const first = controller.start({ inputs, maxSegments: 4, halting: 'fixed' });
    const second = controller.start({ inputs: other, maxSegments: 1, halting: 'fixed' });
    await Promise.all([first, second]);
    const state = run.getState();
    expect(state.setup?.inputs).toBe(other);
    expect(state.events).toHaveLength(UPDATES_PER_SEGMENT);
    expect(state.status).toBe('done');
    controller.dispose();
  });

  test('invalid inputs record an error and keep the controller usable', async () => {
    const { run, controller } = await setUp();
    await controller.start({ inputs: new Int32Array(5), maxSegments: 1, halting: 'fixed' });
    expect(run.getState().status).toBe('error');
    expect(run.getState().error).toMatch(/81|seq_len|length/);

    await controller.start({ inputs, maxSegments: 1, halting: 'fixed' });
    expect(run.getState().status).toBe('done');
    controller.dispose();
  });

  test('without a session start does nothing', async () => {
    const run = createRunStore();
    const controller = new RunController(run);
    await controller.start({ inputs, maxSegments: 1, halting: 'fixed' });
    expect(run.getState().status).toBe('idle');
  });
});
