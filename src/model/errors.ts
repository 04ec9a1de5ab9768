/**
 * A model file that cannot be loaded. `message` is meant for the user: it names the file, the
 * value that is wrong and what to do about it. `file` is the file name (or URL) it concerns.
 */
export class ModelLoadError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'ModelLoadError';
    this.file = file;
  }
}

/** A problem that does not stop a model from loading, such as a full cache. */
export interface ModelLoadWarning {
  kind: 'cache-quota' | 'cache-unavailable' | 'cache-corrupt';
  message: string;
}
