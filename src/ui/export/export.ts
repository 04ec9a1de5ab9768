// Exports of the current view: a PNG of the board at the cursor, an animated GIF of the board
// after each recorded update (gifenc), and the recorded run as JSON. The JSON writes typed arrays
// as plain number arrays, so any JSON reader can load it.

import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import type { StepEvent } from '../../engine/types';
import type { Puzzle } from '../../store/puzzle';
import type { RunSetup } from '../../store/run';
import { drawMaze, drawSudoku } from './draw';

/** Side of exported images in pixels. */
const EXPORT_SIZE = 540;

/** Frames above this count are thinned to every n-th update so GIFs stay a few megabytes. */
const MAX_GIF_FRAMES = 240;

function drawBoard(
  context: CanvasRenderingContext2D,
  puzzle: Puzzle,
  event: StepEvent | undefined,
): void {
  if (puzzle.task === 'sudoku') drawSudoku(context, puzzle.digits, event, EXPORT_SIZE);
  else drawMaze(context, puzzle.grid, event?.prediction, event?.confidence, EXPORT_SIZE);
}

function createCanvas(): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = EXPORT_SIZE;
  canvas.height = EXPORT_SIZE;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('PNG export failed: this browser returned no 2D canvas context');
  return context;
}

/** Returns a PNG of the board at `event`. */
export async function boardPng(puzzle: Puzzle, event: StepEvent | undefined): Promise<Blob> {
  const context = createCanvas();
  drawBoard(context, puzzle, event);
  return new Promise((resolve, reject) => {
    context.canvas.toBlob(
      (blob) =>
        blob
          ? resolve(blob)
          : reject(new Error('PNG export failed: canvas.toBlob returned nothing')),
      'image/png',
    );
  });
}

/** Returns an animated GIF with one frame per recorded update (thinned for long runs). */
export function runGif(puzzle: Puzzle, events: StepEvent[], frameMs: number): Blob {
  if (events.length === 0) throw new Error('GIF export needs a recorded run; run the puzzle first');
  const context = createCanvas();
  const stride = Math.ceil(events.length / MAX_GIF_FRAMES);
  const gif = GIFEncoder();
  for (let index = 0; index < events.length; index += stride) {
    drawBoard(context, puzzle, events[index]);
    const { data } = context.getImageData(0, 0, EXPORT_SIZE, EXPORT_SIZE);
    const palette = quantize(data, 256);
    gif.writeFrame(applyPalette(data, palette), EXPORT_SIZE, EXPORT_SIZE, {
      palette,
      delay: frameMs * stride,
    });
  }
  gif.finish();
  return new Blob([gif.bytes() as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
}

/** Returns the recorded run as JSON: setup, then every StepEvent in order. */
export function runJson(setup: RunSetup | null, events: StepEvent[]): Blob {
  const json = {
    format: 'hrm-playground-run',
    version: 1,
    setup: setup && { ...setup, inputs: Array.from(setup.inputs) },
    events: events.map((event) => ({
      ...event,
      prediction: Array.from(event.prediction),
      confidence: Array.from(event.confidence),
      entropy: Array.from(event.entropy),
    })),
  };
  return new Blob([JSON.stringify(json)], { type: 'application/json' });
}

/** Saves a blob through a temporary download link. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoke after the click has been handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
