// The Sudoku board, drawn with d3 into SVG. Predictions are tinted by confidence with cividis,
// which stays readable with the common colour-vision deficiencies. A dot marks cells that changed
// since the previous update, a dashed outline marks conflicts, and a slash marks digits that
// disagree with the exact solution. The SVG is an ARIA grid whose cells name row, column and value.

import * as d3 from 'd3';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { confidenceColour } from '../export/draw';
import type { SudokuCellView } from './sudoku-view';

const CELL = 50;
const SIZE = CELL * 9;

export interface SudokuBoardProps {
  cells: SudokuCellView[];
  selected: number | null;
  /** Accessible name of the whole grid. */
  label: string;
  /** Null makes the board read-only (small multiples). */
  onSelect?: (index: number) => void;
  onKeyDown?: (event: KeyboardEvent<SVGSVGElement>) => void;
  /** Small boards leave out per-cell roles and labels, so only the main board is an ARIA grid. */
  compact?: boolean;
}

export function SudokuBoard({
  cells,
  selected,
  label,
  onSelect,
  onKeyDown,
  compact = false,
}: SudokuBoardProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const { t } = useTranslation();

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = d3.select(svg);

    const describe = (cell: SudokuCellView): string => {
      const position = { row: cell.row + 1, column: cell.column + 1 };
      if (cell.given !== 0) return t('board.cellGiven', { ...position, digit: cell.given });
      if (cell.predicted === 0) return t('board.cellEmpty', position);
      const parts = [
        t('board.cellPredicted', {
          ...position,
          digit: cell.predicted,
          confidence: Math.round((cell.confidence ?? 0) * 100),
        }),
      ];
      if (cell.conflict) parts.push(t('board.conflict'));
      if (cell.correct === false) parts.push(t('board.wrong'));
      if (cell.changed) parts.push(t('board.changed'));
      return parts.join(', ');
    };

    const rows = root
      .selectAll<SVGGElement, number>('g.sudoku-row')
      .data(d3.range(9))
      .join('g')
      .attr('class', 'sudoku-row')
      .attr('role', compact ? null : 'row');

    const cellGroups = rows
      .selectAll<SVGGElement, SudokuCellView>('g.sudoku-cell')
      .data(
        (row) => cells.filter((cell) => cell.row === row),
        (cell) => cell.index,
      )
      .join((enter) => {
        const group = enter.append('g').attr('class', 'sudoku-cell');
        group.append('rect').attr('class', 'cell-bg').attr('width', CELL).attr('height', CELL);
        group
          .append('text')
          .attr('class', 'cell-digit')
          .attr('x', CELL / 2)
          .attr('y', CELL / 2 + 1);
        group
          .append('circle')
          .attr('class', 'cell-changed')
          .attr('cx', CELL - 8)
          .attr('cy', 8)
          .attr('r', 4);
        group
          .append('line')
          .attr('class', 'cell-wrong')
          .attr('x1', 8)
          .attr('y1', CELL - 8)
          .attr('x2', CELL - 8)
          .attr('y2', 8);
        return group;
      })
      .attr('transform', (cell) => `translate(${cell.column * CELL},${cell.row * CELL})`)
      .attr('role', compact ? null : 'gridcell')
      .attr('aria-label', compact ? null : describe)
      .attr('aria-selected', compact ? null : (cell) => String(cell.index === selected))
      .attr('aria-readonly', compact ? null : (cell) => String(cell.given !== 0 && !onSelect))
      .attr('data-digit', (cell) => cell.given || cell.predicted || 0)
      .classed('given', (cell) => cell.given !== 0)
      .classed('predicted', (cell) => cell.predicted !== 0)
      .classed('conflict', (cell) => cell.conflict)
      .classed('selected', (cell) => cell.index === selected);
    if (onSelect) {
      cellGroups.on('click', (_event: MouseEvent, cell: SudokuCellView) => onSelect(cell.index));
    } else {
      cellGroups.on('click', null);
    }

    cellGroups
      .select('rect.cell-bg')
      // An inline style, because the stylesheet's theme fill would override a fill attribute.
      .style('fill', (cell) =>
        cell.given === 0 && cell.predicted !== 0 && cell.confidence !== null
          ? confidenceColour(cell.confidence)
          : null,
      );
    cellGroups
      .select('text.cell-digit')
      .text((cell) => (cell.given || cell.predicted || '').toString());
    cellGroups
      .select('circle.cell-changed')
      .attr('visibility', (cell) => (cell.changed ? 'visible' : 'hidden'));
    cellGroups
      .select('line.cell-wrong')
      .attr('visibility', (cell) =>
        cell.correct === false && cell.given === 0 ? 'visible' : 'hidden',
      );

    // Box lines go on top of the cells: thin between cells, thick between 3×3 boxes.
    root
      .selectAll('line.grid-line')
      .data(
        d3.range(10).flatMap((i) => [
          { i, vertical: true },
          { i, vertical: false },
        ]),
      )
      .join('line')
      .attr('class', (line) => `grid-line${line.i % 3 === 0 ? ' box' : ''}`)
      .attr('x1', (line) => (line.vertical ? line.i * CELL : 0))
      .attr('x2', (line) => (line.vertical ? line.i * CELL : SIZE))
      .attr('y1', (line) => (line.vertical ? 0 : line.i * CELL))
      .attr('y2', (line) => (line.vertical ? SIZE : line.i * CELL))
      .attr('aria-hidden', 'true')
      .raise();
  }, [cells, selected, onSelect, compact, t]);

  return (
    <svg
      ref={svgRef}
      className={compact ? 'sudoku-board compact' : 'sudoku-board'}
      viewBox={`-2 -2 ${SIZE + 4} ${SIZE + 4}`}
      role={compact ? 'img' : 'grid'}
      aria-label={label}
      tabIndex={compact ? undefined : 0}
      onKeyDown={onKeyDown}
    />
  );
}
