// The one entry point for loading a model: local files (a picker or drag and drop) or a URL.
// The format follows from the files given:
//   - one `.safetensors` file: our weights with the config in its `hrm_config` metadata;
//   - a `.json` index plus its shards: sharded safetensors as Hugging Face writes them;
//   - a checkpoint plus `all_config.yaml`: the authors' release format.
// For a URL, the name decides: `.safetensors` and `.json` as above, `.yaml`/`.yml` is the
// authors' config with `checkpoint` beside it, and any other name is an authors' checkpoint
// with `all_config.yaml` beside it. Shard and sibling URLs resolve against the given URL.

import { weightsFromAuthorsCheckpoint } from './authors-checkpoint';
import {
  downloadBytes,
  fetchSize,
  type LoadProgress,
  ProgressTracker,
  readLocalFile,
} from './download';
import { ModelLoadError, type ModelLoadWarning } from './errors';
import { readCachedFile, writeCachedFile } from './model-cache';
import {
  baseName,
  type NamedBytes,
  parseShardIndex,
  shardNames,
  weightsFromSafetensors,
} from './safetensors-model';
import type { HrmWeights, ModelProvenance } from './weights';
import { isZip } from './zip';

/** Local files, e.g. `input.files` or `dataTransfer.files`, several at once. */
export type ModelFiles = readonly File[] | FileList;

export interface LoadModelOptions {
  /** Called as bytes arrive, first with the total where HEAD or the file sizes tell it. */
  onProgress?: (progress: LoadProgress) => void;
  /** Called for problems that do not stop the load, such as a full cache quota. */
  onWarning?: (warning: ModelLoadWarning) => void;
  /** Keep downloaded files in Cache Storage and read them from there next time. Default true. */
  cache?: boolean;
  signal?: AbortSignal;
}

type Layout =
  | { kind: 'safetensors'; file: string }
  | { kind: 'sharded'; index: string }
  | { kind: 'authors'; checkpoint: string; config: string };

const INDEX_PATTERN = /\.json$/i;
const SAFETENSORS_PATTERN = /\.safetensors$/i;
const YAML_PATTERN = /\.ya?ml$/i;

/**
 * Loads a model from local files or a URL and returns its weights under canonical names.
 * Throws ModelLoadError with a message for the user when the files are incomplete, damaged or
 * disagree with their config.
 */
export async function loadModel(
  source: ModelFiles | string | URL,
  options: LoadModelOptions = {},
): Promise<HrmWeights> {
  if (typeof source === 'string' || source instanceof URL) {
    return loadFromUrl(resolveUrl(source), options);
  }
  return loadFromFiles(Array.from(source), options);
}

function resolveUrl(source: string | URL): string {
  const base = typeof location === 'undefined' ? undefined : location.href;
  try {
    return new URL(source, base).href;
  } catch (error) {
    throw new ModelLoadError(
      String(source),
      'is not a valid URL; give an absolute URL or a path on this site',
      {
        cause: error,
      },
    );
  }
}

/** Short model id from a path: the folder for standard file names, else the file stem. */
function modelIdOf(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  const file = parts.at(-1) ?? path;
  const standard =
    /^(model\.safetensors|model\.safetensors\.index\.json|checkpoint|all_config\.ya?ml)$/i;
  if (standard.test(file) && parts.length >= 2) return parts[parts.length - 2];
  return file.replace(/(\.safetensors)?(\.index)?\.(safetensors|json|ya?ml)$/i, '') || file;
}

