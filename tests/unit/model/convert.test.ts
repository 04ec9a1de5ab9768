import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  bfloat16ToFloat32,
  float16ToFloat32,
  float32ToBfloat16,
  packBfloat16Pairs,
  toFloat32,
} from '../../../src/model/convert';

/** bfloat16 bits of a float32 bit pattern, rounded to nearest even with exact arithmetic. */
function referenceBfloat16(word: number): number {
  const value = new Float32Array(new Uint32Array([word]).buffer)[0];
  const truncated = word >>> 16;
  const down = bfloat16ToFloat32(new Uint16Array([truncated]))[0];
  const up = bfloat16ToFloat32(new Uint16Array([(truncated + 1) & 0xffff]))[0];
  const distanceDown = Math.abs(value - down);
  const distanceUp = Math.abs(up - value);
  if (distanceDown < distanceUp) return truncated;
  if (distanceUp < distanceDown) return (truncated + 1) & 0xffff;
  return truncated % 2 === 0 ? truncated : (truncated + 1) & 0xffff;
}

describe('float32ToBfloat16', () => {
  test('exact values keep their bits', () => {
    expect(Array.from(float32ToBfloat16(new Float32Array([1, -2, 0.5, 0, -0])))).toEqual([
      0x3f80, 0xc000, 0x3f00, 0x0000, 0x8000,
    ]);
  });

  test('ties round to even', () => {
    // 1 + 2^-8 lies halfway between 1 (even mantissa) and 1 + 2^-7 (odd): rounds down.
    expect(float32ToBfloat16(new Float32Array([1 + 2 ** -8]))[0]).toBe(0x3f80);
    // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): rounds up.
    expect(float32ToBfloat16(new Float32Array([1 + 3 * 2 ** -8]))[0]).toBe(0x3f82);
  });

  test('just above a tie rounds up', () => {
    expect(float32ToBfloat16(new Float32Array([1 + 2 ** -8 + 2 ** -20]))[0]).toBe(0x3f81);
  });

  test('infinities, overflow and NaN', () => {
    const bits = float32ToBfloat16(
      new Float32Array([Infinity, -Infinity, 3.4028234e38, Number.NaN]),
    );
    expect(bits[0]).toBe(0x7f80);
    expect(bits[1]).toBe(0xff80);
    expect(bits[2]).toBe(0x7f80);
    expect(bits[3] & 0x7f80).toBe(0x7f80);
    expect(bits[3] & 0x007f).not.toBe(0);
  });

  test('NaN with only low mantissa bits stays NaN', () => {
    const nan = new Float32Array(new Uint32Array([0x7f800001]).buffer);
    const bits = float32ToBfloat16(nan)[0];
    expect(Number.isNaN(bfloat16ToFloat32(new Uint16Array([bits]))[0])).toBe(true);
  });

  test('matches exact rounding for random bit patterns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (word) => {
        const value = new Float32Array(new Uint32Array([word]).buffer);
        fc.pre(!Number.isNaN(value[0]));
        // Values within half a step of the largest finite bfloat16 round to Infinity.
        fc.pre(Math.abs(value[0]) < 3.3961776e38);
        expect(float32ToBfloat16(value)[0]).toBe(referenceBfloat16(word));
      }),
      { numRuns: 20_000 },
    );
  });

  test('bfloat16 round trip is exact', () => {
    const bits = new Uint16Array([0x0001, 0x3f80, 0x7f7f, 0x8080, 0xc2f7]);
    expect(Array.from(float32ToBfloat16(bfloat16ToFloat32(bits)))).toEqual(Array.from(bits));
  });
});

describe('packBfloat16Pairs', () => {
  test('packs element 2k low and 2k+1 high', () => {
    const packed = packBfloat16Pairs(new Float32Array([1, -2, 0.5]));
    expect(packed.length).toBe(2);
    expect(packed[0]).toBe(0xc000_3f80);
    expect(packed[1]).toBe(0x3f00);
  });

  test('low half matches a Uint16Array view', () => {
    const values = new Float32Array([0.1, 0.2, 0.3, 0.4]);
    const packed = packBfloat16Pairs(values);
    expect(Array.from(new Uint16Array(packed.buffer))).toEqual(
      Array.from(float32ToBfloat16(values)),
    );
  });
});

describe('float16ToFloat32', () => {
  test('normal, subnormal and special values', () => {
    const values = float16ToFloat32(
      new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0xfc00, 0x8000]),
    );
    expect(values[0]).toBe(1);
    expect(values[1]).toBe(-2);
    expect(values[2]).toBe(65504);
    expect(values[3]).toBe(2 ** -24);
    expect(values[4]).toBe(2 ** -14);
    expect(values[5]).toBe(Infinity);
    expect(values[6]).toBe(-Infinity);
    expect(Object.is(values[7], -0)).toBe(true);
    expect(Number.isNaN(float16ToFloat32(new Uint16Array([0x7e00]))[0])).toBe(true);
  });
});

describe('toFloat32', () => {
  test('float32 returns the same array', () => {
    const data = new Float32Array([1, 2]);
    expect(toFloat32({ dtype: 'float32', shape: [2], data })).toBe(data);
  });

  test('widens bfloat16 and float16', () => {
    expect(
      Array.from(
        toFloat32({ dtype: 'bfloat16', shape: [2], data: new Uint16Array([0x3f80, 0xbfc0]) }),
      ),
    ).toEqual([1, -1.5]);
    expect(
      Array.from(toFloat32({ dtype: 'float16', shape: [1], data: new Uint16Array([0x3800]) })),
    ).toEqual([0.5]);
  });

  test('converts integer dtypes by value', () => {
    expect(
      Array.from(toFloat32({ dtype: 'int64', shape: [2], data: new BigInt64Array([-3n, 7n]) })),
    ).toEqual([-3, 7]);
    expect(
      Array.from(toFloat32({ dtype: 'int32', shape: [1], data: new Int32Array([-9]) })),
    ).toEqual([-9]);
    expect(
      Array.from(toFloat32({ dtype: 'uint8', shape: [1], data: new Uint8Array([200]) })),
    ).toEqual([200]);
  });
});
