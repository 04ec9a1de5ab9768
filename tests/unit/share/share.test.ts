import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateMazes } from '../../../src/puzzles/maze/generate';
import { parseMaze } from '../../../src/puzzles/maze/text';
import {
  encodeShareHash,
  parseShareHash,
  type ShareLinkError,
  type ShareState,
} from '../../../src/puzzles/share';
import { decodeBase64url, encodeBase64url } from '../../../src/puzzles/share/base64url';
import { encodeMaze } from '../../../src/puzzles/share/puzzleCodec';
import { arbitraryMaze } from '../maze/arbitraries';

const SUDOKU_LINE =
  '4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......';

const settings = fc.record({
  maxSegments: fc.integer({ min: 1, max: 256 }),
  haltingMode: fc.constantFrom('fixed' as const, 'q_head' as const),
  timelinePosition: fc.nat({ max: 1_000_000 }),
  modelId: fc
    .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._-'), {
      minLength: 1,
      maxLength: 64,
    })
    .map((chars) => chars.join('')),
});

const sudokuStates = fc
  .tuple(fc.uint8Array({ min: 0, max: 9, minLength: 81, maxLength: 81 }), settings)
  .map(([sudoku, rest]): ShareState => ({ task: 'sudoku', sudoku, ...rest }));

const mazeStates = fc
  .tuple(arbitraryMaze(2, 30), settings)
  .map(([maze, rest]): ShareState => ({ task: 'maze', maze, ...rest }));

function errorFor(hash: string, param: string): ShareLinkError | undefined {
  return parseShareHash(hash).errors.find((error) => error.param === param);
}

describe('share links', () => {
  it('round trip Sudoku states', () => {
    fc.assert(
      fc.property(sudokuStates, (state) => {
        const parsed = parseShareHash(encodeShareHash(state));
        expect(parsed.errors).toEqual([]);
        expect(parsed.state).toEqual(state);
      }),
    );
  });

  it('round trip maze states', () => {
    fc.assert(
      fc.property(mazeStates, (state) => {
        const parsed = parseShareHash(encodeShareHash(state));
        expect(parsed.errors).toEqual([]);
        expect(parsed.state).toEqual(state);
      }),
    );
  });

  it('round trip partial states', () => {
    const state = { task: 'maze' as const, maxSegments: 8 };
    expect(encodeShareHash(state)).toBe('#v=1&t=maze&m=8');
    expect(parseShareHash('#v=1&t=maze&m=8')).toEqual({ state, errors: [] });
  });

  it('writes the documented layout', () => {
    const sudoku = Uint8Array.from(SUDOKU_LINE, (char) => (char === '.' ? 0 : Number(char)));
    const hash = encodeShareHash({
      task: 'sudoku',
      sudoku,
      maxSegments: 16,
      haltingMode: 'fixed',
      timelinePosition: 37,
      modelId: 'sudoku-h128',
    });
    expect(hash).toBe(`#v=1&t=sudoku&p=${SUDOKU_LINE}&m=16&h=fixed&s=37&model=sudoku-h128`);
  });

  it('packs a 30×30 maze compactly', () => {
    const [maze] = generateMazes(1, 1, { size: 30 });
    expect(encodeMaze(maze)).toHaveLength(158);
  });

  it('drops path marks', () => {
    const marked = parseMaze('So \n#o \n oG');
    const parsed = parseShareHash(encodeShareHash({ task: 'maze', maze: marked }));
    expect(parsed.state.maze).toEqual(parseMaze('S  \n#  \n  G'));
  });

  it('reads blanks written as 0', () => {
    const parsed = parseShareHash(`v=1&t=sudoku&p=${SUDOKU_LINE.replaceAll('.', '0')}`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.state.sudoku?.[0]).toBe(4);
    expect(parsed.state.sudoku?.[1]).toBe(0);
  });

  it('reads an empty hash', () => {
    expect(parseShareHash('')).toEqual({ state: {}, errors: [] });
    expect(parseShareHash('#')).toEqual({ state: {}, errors: [] });
  });
});