async function loadFromFiles(files: File[], options: LoadModelOptions): Promise<HrmWeights> {
  if (files.length === 0) {
    throw new ModelLoadError(
      'files',
      'no files were given; pick a .safetensors file or a checkpoint with its all_config.yaml',
    );
  }
  const byName = new Map(files.map((file) => [file.name, file]));
  const layout = await detectLocalLayout(files);
  const needed = await filesOfLocalLayout(layout, byName);

  const tracker = new ProgressTracker(
    needed.map((file) => file.name),
    options.onProgress,
  );
  for (const file of needed) tracker.setTotal(file.name, file.size);
  tracker.report(needed[0].name);

  const bytes = new Map<string, Uint8Array>();
  for (const file of needed) {
    options.signal?.throwIfAborted();
    bytes.set(file.name, await readLocalFile(file, tracker));
  }
  options.signal?.throwIfAborted();

  const main = mainFileOf(layout);
  const provenance: ModelProvenance = { id: modelIdOf(main), name: modelIdOf(main), source: main };
  return assemble(layout, bytes, provenance);
}

async function detectLocalLayout(files: File[]): Promise<Layout> {
  const names = files.map((file) => file.name);
  const index = names.filter((name) => INDEX_PATTERN.test(name));
  const yaml = names.filter((name) => YAML_PATTERN.test(name));
  const safetensors = names.filter((name) => SAFETENSORS_PATTERN.test(name));

  if (index.length > 1 || yaml.length > 1) {
    throw new ModelLoadError(
      [...index, ...yaml].join(', '),
      'several index or config files were given; load one model at a time',
    );
  }
  if (index.length === 1) return { kind: 'sharded', index: index[0] };
  if (yaml.length === 1) {
    const others = names.filter((name) => name !== yaml[0]);
    if (others.length !== 1) {
      throw new ModelLoadError(
        yaml[0],
        `an authors' config needs exactly one checkpoint file beside it, but ${others.length} other files were given`,
      );
    }
    return { kind: 'authors', checkpoint: others[0], config: yaml[0] };
  }
  if (safetensors.length === 1 && files.length === 1)
    return { kind: 'safetensors', file: safetensors[0] };
  if (safetensors.length > 1) {
    throw new ModelLoadError(
      safetensors.join(', '),
      'several .safetensors files without model.safetensors.index.json; add the index file to load a sharded model',
    );
  }
  if (files.length === 1) {
    const head = new Uint8Array(await files[0].slice(0, 4).arrayBuffer());
    if (isZip(head)) {
      throw new ModelLoadError(
        files[0].name,
        "is a PyTorch checkpoint; select it together with its all_config.yaml to load the authors' format",
      );
    }
    return { kind: 'safetensors', file: files[0].name };
  }
  throw new ModelLoadError(
    names.join(', '),
    'cannot tell the format: give one .safetensors file, an index .json with its shards, or a checkpoint with all_config.yaml',
  );
}

async function filesOfLocalLayout(layout: Layout, byName: Map<string, File>): Promise<File[]> {
  const get = (name: string) => byName.get(name) as File;
  if (layout.kind === 'safetensors') return [get(layout.file)];
  if (layout.kind === 'authors') return [get(layout.checkpoint), get(layout.config)];

  const index = get(layout.index);
  const shards = shardNames(parseShardIndex(await index.text(), index.name));
  const missing = shards.filter((shard) => !byName.has(baseName(shard)));
  if (missing.length > 0) {
    throw new ModelLoadError(
      index.name,
      `lists shard(s) that were not given: ${missing.join(', ')}; select the index together with all its shards`,
    );
  }
  return [index, ...shards.map((shard) => get(baseName(shard)))];
}

function assemble(
  layout: Layout,
  bytes: Map<string, Uint8Array>,
  provenance: ModelProvenance,
): HrmWeights {
  const named = (name: string): NamedBytes => ({ name, bytes: bytes.get(name) as Uint8Array });
  if (layout.kind === 'safetensors')
    return weightsFromSafetensors([named(layout.file)], undefined, provenance);
  if (layout.kind === 'authors') {
    const text = new TextDecoder().decode(bytes.get(layout.config));
    return weightsFromAuthorsCheckpoint(
      named(layout.checkpoint),
      { name: layout.config, text },
      provenance,
    );
  }
  const index = parseShardIndex(new TextDecoder().decode(bytes.get(layout.index)), layout.index);
  const shards = [...bytes.keys()].filter((name) => name !== layout.index).map(named);
  return weightsFromSafetensors(shards, { name: layout.index, index }, provenance);
}

