import { describe, expect, test } from 'vitest';
import {
  PREFERENCES_KEY,
  type PreferenceStorage,
  restorePreferences,
  savePreferences,
} from '../../../src/store/preferences';
import { createSettingsStore } from '../../../src/store/settings';

/** Creates a Web Storage stand-in backed by a Map, which can be made to fail. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  let failing = false;
  const storage: PreferenceStorage = {
    getItem: (key) => {
      if (failing) throw new Error('storage disabled');
      return items.get(key) ?? null;
    },
    setItem: (key, value) => {
      if (failing) throw new Error('quota exceeded');
      items.set(key, value);
    },
  };
  return { storage, items, fail: () => (failing = true) };
}

describe('preferences', () => {
  test('round trip through storage', () => {
    const { storage, items } = memoryStorage();
    const first = createSettingsStore();
    savePreferences(first, storage, () => undefined);
    first.getState().setLocale('vi');
    first.getState().setTheme('dark');
    first.getState().setSpeed(25);
    first.getState().setBackend('ort-wasm');
    expect(JSON.parse(items.get(PREFERENCES_KEY) ?? '{}')).toEqual({
      theme: 'dark',
      locale: 'vi',
      speed: 25,
      backend: 'ort-wasm',
    });

    const second = createSettingsStore();
    expect(restorePreferences(second, storage, 'en')).toEqual([]);
    expect(second.getState().locale).toBe('vi');
    expect(second.getState().theme).toBe('dark');
    expect(second.getState().speed).toBe(25);
    expect(second.getState().backend).toBe('ort-wasm');
  });

  test('default locale without saved one', () => {
    const settings = createSettingsStore();
    expect(restorePreferences(settings, memoryStorage().storage, 'vi')).toEqual([]);
    expect(settings.getState().locale).toBe('vi');
    expect(restorePreferences(createSettingsStore(), null, 'en')).toEqual([]);
  });

  test('invalid fields skipped and reported', () => {
    const saved = JSON.stringify({ theme: 'neon', locale: 'fr', speed: 7, backend: 'cuda' });
    const settings = createSettingsStore();
    const { storage, items } = memoryStorage({ [PREFERENCES_KEY]: saved });
    const problems = restorePreferences(settings, storage, 'en');
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('"neon"');
    expect(problems[1]).toContain('"fr"');
    expect(problems[2]).toContain('7');
    expect(problems[3]).toContain('"cuda"');
    expect(settings.getState().theme).toBe('system');
    expect(settings.getState().locale).toBe('en');
    expect(settings.getState().backend).toBe('auto');
    // The invalid entry is replaced, so the next load starts clean.
    expect(JSON.parse(items.get(PREFERENCES_KEY) ?? '{}')).toEqual({
      theme: 'system',
      locale: 'en',
      speed: 10,
      backend: 'auto',
    });
    expect(restorePreferences(createSettingsStore(), storage, 'en')).toEqual([]);
  });

  test('unreadable JSON falls back to defaults', () => {
    const settings = createSettingsStore();
    const storage = memoryStorage({ [PREFERENCES_KEY]: '{not json' }).storage;
    const problems = restorePreferences(settings, storage, 'en');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('unreadable saved preferences');
    expect(settings.getState().theme).toBe('system');
  });

  test('failing storage reported, settings kept', () => {
    const { storage, fail } = memoryStorage();
    const settings = createSettingsStore();
    const errors: string[] = [];
    savePreferences(settings, storage, (message) => errors.push(message));
    fail();
    settings.getState().setTheme('light');
    expect(settings.getState().theme).toBe('light');
    expect(errors).toEqual(['saving preferences failed: Error: quota exceeded']);
    expect(restorePreferences(createSettingsStore(), storage, 'en')[0]).toContain(
      'reading saved preferences failed',
    );
  });
});
