import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folder of the loader fixtures that scripts/make-loader-fixtures.py writes. */
export const LOADER_FIXTURES = join(import.meta.dirname, '../../fixtures/loaders');

/** Bytes of a loader fixture, given its path under tests/fixtures/loaders. */
export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(LOADER_FIXTURES, path)));
}

export function fixtureText(path: string): string {
  return readFileSync(join(LOADER_FIXTURES, path), 'utf8');
}

/** Makes a File, as a picker or drag and drop would give it, from a fixture. */
export function fixtureFile(path: string, name = path.slice(path.lastIndexOf('/') + 1)): File {
  return new File([fixtureBytes(path) as Uint8Array<ArrayBuffer>], name);
}

/** Returns the error a function throws, failing the test when it returns normally. */
export function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Returns the error a promise rejects with, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
