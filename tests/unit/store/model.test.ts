import { describe, expect, test } from 'vitest';
import { defaultEntry, parseCatalog } from '../../../src/store/model';

const entry = {
  id: 'sudoku-h128',
  name: 'Sudoku, hidden 128',
  task: 'sudoku',
  path: 'models/sudoku-h128/model.safetensors',
  bytes: 1000,
  card: 'models/sudoku-h128/MODEL_CARD.md',
  default: true,
};

describe('parseCatalog', () => {
  test('reads a valid index', () => {
    expect(parseCatalog({ models: [entry] })).toEqual([entry]);
  });

  test('names the invalid field', () => {
    expect(() => parseCatalog({ models: [{ ...entry, task: 'arc' }] })).toThrow(
      'invalid models/index.json models[0].task: "arc"; expected "sudoku" or "maze"',
    );
    expect(() => parseCatalog({ models: [{ ...entry, id: '' }] })).toThrow('models[0].id: ""');
    expect(() => parseCatalog({ models: [{ ...entry, bytes: -1 }] })).toThrow(
      'models[0].bytes: -1',
    );
    expect(() => parseCatalog([])).toThrow('expected an object with a "models" array');
  });

  test('defaultEntry prefers the default flag', () => {
    const other = { ...entry, id: 'maze-h128', task: 'maze' as const, default: false };
    const catalog = parseCatalog({ models: [other, entry] });
    expect(defaultEntry(catalog)?.id).toBe('sudoku-h128');
    expect(defaultEntry([])).toBeNull();
  });
});
