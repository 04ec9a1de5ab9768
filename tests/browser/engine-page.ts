// Opens the WGSL engine harness page (pages/engine.html) and calls its checks.

import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import type { LaunchedBrowser } from './chromium';
import type { EngineChecks } from './pages/engine';

export async function openEnginePage(browser: LaunchedBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      console.error(`[page ${message.type()}] ${message.text()}`);
    }
  });
  await page.goto(`${inject('devURL')}/tests/browser/pages/engine.html`);
  await page.waitForFunction(
    () => document.getElementById('status')?.textContent === 'ready',
    null,
    {
      timeout: 120_000,
    },
  );
  return page;
}

/** Calls `window.engineChecks[name](...args)` in the page. */
export function callEngine<K extends keyof EngineChecks>(
  page: Page,
  name: K,
  ...args: Parameters<EngineChecks[K]>
): Promise<Awaited<ReturnType<EngineChecks[K]>>> {
  return page.evaluate(
    ([checkName, checkArgs]) => {
      const fn = window.engineChecks[checkName] as (...a: unknown[]) => Promise<unknown>;
      return fn(...(checkArgs as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<EngineChecks[K]>>>;
}
