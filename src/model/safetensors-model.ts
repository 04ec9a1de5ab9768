// Assembles HrmWeights from our safetensors files: one `model.safetensors`, or shards listed by
// a Hugging Face style `model.safetensors.index.json`. The config is the JSON in the metadata
// key `hrm_config`, of the index when sharded, else of the file.

import type { PartialConfig } from './config-parse';
import { pickConfigFields, validateConfig } from './config-parse';
import { ModelLoadError } from './errors';
import { canonicalizeKeys, checkParameters, deriveMissingFields } from './parameters';
import { readSafetensors } from './safetensors';
import type { HostTensor } from './tensor';
import type { HrmWeights, ModelProvenance } from './weights';

/** A file's name and bytes. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** The parsed `model.safetensors.index.json`. */
export interface ShardIndex {
  metadata: Record<string, unknown>;
  /** Tensor key to shard file name. */
  weightMap: Map<string, string>;
}

/** Parses an index file and checks that every value is a shard file name. */
export function parseShardIndex(text: string, fileName: string): ShardIndex {
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch (error) {
    throw new ModelLoadError(fileName, `invalid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new ModelLoadError(
      fileName,
      'has no "weight_map" object, so it is not a model.safetensors.index.json; pick the index file',
    );
  }
  const map = new Map<string, string>();
  for (const [key, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || shard === '' || shard.includes('..')) {
      throw new ModelLoadError(
        fileName,
        `weight_map entry ${key} names shard ${JSON.stringify(shard)}, not a file name`,
      );
    }
    map.set(key, shard);
  }
  const metadata = (index as { metadata?: unknown }).metadata;
  return {
    metadata:
      typeof metadata === 'object' && metadata !== null
        ? (metadata as Record<string, unknown>)
        : {},
    weightMap: map,
  };
}

/** Shard file names in first-use order. */
export function shardNames(index: ShardIndex): string[] {
  return [...new Set(index.weightMap.values())];
}

function parseHrmConfigMetadata(value: unknown, fileName: string): PartialConfig {
  if (value === undefined) {
    throw new ModelLoadError(
      fileName,
      'has no hrm_config metadata, so the model config is unknown; export the model with the ' +
        "project's training scripts, or load the authors' checkpoint with its all_config.yaml",
    );
  }
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new ModelLoadError(
        fileName,
        `hrm_config metadata is not valid JSON (${(error as Error).message})`,
      );
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ModelLoadError(
      fileName,
      'hrm_config metadata must be a JSON object of config fields',
    );
  }
  return pickConfigFields(parsed as Record<string, unknown>);
}

/**
 * Builds HrmWeights from safetensors files. With `index`, `files` are the shards; every tensor
 * must sit in the shard the weight_map names, and every shard must be given.
 */
export function weightsFromSafetensors(
  files: NamedBytes[],
  index: { name: string; index: ShardIndex } | undefined,
  provenance: ModelProvenance,
): HrmWeights {
  const tensors = new Map<string, HostTensor>();
  let metadata: Record<string, unknown> = {};
  let configSource = files[0]?.name ?? provenance.source;

  if (index === undefined) {
    if (files.length !== 1) {
      throw new ModelLoadError(
        provenance.source,
        `got ${files.length} safetensors files without a model.safetensors.index.json; add the index file`,
      );
    }
    const file = readSafetensors(files[0].bytes, files[0].name);
    metadata = file.metadata;
    for (const [key, tensor] of file.tensors) tensors.set(key, tensor);
  } else {
    metadata = index.index.metadata;
    configSource = index.name;
    readShards(files, index, tensors);
  }

  const fields = parseHrmConfigMetadata(metadata.hrm_config, configSource);
  const named = canonicalizeKeys(tensors, configSource);
  const completed = deriveMissingFields(fields, named, configSource);
  const config = validateConfig(completed.fields, configSource, 'hrm_config.');
  checkParameters(named, config, configSource);

  const card = typeof metadata.model_card === 'string' ? metadata.model_card : provenance.card;
  return {
    config,
    tensors: new Map([...named].map(([name, { tensor }]) => [name, tensor])),
    provenance: { ...provenance, ...(card !== undefined ? { card } : {}) },
  };
}

function readShards(
  files: NamedBytes[],
  index: { name: string; index: ShardIndex },
  tensors: Map<string, HostTensor>,
): void {
  const byName = new Map(files.map((file) => [baseName(file.name), file]));
  for (const shard of shardNames(index.index)) {
    const file = byName.get(baseName(shard));
    if (file === undefined) {
      throw new ModelLoadError(
        index.name,
        `weight_map names shard ${shard}, which was not given; add it to the files you load`,
      );
    }
    const { tensors: shardTensors } = readSafetensors(file.bytes, file.name);
    for (const [key, tensor] of shardTensors) {
      const listed = index.index.weightMap.get(key);
      if (listed === undefined || baseName(listed) !== baseName(shard)) {
        throw new ModelLoadError(
          file.name,
          `tensor ${key} is in this shard, but ${index.name} lists it in ${listed ?? 'no shard'}`,
        );
      }
      tensors.set(key, tensor);
    }
  }
  for (const [key, shard] of index.index.weightMap) {
    if (!tensors.has(key)) {
      throw new ModelLoadError(
        shard,
        `tensor ${key}, listed in ${index.name}, is not in this shard`,
      );
    }
  }
}

/** Returns the last path segment of a file name or URL path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
