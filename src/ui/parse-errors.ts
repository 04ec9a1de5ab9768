// Parser errors in the interface language: the Sudoku and maze parsers attach a code and the
// values their English message names, and each code has a message under `puzzle.parse` in both
// locales. Used by the paste box and by the status line's invalid-maze problem.

import type { TFunction } from 'i18next';
import { LISTED_POSITIONS, MazeFormatError, type TextPosition } from '../puzzles/maze/grid';
import { SudokuParseError } from '../puzzles/sudoku/parse';
import { messageOf } from '../store/errors';

/** Paste error text as displayed, with `english` set when the message has no translation. */
export interface PasteError {
  message: string;
  english: boolean;
}

/** Lists cell positions the way the maze parser's English message does, in the UI language. */
function listPositions(positions: TextPosition[], t: TFunction): string {
  const listed = positions
    .slice(0, LISTED_POSITIONS)
    .map((position) => t('puzzle.parse.position', { ...position }));
  const unlisted = positions.length - LISTED_POSITIONS;
  if (unlisted > 0) listed.push(t('puzzle.parse.morePositions', { unlisted }));

  return listed.join('; ');
}

/**
 * Fills a Sudoku message's values. The character is quoted as a JSON string, like the parser's
 * English message, so that a pasted quote, backslash or control character stays visible.
 */
function sudokuValues(values: SudokuParseError['values']): Record<string, unknown> {
  if ('character' in values) return { ...values, character: JSON.stringify(values.character) };

  return { ...values };
}

/** Fills a maze message's values, writing the position list of a repeated start or goal. */
function mazeValues(values: MazeFormatError['values'], t: TFunction): Record<string, unknown> {
  if (values !== undefined && 'positions' in values) {
    return { count: values.count, positions: listPositions(values.positions, t) };
  }

  return { ...values };
}

/**
 * Translates a parser error by its code. Errors without a code (from other modules, or a bug)
 * keep their English message and are marked `english`.
 */
export function pasteErrorOf(caught: unknown, t: TFunction): PasteError {
  if (caught instanceof SudokuParseError) {
    const message = t(`puzzle.parse.sudoku.${caught.code}`, sudokuValues(caught.values));

    return { message, english: false };
  }
  if (caught instanceof MazeFormatError && caught.code !== undefined) {
    const message = t(`puzzle.parse.maze.${caught.code}`, mazeValues(caught.values, t));

    return { message, english: false };
  }

  return { message: messageOf(caught), english: true };
}
