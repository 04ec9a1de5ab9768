// Canvas drawings of a board at one update, used by the maze board and by the PNG and GIF
// exports. Colours follow the on-screen boards: cividis for confidence, a dark wall, a green
// start and a purple goal.

import * as d3 from 'd3';
import type { StepEvent } from '../../engine/types';
import { MazeCell, type MazeGrid } from '../../puzzles/maze/grid';
import { decodeDigit } from '../tokens';

export const MAZE_COLOURS = {
  wall: '#2b2b2b',
  open: '#f4f4f0',
  start: '#1b7837',
  goal: '#762a83',
  changed: '#e66101',
  broken: '#d01c8b',
};

export function confidenceColour(confidence: number): string {
  return d3.interpolateCividis(Math.max(0, Math.min(1, confidence)));
}

export interface MazeDrawOptions {
  changed?: Uint8Array;
  broken?: Uint8Array;
  /** Leaves out the changed-cell dots, for small boards. */
  compact?: boolean;
}

/** Draws a maze with the predicted path of `event` into a `width` × `width` square at (0, 0). */
export function drawMaze(
  context: CanvasRenderingContext2D,
  grid: MazeGrid,
  prediction: Int32Array | undefined,
  confidence: Float32Array | undefined,
  width: number,
  options: MazeDrawOptions = {},
): void {
  const { size, cells } = grid;
  const cellPx = width / size;
  for (let index = 0; index < cells.length; index++) {
    const x = (index % size) * cellPx;
    const y = Math.floor(index / size) * cellPx;
    const code = cells[index];
    const onPath = prediction?.[index] === MazeCell.path;
    let fill = MAZE_COLOURS.open;
    if (code === MazeCell.wall) fill = MAZE_COLOURS.wall;
    if (onPath) fill = confidenceColour(confidence?.[index] ?? 1);
    if (code === MazeCell.start) fill = MAZE_COLOURS.start;
    if (code === MazeCell.goal) fill = MAZE_COLOURS.goal;
    context.fillStyle = fill;
    context.fillRect(x, y, cellPx, cellPx);

    if (onPath && options.broken?.[index]) {
      context.strokeStyle = MAZE_COLOURS.broken;
      context.lineWidth = Math.max(1, cellPx / 6);
      context.strokeRect(x + cellPx * 0.15, y + cellPx * 0.15, cellPx * 0.7, cellPx * 0.7);
    }
    if (options.changed?.[index] && !options.compact) {
      context.fillStyle = MAZE_COLOURS.changed;
      context.beginPath();
      context.arc(x + cellPx / 2, y + cellPx / 2, Math.max(1, cellPx / 6), 0, 2 * Math.PI);
      context.fill();
    }
  }
}

/** Draws a Sudoku with clues in black and predictions on their confidence tint. */
export function drawSudoku(
  context: CanvasRenderingContext2D,
  givens: Uint8Array,
  event: StepEvent | undefined,
  width: number,
): void {
  const cellPx = width / 9;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, width);
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  for (let index = 0; index < 81; index++) {
    const x = (index % 9) * cellPx;
    const y = Math.floor(index / 9) * cellPx;
    const given = givens[index];
    const predicted = given === 0 && event ? decodeDigit(event.prediction[index]) : 0;
    if (predicted !== 0 && event) {
      context.fillStyle = confidenceColour(event.confidence[index]);
      context.globalAlpha = 0.45;
      context.fillRect(x, y, cellPx, cellPx);
      context.globalAlpha = 1;
    }
    const digit = given || predicted;
    if (digit !== 0) {
      context.fillStyle = given ? '#000000' : '#1f3a93';
      context.font = `${given ? 'bold ' : ''}${Math.round(cellPx * 0.6)}px sans-serif`;
      context.fillText(String(digit), x + cellPx / 2, y + cellPx / 2 + 1);
    }
  }
  context.strokeStyle = '#333333';
  for (let i = 0; i <= 9; i++) {
    context.lineWidth = i % 3 === 0 ? 3 : 1;
    context.beginPath();
    context.moveTo(i * cellPx, 0);
    context.lineTo(i * cellPx, width);
    context.moveTo(0, i * cellPx);
    context.lineTo(width, i * cellPx);
    context.stroke();
  }
}
