// Public surface of model loading, for the app and the browser test harness.

export { weightsFromAuthorsCheckpoint } from './authors-checkpoint';
export type { HrmConfig, HrmDims } from './config';
export { deriveDims } from './config';
export {
  bfloat16ToFloat32,
  float16ToFloat32,
  float32ToBfloat16,
  packBfloat16Pairs,
  toFloat32,
} from './convert';
export type { LoadProgress } from './download';
export { fetchSize } from './download';
export type { ModelLoadWarning } from './errors';
export { ModelLoadError } from './errors';
export type { LoadModelOptions, ModelFiles } from './load-model';
export { loadModel } from './load-model';
export type { CachedModel } from './model-cache';
export { deleteCachedModel, listCachedModels, MODEL_CACHE_NAME } from './model-cache';
export { readSafetensors, writeSafetensors } from './safetensors';
export type { DType, HostTensor } from './tensor';
export { readTorchCheckpoint } from './torch-checkpoint';
export type { HrmWeights, ModelProvenance, ParameterName } from './weights';
export { canonicalParameterName } from './weights';
