import { toFloat32 } from '../../model/convert';
import type { HrmWeights } from '../../model/weights';

/**
 * Returns a parameter as float32 after checking its shape; bfloat16 (the authors' H_init and
 * L_init) and float16 widen exactly. The result may share memory with the loaded weights, so
 * callers must not modify it. Throws naming the parameter when it is missing, has another shape
 * or is not a floating-point tensor.
 */
export function parameterFloat32(weights: HrmWeights, name: string, shape: number[]): Float32Array {
  const model = weights.provenance.id;
  const tensor = weights.tensors.get(name);
  if (!tensor) {
    throw new Error(`Model ${model} has no parameter ${name}; load a complete HRM checkpoint.`);
  }
  if (tensor.shape.length !== shape.length || tensor.shape.some((dim, i) => dim !== shape[i])) {
    throw new Error(
      `Parameter ${name} of model ${model} has shape [${tensor.shape.join(', ')}], but its config implies [${shape.join(', ')}].`,
    );
  }
  if (tensor.dtype !== 'float32' && tensor.dtype !== 'bfloat16' && tensor.dtype !== 'float16') {
    throw new Error(
      `Parameter ${name} of model ${model} has dtype ${tensor.dtype}; HRM parameters must be float32, bfloat16 or float16.`,
    );
  }
  return toFloat32(tensor);
}
