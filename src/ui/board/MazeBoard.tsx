// The maze board: a canvas (a 30×30 maze has 900 cells, too many SVG nodes to redraw on every
// update) with walls, start, goal and HRM's predicted path tinted by confidence (cividis). A
// visually hidden ARIA grid beside it names every cell, so screen readers and tests read the
// same values. Pointer drags paint cells when `onPaint` is set.

import { type PointerEvent, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MazeCell, type MazeGrid } from '../../puzzles/maze/grid';
import { drawMaze } from '../export/draw';

export interface MazeBoardProps {
  grid: MazeGrid;
  /** Predicted token per cell at the cursor, or undefined before the first update. [size * size] */
  prediction?: Int32Array;
  confidence?: Float32Array;
  /** Cells whose prediction changed since the previous update. */
  changed?: Uint8Array;
  /** Predicted path cells that break the path (on a wall or not connected). */
  broken?: Uint8Array;
  label: string;
  onPaint?: (index: number) => void;
  /** Pixel width of the canvas. */
  width?: number;
  compact?: boolean;
}

export function MazeBoard({
  grid,
  prediction,
  confidence,
  changed,
  broken,
  label,
  onPaint,
  width = 480,
  compact = false,
}: MazeBoardProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const painting = useRef(false);
  const { t } = useTranslation();
  const { size, cells } = grid;

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const scale = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(width * scale);
    context.setTransform(scale, 0, 0, scale, 0, 0);

    drawMaze(context, grid, prediction, confidence, width, { changed, broken, compact });
  }, [grid, prediction, confidence, changed, broken, width, compact]);

  const cellAt = (event: PointerEvent<HTMLCanvasElement>): number | null => {
    const box = event.currentTarget.getBoundingClientRect();
    const column = Math.floor(((event.clientX - box.left) / box.width) * size);
    const row = Math.floor(((event.clientY - box.top) / box.height) * size);
    if (row < 0 || row >= size || column < 0 || column >= size) return null;
    return row * size + column;
  };

  // NOTE: painting needs a pointer. Keyboard and screen-reader users edit a maze by pasting its
  // text in the puzzle panel instead.
  const paintAt = (event: PointerEvent<HTMLCanvasElement>) => {
    const index = cellAt(event);
    if (index !== null) onPaint?.(index);
  };

  // The ARIA grid only changes with the cursor, so it is rebuilt once per update.
  const rows = useMemo(() => {
    if (compact) return null;
    const names: Record<number, string> = {
      [MazeCell.wall]: t('maze.wall'),
      [MazeCell.open]: t('maze.open'),
      [MazeCell.start]: t('maze.start'),
      [MazeCell.goal]: t('maze.goal'),
    };
    // Cells are fixed grid positions, so their row and column indices are stable keys.
    return Array.from({ length: size }, (_, row) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: the row index is the row's identity
      <tr key={row}>
        {Array.from({ length: size }, (_, column) => {
          const index = row * size + column;
          const onPath = prediction?.[index] === MazeCell.path;
          const value =
            onPath && cells[index] !== MazeCell.start && cells[index] !== MazeCell.goal
              ? t('maze.pathCell', {
                  kind: names[cells[index]],
                  confidence: Math.round((confidence?.[index] ?? 0) * 100),
                })
              : names[cells[index]];
          return (
            <td
              // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: ARIA grid pattern over a table
              role="gridcell"
              tabIndex={-1}
              // biome-ignore lint/suspicious/noArrayIndexKey: the column index is the cell's identity
              key={column}
              data-cell={cells[index]}
              data-path={onPath ? 1 : 0}
              aria-label={t('board.cellMaze', { row: row + 1, column: column + 1, value })}
            />
          );
        })}
      </tr>
    ));
  }, [compact, size, cells, prediction, confidence, t]);

  return (
    <div className={compact ? 'maze-board compact' : 'maze-board'}>
      <canvas
        ref={canvasRef}
        style={{ width, height: width }}
        className={onPaint ? 'paintable' : undefined}
        onPointerDown={(event) => {
          if (!onPaint) return;
          painting.current = true;
          event.currentTarget.setPointerCapture(event.pointerId);
          paintAt(event);
        }}
        onPointerMove={(event) => painting.current && paintAt(event)}
        onPointerUp={() => {
          painting.current = false;
        }}
      />
      {rows && (
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: ARIA grid pattern over a table
        <table role="grid" aria-label={label} className="visually-hidden">
          <tbody>{rows}</tbody>
        </table>
      )}
    </div>
  );
}