/** Returns the file a layout is named after: the .safetensors file, the index or the checkpoint. */
function mainFileOf(layout: Layout): string {
  if (layout.kind === 'safetensors') return layout.file;
  if (layout.kind === 'sharded') return layout.index;
  return layout.checkpoint;
}

function detectUrlLayout(url: string): Layout {
  const path = new URL(url).pathname;
  if (SAFETENSORS_PATTERN.test(path)) return { kind: 'safetensors', file: url };
  if (INDEX_PATTERN.test(path)) return { kind: 'sharded', index: url };
  if (YAML_PATTERN.test(path))
    return { kind: 'authors', checkpoint: new URL('checkpoint', url).href, config: url };
  return { kind: 'authors', checkpoint: url, config: new URL('all_config.yaml', url).href };
}

/** Settings shared by the reads of one URL load. */
interface UrlLoadContext {
  /** URL of the model's main file, under which its files are cached. */
  modelUrl: string;
  useCache: boolean;
  onWarning: (warning: ModelLoadWarning) => void;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
}

async function loadFromUrl(url: string, options: LoadModelOptions): Promise<HrmWeights> {
  const layout = detectUrlLayout(url);
  const context: UrlLoadContext = {
    modelUrl: mainFileOf(layout),
    useCache: options.cache ?? true,
    onWarning: options.onWarning ?? (() => {}),
    onProgress: options.onProgress,
    signal: options.signal,
  };
  const provenance = urlProvenance(context.modelUrl);

  if (layout.kind === 'sharded') {
    // The index is small and names the shards, so it is read before any size is known.
    const indexBytes = (await readUrls([layout.index], { ...context, onProgress: undefined })).get(
      layout.index,
    ) as Uint8Array;
    const index = parseShardIndex(new TextDecoder().decode(indexBytes), layout.index);
    const shardUrls = shardNames(index).map((shard) => new URL(shard, layout.index).href);
    const bytes = await readUrls(shardUrls, context);
    bytes.set(layout.index, indexBytes);
    return assemble(layout, bytes, provenance);
  }

  const urls = layout.kind === 'safetensors' ? [layout.file] : [layout.checkpoint, layout.config];
  return assemble(layout, await readUrls(urls, context), provenance);
}

function urlProvenance(url: string): ModelProvenance {
  const id = modelIdOf(new URL(url).pathname);
  return { id, name: id, source: url };
}

/**
 * Reads every URL from Cache Storage or the network, in order, reporting the combined
 * progress. Cached files count as read at once, so only the others need a HEAD request.
 */
async function readUrls(urls: string[], context: UrlLoadContext): Promise<Map<string, Uint8Array>> {
  const tracker = new ProgressTracker(urls, context.onProgress);
  const cached = new Map<string, Uint8Array>();
  if (context.useCache) {
    for (const url of urls) {
      const bytes = await readCachedFile(url, context.onWarning);
      if (bytes === null) continue;
      cached.set(url, bytes);
      tracker.setTotal(url, bytes.length);
      tracker.setLoaded(url, bytes.length);
    }
  }

  const missing = urls.filter((url) => !cached.has(url));
  const sizes = await Promise.all(missing.map((url) => fetchSize(url, context.signal)));
  missing.forEach((url, i) => {
    tracker.setTotal(url, sizes[i]);
  });
  tracker.report(missing[0] ?? urls[0]);

  for (const url of missing) {
    const bytes = await downloadBytes(url, tracker, context.signal);
    context.signal?.throwIfAborted();
    if (context.useCache) await writeCachedFile(url, context.modelUrl, bytes, context.onWarning);
    cached.set(url, bytes);
  }
  return new Map(urls.map((url) => [url, cached.get(url) as Uint8Array]));
}
