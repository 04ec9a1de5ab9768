// Model picker over the shipped catalog, and "load your own": drop or pick a safetensors file, or
// the authors' checkpoint with its all_config.yaml. Shows the download size before loading, byte
// progress, the shader-compiling stage, errors (the current model stays loaded), and on request
// the architecture and the model card.

import { type DragEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CachedModel, deleteCachedModel, listCachedModels } from '../model/model-cache';
import { useApp, useModel } from './context';

/** Formats a byte count with binary units, e.g. 1.5 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function LoadProgressView() {
  const { t } = useTranslation();
  const loading = useModel((state) => state.loading);
  if (!loading) return null;
  const { stage, loaded, total, label } = loading;
  return (
    <div className="load-progress" role="status" data-testid="load-progress">
      <span>{t(`model.stage.${stage}`, { label })}</span>
      {stage === 'download' && (
        <>
          <progress max={total ?? undefined} value={total ? loaded : undefined} />
          <span>
            {total
              ? t('model.bytesOf', { loaded: formatBytes(loaded), total: formatBytes(total) })
              : formatBytes(loaded)}
          </span>
        </>
      )}
      {stage !== 'download' && <progress />}
    </div>
  );
}

function Architecture() {
  const { t } = useTranslation();
  const current = useModel((state) => state.current);
  const [card, setCard] = useState<string | null>(null);
  const catalog = useModel((state) => state.catalog);
  const entry = catalog.find((item) => item.id === current?.provenance.id);

  useEffect(() => {
    setCard(current?.provenance.card ?? null);
    if (current?.provenance.card || !entry?.card) return;
    let cancelled = false;
    fetch(`${import.meta.env.BASE_URL}${entry.card}`)
      .then((response) => (response.ok ? response.text() : null))
      .then((text) => {
        if (!cancelled) setCard(text);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [current, entry]);

  if (!current) return null;
  const { config } = current;
  const rows: [string, string | number][] = [
    ['hidden_size', config.hidden_size],
    ['num_heads', config.num_heads],
    ['H_layers / L_layers', `${config.H_layers} / ${config.L_layers}`],
    ['H_cycles / L_cycles', `${config.H_cycles} / ${config.L_cycles}`],
    ['halt_max_steps', config.halt_max_steps],
    ['pos_encodings', config.pos_encodings],
    ['seq_len', config.seq_len],
    ['vocab_size', config.vocab_size],
    ['puzzle_emb_ndim', config.puzzle_emb_ndim],
    ['forward_dtype', config.forward_dtype],
  ];
  return (
    <details className="architecture">
      <summary>{t('model.architecture')}</summary>
      <table>
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('model.source', { source: current.provenance.source })}</p>
      {card ? <pre className="model-card">{card}</pre> : <p>{t('model.noCard')}</p>}
    </details>
  );
}

/** Models kept in Cache Storage, with their size and a button to delete each. */
function CacheManager() {
  const { t } = useTranslation();
  const current = useModel((state) => state.current);
  const [cached, setCached] = useState<CachedModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    listCachedModels().then(setCached, (caught: unknown) => setError(String(caught)));
  }, []);

  // A model load may have added files, so the list refreshes when the model changes.
  useEffect(() => {
    if (current) refresh();
  }, [current, refresh]);

  const remove = async (id: string) => {
    try {
      await deleteCachedModel(id);
      refresh();
    } catch (caught) {
      setError(String(caught));
    }
  };

  return (
    <details className="cache" onToggle={refresh}>
      <summary>{t('model.cache')}</summary>
      {error && <p className="error">{t('model.cacheFailed', { message: error })}</p>}
      {cached?.length === 0 && <p>{t('model.cacheEmpty')}</p>}
      <ul>
        {cached?.map((model) => (
          <li key={model.id}>
            <span className="cache-id">{model.id}</span> · {formatBytes(model.bytes)}{' '}
            <button
              type="button"
              onClick={() => void remove(model.id)}
              aria-label={t('model.cacheDelete', { id: model.id })}
            >
              {t('model.delete')}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

function DropZone() {
  const app = useApp();
  const { t } = useTranslation();
  const [over, setOver] = useState(false);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) void app.loadFiles(files);
  };

  // The file input inside is the keyboard and screen-reader route; the drop target adds drag and drop.
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target needs drag handlers
    <div
      className={over ? 'drop-zone over' : 'drop-zone'}
      data-testid="model-drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>{t('model.dropHint')}</p>
      <label className="file-button">
        {t('model.pickFiles')}
        <input
          type="file"
          multiple
          accept=".safetensors,.json,.pt,.bin,.yaml,.yml"
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            if (files.length > 0) void app.loadFiles(files);
            event.target.value = '';
          }}
        />
      </label>
    </div>
  );
}

export function ModelPanel() {
  const app = useApp();
  const { t } = useTranslation();
  const catalog = useModel((state) => state.catalog);
  const catalogError = useModel((state) => state.catalogError);
  const current = useModel((state) => state.current);
  const error = useModel((state) => state.error);
  const loading = useModel((state) => state.loading);
  const selectedId = current?.provenance.id ?? '';
  const inCatalog = catalog.some((entry) => entry.id === selectedId);

  return (
    <section className="model-panel" aria-labelledby="model-title">
      <h2 id="model-title">{t('model.title')}</h2>
      <label>
        {t('model.picker')}
        <select
          value={inCatalog ? selectedId : ''}
          disabled={loading !== null}
          data-testid="model-picker"
          onChange={(event) => void app.loadCatalogModel(event.target.value)}
        >
          {!inCatalog && (
            <option value="">{current ? current.provenance.name : t('model.none')}</option>
          )}
          {catalog.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {t('model.option', {
                name: entry.name,
                task: t(`task.${entry.task}`),
                size: formatBytes(entry.bytes),
              })}
            </option>
          ))}
        </select>
      </label>
      {catalogError && (
        <p className="error">{t('model.catalogFailed', { message: catalogError })}</p>
      )}
      {/* NOTE: a picked model.safetensors or checkpoint shows as "model" or "checkpoint", because
          the browser gives only the file name, not its folder. */}
      <p data-testid="current-model">
        {current ? t('model.current', { name: current.provenance.name }) : t('model.none')}
      </p>
      <LoadProgressView />
      {error && (
        <p className="error" role="alert" data-testid="model-error">
          {t('model.loadFailed', { message: error })}
          {current && ` ${t('model.kept', { name: current.provenance.name })}`}
        </p>
      )}
      <DropZone />
      <Architecture />
      <CacheManager />
    </section>
  );
}
