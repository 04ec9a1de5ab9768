// Compute limit (segments, 1..64, past the trained halt_max_steps) and halting mode. Changing
// either re-runs the puzzle, or extends the recorded run when only the limit grew.

import { useTranslation } from 'react-i18next';
import type { HaltingMode } from '../engine/types';
import { MAX_SEGMENTS_LIMIT } from '../store/settings';
import { useApp, useModel, useSettings } from './context';

const MODES: HaltingMode[] = ['fixed', 'q_head'];

export function ComputeControls() {
  const app = useApp();
  const { t } = useTranslation();
  const maxSegments = useSettings((state) => state.maxSegments);
  const halting = useSettings((state) => state.halting);
  const trained = useModel((state) => state.current?.config.halt_max_steps ?? null);

  return (
    <section className="compute" aria-labelledby="compute-title">
      <h2 id="compute-title">{t('compute.title')}</h2>
      <label className="limit">
        <span>{t('compute.limit', { count: maxSegments })}</span>
        <input
          type="range"
          min={1}
          max={MAX_SEGMENTS_LIMIT}
          value={maxSegments}
          list="trained-limit"
          data-testid="segment-limit"
          aria-valuetext={t('compute.limit', { count: maxSegments })}
          onChange={(event) => app.settings.getState().setMaxSegments(Number(event.target.value))}
        />
        {trained !== null && (
          <datalist id="trained-limit">
            <option value={trained} label={t('compute.trained', { count: trained })} />
          </datalist>
        )}
      </label>
      {trained !== null && (
        <p className="hint">
          {maxSegments > trained
            ? t('compute.beyondTrained', { count: trained })
            : t('compute.trained', { count: trained })}
        </p>
      )}
      <fieldset>
        <legend>{t('compute.halting')}</legend>
        {MODES.map((mode) => (
          <label key={mode}>
            <input
              type="radio"
              name="halting"
              value={mode}
              checked={halting === mode}
              onChange={() => app.settings.getState().setHalting(mode)}
            />
            <span>{t(`compute.mode.${mode}`)}</span>
            <small>{t(`compute.modeHint.${mode}`)}</small>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
