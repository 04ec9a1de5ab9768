// @vitest-environment happy-dom
// Bugs found by driving the app as a new user: share-link values that were clamped twice or
// silently, a Sudoku paste error that stayed on screen after switching to a maze, and an English
// backend reason in the Vietnamese banner.
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createI18n } from '../../../src/i18n/index';
import { parseMaze } from '../../../src/puzzles/maze/text';
import { type AppServices, createApp } from '../../../src/store/app';
import { BackendBanner } from '../../../src/ui/BackendBanner';
import { AppProvider } from '../../../src/ui/context';
import { startLinkSync } from '../../../src/ui/link-sync';
import { PuzzlePanel } from '../../../src/ui/PuzzlePanel';
import { createBrowserServices } from '../../../src/ui/services';
import { createTinySession, loadTinyWeights } from '../store/tiny-model';

// happy-dom has no navigator.gpu, so the probe reports what a working WebGPU adapter returns.
vi.mock('../../../src/engine/webgpu/probe', () => ({
  probeWebGpu: async () => ({ available: true, computeOk: true, adapter: 'test adapter' }),
}));

// The real puzzle services, with the tiny fixture standing in for the catalog download and the
// reference engine for the browser's backend choice (Node has neither WebGPU nor an app server).
function tinyServices(): AppServices {
  return {
    ...createBrowserServices(),
    fetchCatalog: async () => [
      {
        id: 'tiny',
        name: 'Tiny random HRM',
        task: 'sudoku',
        path: 'models/tiny/model.safetensors',
        bytes: 1,
        default: true,
      },
    ],
    loadFromCatalog: async () => loadTinyWeights(),
    createSession: async (weights) => ({
      session: await createTinySession(weights),
      backend: { kind: 'reference', reason: 'chosen by the test', description: 'reference engine' },
    }),
  };
}

async function openWithHash(hash: string) {
  window.history.replaceState(null, '', `/${hash}`);
  const app = createApp(tinyServices());
  await startLinkSync(app);
  await app.controller.idle();
  return app;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('share link problems', () => {
  test('m above both limits reported once', async () => {
    const app = await openWithHash('#v=1&m=999999');
    const problems = app.link.getState().problems;

    expect(app.settings.getState().maxSegments).toBe(64);
    expect(problems).toHaveLength(1);
    expect(problems[0].param).toBe('m');
    // The value the user wrote, not the parser's intermediate clamp to 256.
    expect(problems[0].value).toBe('999999');
    expect(problems[0].message).toContain("'999999'");
    expect(problems[0].message).toContain('clamped to 64');
    app.controller.dispose();
  });

  test('s past run end is reported', async () => {
    const app = await openWithHash('#v=1&m=1&s=99999');
    const { events, cursor } = app.run.getState();
    const problems = app.link.getState().problems;

    expect(events.length).toBeGreaterThan(0);
    expect(cursor).toBe(events.length - 1);
    expect(problems).toHaveLength(1);
    expect(problems[0].param).toBe('s');
    expect(problems[0].value).toBe('99999');
    expect(problems[0].message).toContain(`0 to ${events.length - 1}`);
    app.controller.dispose();
  });

  test('s within run end is not reported', async () => {
    const app = await openWithHash('#v=1&m=1&s=2');

    expect(app.run.getState().cursor).toBe(2);
    expect(app.link.getState().problems).toEqual([]);
    app.controller.dispose();
  });
});

describe('PuzzlePanel paste box', () => {
  test('switching task clears paste error', () => {
    // The gallery fetches public/puzzles/gallery.json, which no server provides here.
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('not found', { status: 404 })),
    );
    const app = createApp(tinyServices());
    const { getByTestId, queryByTestId, getByRole } = render(
      <I18nextProvider i18n={createI18n('en')}>
        <AppProvider app={app}>
          <PuzzlePanel />
        </AppProvider>
      </I18nextProvider>,
    );

    fireEvent.change(getByTestId('paste-box'), { target: { value: '123' } });
    fireEvent.click(getByRole('button', { name: 'Use pasted puzzle' }));
    expect(queryByTestId('paste-error')?.textContent).toContain('found 3');

    const maze = parseMaze(['S  ', ' # ', '  G'].join('\n'));
    act(() => app.puzzle.getState().setPuzzle({ task: 'maze', grid: maze }, { kind: 'pasted' }));

    expect(queryByTestId('paste-error')).toBeNull();
    expect((getByTestId('paste-box') as HTMLTextAreaElement).value).toBe('');
    app.controller.dispose();
  });
});

describe('BackendBanner', () => {
  test('WebGPU line is translated', async () => {
    const app = createApp(tinyServices());
    const weights = loadTinyWeights();
    app.model.getState().setLoaded(
      { provenance: weights.provenance, task: 'sudoku', config: weights.config },
      {
        kind: 'webgpu',
        reason: 'WebGPU works on test adapter; running the WGSL engine.',
        description: 'WebGPU (WGSL kernels) on test adapter',
      },
    );
    const { findByText, getByTestId } = render(
      <I18nextProvider i18n={createI18n('vi')}>
        <AppProvider app={app}>
          <BackendBanner />
        </AppProvider>
      </I18nextProvider>,
    );

    await findByText('WebGPU khả dụng: test adapter');
    const line = getByTestId('backend').textContent ?? '';
    expect(line).toBe('Đang chạy trên WebGPU (kernel WGSL viết tay), bộ điều hợp test adapter.');
    expect(line).not.toContain('running the WGSL engine');
    app.controller.dispose();
  });

  test('engine description and reason marked English', async () => {
    const app = createApp(tinyServices());
    const weights = loadTinyWeights();
    app.model
      .getState()
      .setLoaded(
        { provenance: weights.provenance, task: 'sudoku', config: weights.config },
        { kind: 'reference', reason: 'chosen by the test', description: 'reference engine' },
      );
    const { getByTestId } = render(
      <I18nextProvider i18n={createI18n('vi')}>
        <AppProvider app={app}>
          <BackendBanner />
        </AppProvider>
      </I18nextProvider>,
    );

    const english = Array.from(getByTestId('backend').querySelectorAll('[lang="en"]'));
    expect(english.map((element) => element.textContent)).toEqual([
      '(reference engine)',
      'chosen by the test',
    ]);
    expect(getByTestId('backend').textContent).toContain('Lý do:');
    app.controller.dispose();
  });
});
