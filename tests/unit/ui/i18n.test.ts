import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { en } from '../../../src/i18n/en';
import { createI18n, detectLocale } from '../../../src/i18n/index';
import { vi } from '../../../src/i18n/vi';

const UI_FOLDER = join(import.meta.dirname, '../../../src/ui');

/** Flattens nested resources to dotted keys, dropping i18next plural suffixes. */
function keysOf(resources: object, prefix = ''): Set<string> {
  const keys = new Set<string>();
  for (const [name, value] of Object.entries(resources)) {
    const key = `${prefix}${name.replace(/_(one|other)$/, '')}`;
    if (typeof value === 'object' && value !== null) {
      for (const nested of keysOf(value, `${key}.`)) keys.add(nested);
    } else {
      keys.add(key);
    }
  }
  return keys;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('i18n resources', () => {
  test('Vietnamese has every English key', () => {
    const english = keysOf(en);
    const vietnamese = keysOf(vi);
    expect([...english].filter((key) => !vietnamese.has(key))).toEqual([]);
    expect([...vietnamese].filter((key) => !english.has(key))).toEqual([]);
  });

  test('every literal key used by the UI exists', () => {
    const known = keysOf(en);
    const missing: string[] = [];
    let checked = 0;
    for (const file of sourceFiles(UI_FOLDER)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z.]+)'/g)) {
        checked++;
        if (!known.has(match[1])) missing.push(`${match[1]} in ${file}`);
      }
    }
    expect(missing).toEqual([]);
    // Guards the scan itself: the UI uses far more than 100 literal keys.
    expect(checked).toBeGreaterThan(100);
  });

  test('Vietnamese plurals and interpolation render', () => {
    const i18n = createI18n('vi');
    expect(i18n.t('status.stillWrong', { count: 3 })).toBe(
      'Vẫn sai sau 3 segment (đã chạm giới hạn).',
    );
    expect(i18n.t('board.cellGiven', { row: 1, column: 3, digit: 3 })).toBe(
      'Hàng 1, cột 3: 3, số cho sẵn',
    );
  });

  test('English plurals pick one and other', () => {
    const i18n = createI18n('en');
    expect(i18n.t('compute.limit', { count: 1 })).toBe('Limit: 1 segment');
    expect(i18n.t('compute.limit', { count: 16 })).toBe('Limit: 16 segments');
  });

  test('detectLocale maps language tags', () => {
    expect(detectLocale('vi-VN')).toBe('vi');
    expect(detectLocale('vi')).toBe('vi');
    expect(detectLocale('en-GB')).toBe('en');
    expect(detectLocale('fr-FR')).toBe('en');
    expect(detectLocale(undefined)).toBe('en');
  });
});
