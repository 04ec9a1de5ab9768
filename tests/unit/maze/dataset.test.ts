import { describe, expect, it } from 'vitest';
import { buildMazeGroups } from '../../../src/puzzles/maze/dataset';
import { inverseTransformMaze } from '../../../src/puzzles/maze/dihedral';
import { MazeCell } from '../../../src/puzzles/maze/grid';
import { solveMaze } from '../../../src/puzzles/maze/search';
import { tokensToMaze } from '../../../src/puzzles/maze/tokens';

describe('buildMazeGroups', () => {
  it('builds augmented groups', () => {
    const groups = buildMazeGroups({ count: 5, size: 9, seed: 7, augment: true });
    expect(groups).toHaveLength(5);

    for (const group of groups) {
      expect(group.puzzleIdentifier).toBe(0);
      expect(group.examples).toHaveLength(8);
      expect(group.rating).toBeGreaterThanOrEqual(10);

      const source = tokensToMaze(group.examples[0].inputs);
      expect(solveMaze(source)?.distance).toBe(group.rating);
      group.examples.forEach((example, transformId) => {
        expect(example.inputs).toHaveLength(81);
        expect(example.labels).toHaveLength(81);
        const restored = inverseTransformMaze(tokensToMaze(example.inputs), transformId);
        expect(restored).toEqual(source);
      });
    }
  });

  it('labels mark a shortest path', () => {
    const [group] = buildMazeGroups({ count: 1, size: 15, seed: 3, augment: false });
    const { inputs, labels } = group.examples[0];
    const pathCells = labels.filter((id) => id === MazeCell.path).length;
    expect(pathCells).toBe((group.rating ?? 0) - 1);
    for (let cell = 0; cell < inputs.length; cell++) {
      if (labels[cell] !== MazeCell.path) {
        expect(labels[cell]).toBe(inputs[cell]);
      } else {
        expect(inputs[cell]).toBe(MazeCell.open);
      }
    }
  });

  it('without augment keeps one example', () => {
    const groups = buildMazeGroups({ count: 3, size: 7, seed: 1, augment: false });
    expect(groups.map((group) => group.examples.length)).toEqual([1, 1, 1]);
  });

  it('is reproducible by seed', () => {
    const options = { count: 4, size: 11, seed: 42, augment: false };
    expect(buildMazeGroups(options)).toEqual(buildMazeGroups(options));
    const other = buildMazeGroups({ ...options, seed: 43 });
    expect(other[0].examples[0].inputs).not.toEqual(buildMazeGroups(options)[0].examples[0].inputs);
  });

  it('honours minPathLength', () => {
    const groups = buildMazeGroups({
      count: 10,
      size: 9,
      seed: 5,
      augment: false,
      minPathLength: 20,
    });
    for (const group of groups) {
      expect(group.rating).toBeGreaterThanOrEqual(20);
    }
  });

  it('rejects bad options', () => {
    expect(() => buildMazeGroups({ count: -1, size: 9, seed: 1, augment: false })).toThrow(
      /invalid maze count: -1/,
    );
    expect(() => buildMazeGroups({ count: 1, size: 9, seed: 1.5, augment: false })).toThrow(
      /invalid maze seed: 1.5/,
    );
    expect(() => buildMazeGroups({ count: 0, size: 3, seed: 1, augment: false })).toThrow(
      /invalid maze size: 3/,
    );
  });
});
