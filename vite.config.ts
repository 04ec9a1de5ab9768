import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation lets onnxruntime-web's WASM backend use threads
// (SharedArrayBuffer). A static host must send the same two headers.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // Harness pages import these directly; without pre-bundling, the first page that imports
  // one triggers a dependency re-optimisation and a reload.
  optimizeDeps: { include: ['onnxruntime-web', 'onnx-proto'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
