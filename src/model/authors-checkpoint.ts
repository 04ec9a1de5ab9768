// Assembles HrmWeights from the authors' release format: the `checkpoint` file written by
// torch.save(model.state_dict()) and the `all_config.yaml` of the training run, whose `arch`
// section holds the config fields. seq_len, vocab_size and num_puzzle_identifiers are usually
// absent there (pretrain.py takes them from the dataset) and are derived from the tensors.

import { parse as parseYaml } from 'yaml';
import { pickConfigFields, validateConfig } from './config-parse';
import { ModelLoadError } from './errors';
import { canonicalizeKeys, checkParameters, deriveMissingFields } from './parameters';
import type { NamedBytes } from './safetensors-model';
import { readTorchCheckpoint } from './torch-checkpoint';
import type { HrmWeights, ModelProvenance } from './weights';

/** Reads the `arch` section of all_config.yaml as config fields. */
export function parseAuthorsConfig(text: string, fileName: string) {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ModelLoadError(fileName, `invalid YAML (${(error as Error).message})`, {
      cause: error,
    });
  }
  const arch = (document as { arch?: unknown } | null)?.arch;
  if (typeof arch !== 'object' || arch === null || Array.isArray(arch)) {
    throw new ModelLoadError(
      fileName,
      'has no "arch" section, so it is not the all_config.yaml of an HRM training run; pick the ' +
        'all_config.yaml that came with the checkpoint',
    );
  }
  return pickConfigFields(arch as Record<string, unknown>);
}

/** Builds HrmWeights from an authors' checkpoint and its all_config.yaml text. */
export function weightsFromAuthorsCheckpoint(
  checkpoint: NamedBytes,
  config: { name: string; text: string },
  provenance: ModelProvenance,
): HrmWeights {
  const fields = parseAuthorsConfig(config.text, config.name);
  const tensors = readTorchCheckpoint(checkpoint.bytes, checkpoint.name);
  const named = canonicalizeKeys(tensors, checkpoint.name);

  const completed = deriveMissingFields(fields, named, config.name);
  const validated = validateConfig(completed.fields, config.name, 'arch.');
  checkParameters(named, validated, checkpoint.name);

  return {
    config: validated,
    tensors: new Map([...named].map(([name, { tensor }]) => [name, tensor])),
    provenance,
  };
}
