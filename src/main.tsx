import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { probeWebGpu, type WebGpuProbe } from './engine/webgpu/probe';

function App() {
  const [probe, setProbe] = useState<WebGpuProbe | null>(null);
  useEffect(() => {
    probeWebGpu().then(setProbe, (error: unknown) =>
      setProbe({ available: false, computeOk: false, reason: String(error) }),
    );
  }, []);
  return (
    <main>
      <h1>HRM Playground</h1>
      <p data-testid="webgpu-status">
        {probe === null
          ? 'Checking WebGPU…'
          : probe.available && probe.computeOk
            ? `WebGPU available: ${probe.adapter}`
            : `WebGPU unavailable: ${probe.reason}`}
      </p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
