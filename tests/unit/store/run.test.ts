import { beforeAll, describe, expect, test } from 'vitest';
import type { StepEvent } from '../../../src/engine/types';
import { createRunStore, segmentEnds, stepIndex } from '../../../src/store/run';
import { createTinySession } from './tiny-model';

// Events of a real 3-segment run of the tiny model (H_cycles 2, L_cycles 2): each segment is
// L L H L L H, so 6 updates, with H updates at indices 2, 5, 8, …
let events: StepEvent[];
const inputs = new Int32Array(81).fill(1);

beforeAll(async () => {
  const session = await createTinySession();
  await session.reset(inputs);
  events = (await session.run({ maxSegments: 3, halting: 'fixed' })).events;
  session.dispose();
});

describe('stepIndex', () => {
  test('tiny run has six updates per segment', () => {
    expect(events).toHaveLength(18);
    expect(events[5].position.segment).toBe(0);
    expect(events[6].position.segment).toBe(1);
  });

  test('update steps move by one and stay in range', () => {
    expect(stepIndex(events, -1, 1, 'update')).toBe(0);
    expect(stepIndex(events, 17, 1, 'update')).toBe(17);
    expect(stepIndex(events, 0, -1, 'update')).toBe(-1);
    expect(stepIndex(events, -1, -1, 'update')).toBe(-1);
  });

  test('h_cycle steps land on H updates', () => {
    expect(stepIndex(events, -1, 1, 'h_cycle')).toBe(2);
    expect(stepIndex(events, 2, 1, 'h_cycle')).toBe(5);
    expect(stepIndex(events, 4, -1, 'h_cycle')).toBe(2);
    expect(stepIndex(events, 2, -1, 'h_cycle')).toBe(-1);
  });

  test('segment steps land on segment ends', () => {
    expect(stepIndex(events, -1, 1, 'segment')).toBe(5);
    expect(stepIndex(events, 5, 1, 'segment')).toBe(11);
    expect(stepIndex(events, 11, 1, 'segment')).toBe(17);
    expect(stepIndex(events, 17, 1, 'segment')).toBe(17);
    expect(stepIndex(events, 11, -1, 'segment')).toBe(5);
    expect(stepIndex(events, 3, -1, 'segment')).toBe(-1);
  });

  test('segmentEnds lists the last update of each segment', () => {
    expect(segmentEnds(events)).toEqual([5, 11, 17]);
  });
});

describe('run store', () => {
  const setup = { inputs, halting: 'fixed' as const, maxSegments: 3, modelId: 'tiny' };

  test('cursor follows appended events until the user seeks', () => {
    const store = createRunStore();
    const runId = store.getState().begin(setup);
    store.getState().append(runId, events[0]);
    store.getState().append(runId, events[1]);
    expect(store.getState().cursor).toBe(1);

    store.getState().seek(0);
    store.getState().append(runId, events[2]);
    expect(store.getState().cursor).toBe(0);
    expect(store.getState().follow).toBe(false);

    store.getState().seek(2);
    expect(store.getState().follow).toBe(true);
  });

  test('events of an older run are ignored', () => {
    const store = createRunStore();
    const oldRun = store.getState().begin(setup);
    const newRun = store.getState().begin(setup);
    store.getState().append(oldRun, events[0]);
    store.getState().finish(oldRun, 'aborted');
    expect(store.getState().events).toHaveLength(0);
    expect(store.getState().status).toBe('running');

    store.getState().append(newRun, events[0]);
    store.getState().finish(newRun, 'limit');
    expect(store.getState().events).toHaveLength(1);
    expect(store.getState().status).toBe('done');
    expect(store.getState().stop).toBe('limit');
  });

  test('step uses the recorded positions', () => {
    const store = createRunStore();
    const runId = store.getState().begin(setup);
    for (const event of events) store.getState().append(runId, event);
    store.getState().seek(-1);
    store.getState().step(1, 'segment');
    expect(store.getState().cursor).toBe(5);
    store.getState().step(1, 'h_cycle');
    expect(store.getState().cursor).toBe(8);
    store.getState().step(-1, 'update');
    expect(store.getState().cursor).toBe(7);
  });

  test('fail records the message and stops playback', () => {
    const store = createRunStore();
    const runId = store.getState().begin(setup);
    store.getState().setPlaying(true);
    store.getState().fail(runId, 'device lost');
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toBe('device lost');
    expect(store.getState().playing).toBe(false);
  });
});
