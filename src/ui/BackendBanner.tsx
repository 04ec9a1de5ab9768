// The backend banner: the backend that runs the model and the reason from the engine's backend
// selection, the WebGPU probe result, device events, and the mean time per recorded update.

import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BACKEND_KINDS } from '../engine/select';
import { probeWebGpu, type WebGpuProbe } from '../engine/webgpu/probe';
import type { BackendInfo } from '../store/model';
import { type BackendRequest, parseBackendRequest } from '../store/settings';
import { useApp, useModel, useRun, useSettings } from './context';

const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', ...BACKEND_KINDS];

/** Backends that need a WebGPU adapter. */
const NEEDS_WEBGPU: readonly BackendRequest[] = ['webgpu', 'ort-webgpu'];

/**
 * Selects the backend. A change recompiles the loaded model on it (see src/store/app.ts). The
 * value stays as chosen when that backend cannot run and another engine takes over. Once the
 * probe finds no usable WebGPU, the options that need it are marked but stay selectable, so the
 * banner can show the fallback and its reason.
 */
function BackendPicker({ webgpuUsable }: { webgpuUsable: boolean | null }) {
  const { t } = useTranslation();
  const settings = useApp().settings;
  const requested = useSettings((state) => state.backend);
  const compiling = useModel((state) => state.loading?.stage === 'compile');

  return (
    <label className="backend-picker">
      {t('backend.pick')}
      <select
        data-testid="backend-select"
        value={requested}
        aria-busy={compiling}
        onChange={(event) =>
          settings.getState().setBackend(parseBackendRequest(event.target.value))
        }
      >
        {BACKEND_REQUESTS.map((request) => (
          <option key={request} value={request}>
            {t(`backend.option.${request}`)}
            {webgpuUsable === false && NEEDS_WEBGPU.includes(request)
              ? t('backend.optionNoWebgpu')
              : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Names the running backend. The WGSL engine's line is fully translated because the probe line
 * above already states why it runs. Other backends' descriptions and reasons come from the engine
 * in English, so they are marked lang="en".
 */
function BackendLine({ backend, adapter }: { backend: BackendInfo; adapter?: string }) {
  const { t } = useTranslation();
  if (backend.kind === 'webgpu' && adapter !== undefined) {
    return <p data-testid="backend">{t('backend.runningWebgpu', { adapter })}</p>;
  }
  return (
    <p data-testid="backend">
      {t('backend.running', { kind: t(`backend.kind.${backend.kind}`) })}{' '}
      <span lang="en">({backend.description})</span>.{' '}
      <span className="reason">
        {t('backend.because', { reason: '' })}
        <span lang="en">{backend.reason}</span>
      </span>
    </p>
  );
}

export function BackendBanner() {
  const { t } = useTranslation();
  const backend = useModel((state) => state.backend);
  const device = useModel((state) => state.device);
  const events = useRun((state) => state.events);
  const [probe, setProbe] = useState<WebGpuProbe | null>(null);

  useEffect(() => {
    probeWebGpu().then(setProbe, (error: unknown) =>
      setProbe({ available: false, computeOk: false, reason: String(error) }),
    );
  }, []);

  const meanMs = useMemo(() => {
    if (events.length === 0) return null;
    return events.reduce((sum, event) => sum + event.elapsedMs, 0) / events.length;
  }, [events]);

  let probeText: string;
  if (probe === null) probeText = t('backend.checking');
  else if (probe.available && probe.computeOk)
    probeText = t('backend.webgpuAvailable', { adapter: probe.adapter });
  else probeText = t('backend.webgpuUnavailable', { reason: probe.reason });

  return (
    <aside className="backend-banner" aria-label={t('backend.title')}>
      <BackendPicker webgpuUsable={probe === null ? null : probe.available && probe.computeOk} />
      <p data-testid="webgpu-status">{probeText}</p>
      {backend && <BackendLine backend={backend} adapter={probe?.adapter} />}
      {device && (
        <p
          data-testid="device-event"
          className={device.type === 'recovered' ? undefined : 'error'}
          role="alert"
        >
          {device.type === 'lost' &&
            t('backend.deviceLost', { reason: device.reason, message: device.message })}
          {device.type === 'recovered' && t('backend.deviceRecovered')}
          {device.type === 'recovery-failed' &&
            t('backend.recoveryFailed', { message: device.error.message })}
          {device.type === 'uncaptured-error' &&
            t('backend.uncapturedError', { message: device.message, count: device.count })}
        </p>
      )}
      {meanMs !== null && (
        <p data-testid="performance">
          {t('backend.perUpdate', {
            ms: meanMs.toFixed(meanMs < 10 ? 2 : 1),
            count: events.length,
          })}
        </p>
      )}
    </aside>
  );
}