describe('share link clamping', () => {
  const cases: [string, Partial<ShareState>, RegExp][] = [
    ['m=0', { maxSegments: 1 }, /invalid m: '0' is below the minimum of 1; clamped to 1/],
    ['m=-5', { maxSegments: 1 }, /invalid m: '-5' is below the minimum/],
    ['m=300', { maxSegments: 256 }, /invalid m: '300' is above the maximum of 256; clamped to 256/],
    ['m=99999999999999999999', { maxSegments: 256 }, /above the maximum/],
    ['s=-3', { timelinePosition: 0 }, /invalid s: '-3' is below the first update index 0/],
  ];
  for (const [params, expected, message] of cases) {
    it(`clamps ${params}`, () => {
      const { state, errors } = parseShareHash(`#v=1&${params}`);
      expect(state).toEqual(expected);
      expect(errors).toHaveLength(1);
      expect(errors[0].kind).toBe('clamped');
      expect(errors[0].message).toMatch(message);
    });
  }
});

describe('share link errors', () => {
  const cases: [string, string, ShareLinkError['kind'], RegExp][] = [
    ['m=abc', 'm', 'invalid', /^invalid m: 'abc' is not a whole number of segments; use 1 to 256$/],
    ['m=1.5', 'm', 'invalid', /invalid m: '1.5' is not a whole number/],
    ['m=', 'm', 'invalid', /invalid m: '' is not a whole number/],
    ['h=auto', 'h', 'invalid', /invalid h: 'auto' is not a halting mode; use fixed .* or q_head/],
    ['s=x', 's', 'invalid', /invalid s: 'x' is not a whole-number update index; use 0 or more/],
    ['s=1e3', 's', 'invalid', /invalid s: '1e3' is not a whole-number/],
    ['s=99999999999999999999', 's', 'invalid', /is not a whole-number update index/],
    ['model=Sudoku', 'model', 'invalid', /invalid model: 'Sudoku' has characters other than/],
    ['model=', 'model', 'invalid', /invalid model: '' is empty/],
    [`model=${'a'.repeat(65)}`, 'model', 'invalid', /has 65 characters; use at most 64/],
    ['model=a%2Fb', 'model', 'invalid', /invalid model: 'a\/b' has characters other than/],
    ['t=chess', 't', 'invalid', /invalid t: 'chess' is not a task; use sudoku or maze/],
    ['p=abc', 'p', 'invalid', /invalid p: 'abc' was not read because t is missing/],
    ['t=chess&p=abc', 'p', 'invalid', /was not read because t is invalid/],
    ['t=sudoku&p=123', 'p', 'invalid', /invalid p: '123' has 3 characters; a Sudoku line has 81/],
    [
      `t=sudoku&p=${'x'.repeat(81)}`,
      'p',
      'invalid',
      /character 1 \('x'\) is not a digit 1 to 9 or '.' for a blank/,
    ],
    ['t=maze&p=ab*d', 'p', 'invalid', /is not base64url: character 3 \('\*'\)/],
    ['t=maze&p=abcde', 'p', 'invalid', /is not base64url: its length 5/],
    ['t=maze&p=AAAA', 'p', 'invalid', /is 3 bytes, shorter than the 5-byte maze header/],
    ['t=maze&p=AQAAAAAA', 'p', 'invalid', /gives maze size 1/],
    ['t=maze&p=AgAAAAE', 'p', 'invalid', /is 5 bytes, but a 2×2 maze packs into 6/],
    ['zoom=2', 'zoom', 'unknown', /unknown parameter 'zoom' ignored; share links use v, t, p, m/],
    ['m=4&m=8', 'm', 'duplicate', /duplicate m: '8' ignored; the first value '4' is used/],
    ['m=%E0%A4%A', 'm', 'invalid', /invalid m: '%E0%A4%A' has a broken %-escape/],
  ];
  for (const [params, param, kind, message] of cases) {
    it(`reports ${params.slice(0, 30)}`, () => {
      const error = errorFor(`#v=1&${params}`, param);
      expect(error?.kind).toBe(kind);
      expect(error?.message).toMatch(message);
    });
  }

  it('keeps valid parts beside errors', () => {
    const { state, errors } = parseShareHash('#v=1&t=sudoku&p=bad&m=abc&h=q_head&s=5&model=x');
    expect(state).toEqual({
      task: 'sudoku',
      haltingMode: 'q_head',
      timelinePosition: 5,
      modelId: 'x',
    });
    expect(errors.map((error) => error.param)).toEqual(['p', 'm']);
  });

  it('reports an unsupported version', () => {
    const { state, errors } = parseShareHash('#v=2&t=maze&m=8');
    expect(state).toEqual({});
    expect(errors).toHaveLength(1);
    expect(errors[0].kind).toBe('unsupported-version');
    expect(errors[0].message).toBe(
      "unsupported v: '2' is not a share-link version this app reads; supported versions: 1",
    );
  });

  it('reads a link without version', () => {
    const { state, errors } = parseShareHash('t=maze&m=8');
    expect(state).toEqual({ task: 'maze', maxSegments: 8 });
    expect(errors).toHaveLength(1);
    expect(errors[0].kind).toBe('missing');
    expect(errors[0].message).toMatch(/missing v: .* read as v=1/);
  });

  it('quotes long values shortened', () => {
    const error = errorFor(`#v=1&t=sudoku&p=${'1'.repeat(100)}`, 'p');
    expect(error?.message).toContain(`'${'1'.repeat(40)}…'`);
    expect(error?.value).toHaveLength(100);
  });

  it('reports bad maze endpoints', () => {
    // Header [size 2, start 0, goal 0] plus one byte of wall bits.
    const same = encodeBase64url(Uint8Array.from([2, 0, 0, 0, 0, 0]));
    expect(errorFor(`v=1&t=maze&p=${same}`, 'p')?.message).toMatch(
      /puts start and goal on the same cell 0/,
    );
    const outside = encodeBase64url(Uint8Array.from([2, 0, 9, 0, 1, 0]));
    expect(errorFor(`v=1&t=maze&p=${outside}`, 'p')?.message).toMatch(
      /puts the start at cell 9, outside the 4 cells/,
    );
    const onWall = encodeBase64url(Uint8Array.from([2, 0, 0, 0, 1, 0b0100_0000]));
    expect(errorFor(`v=1&t=maze&p=${onWall}`, 'p')?.message).toMatch(
      /puts the goal on a wall at cell 1/,
    );
    const tooLong = encodeBase64url(Uint8Array.from([2, 0, 0, 0, 1, 0, 0]));
    expect(errorFor(`v=1&t=maze&p=${tooLong}`, 'p')?.message).toMatch(
      /is 7 bytes, but a 2×2 maze packs into 6/,
    );
  });

  it('encode rejects invalid states', () => {
    const sudoku = new Uint8Array(81);
    expect(() => encodeShareHash({ maxSegments: 0 })).toThrow(/invalid maxSegments: 0/);
    expect(() => encodeShareHash({ maxSegments: 257 })).toThrow(/invalid maxSegments: 257/);
    expect(() => encodeShareHash({ timelinePosition: -1 })).toThrow(/invalid timelinePosition/);
    expect(() => encodeShareHash({ modelId: 'A' })).toThrow(/invalid modelId: 'A'/);
    expect(() => encodeShareHash({ task: 'maze', sudoku })).toThrow(/needs task 'sudoku'/);
    expect(() => encodeShareHash({ task: 'sudoku', sudoku: new Uint8Array(80) })).toThrow(
      /80 cells; expected 81/,
    );
    const maze = parseMaze('S \n G');
    expect(() => encodeShareHash({ task: 'sudoku', maze })).toThrow(/needs task 'maze'/);
    expect(() =>
      encodeShareHash({ task: 'maze', maze: { size: 2, cells: new Uint8Array(4) } }),
    ).toThrow(/cell code 0/);
  });
});

describe('share link parsing', () => {
  it('never throws on any text', () => {
    const hashText = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc
        .array(fc.tuple(fc.constantFrom('v', 't', 'p', 'm', 'h', 's', 'model', 'x'), fc.string()))
        .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => `v=1&t=maze&p=${encodeBase64url(bytes)}`),
      fc.string().map((line) => `v=1&t=sudoku&p=${line}`),
    );
    fc.assert(
      fc.property(hashText, (hash) => {
        const { errors } = parseShareHash(hash);
        for (const error of errors) {
          expect(error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('base64url', () => {
  it('matches Node Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64url(text)).toEqual(bytes);
      }),
    );
  });
});
