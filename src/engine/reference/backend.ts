// The plain-TypeScript backend: the reference kernel driven by the shared session, on the CPU.
// It is the last fallback when neither WebGPU nor onnxruntime-web can run.
// NOTE: each update blocks the calling thread (about 0.1 to 0.3 s for hidden_size 128 with 4+4
// layers on 82 positions, measured on a loaded 2-core machine). The kernel yields between
// updates only when given an AbortSignal, so a UI should pass one or run sessions in a Worker.

import type { HrmWeights } from '../../model/weights';
import { Session } from '../session';
import type { BackendKind, EngineOptions, HrmBackend, HrmSession } from '../types';
import { ReferenceKernel } from './kernel';

export class ReferenceBackend implements HrmBackend {
  readonly kind: BackendKind = 'reference';
  readonly description = 'plain TypeScript on the main thread of the page';

  async createSession(weights: HrmWeights, options: EngineOptions): Promise<HrmSession> {
    const kernel = new ReferenceKernel(weights, options.numeric);
    return new Session(kernel, weights.config, this.kind);
  }

  dispose(): void {
    // Sessions own their buffers, so the backend holds nothing to release.
  }
}
