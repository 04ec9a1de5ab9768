import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, type LaunchedBrowser } from './chromium';

/**
 * Opens the onnxruntime harness page and imports onnxruntime-web in it. The dev server scans
 * only index.html for dependencies. When a harness page is the first to import onnxruntime-web
 * or onnx-proto, Vite bundles the dependency and fails the imports in flight ("Failed to fetch
 * dynamically imported module", or a module script that never runs). So a failed first load is
 * followed by one reload, which finds the bundled dependencies.
 */
export async function openOrtPage(page: Page, url: string): Promise<void> {
  const loadOrt = async (): Promise<void> => {
    await page.waitForFunction(
      () => document.getElementById('status')?.textContent === 'ready',
      null,
      {
        timeout: 60_000,
      },
    );
    await page.evaluate(() => window.ortChecks.load());
  };
  await page.goto(url);
  try {
    await loadOrt();
  } catch (error) {
    console.warn(`[ort] first load of ${url} failed, reloading once: ${String(error)}`);
    await page.reload();
    await loadOrt();
  }
}

/**
 * Launches Chromium as a browser without WebGPU appears to pages. The shared launcher always
 * passes --enable-unsafe-webgpu, which overrides --disable-features=WebGPU, so this one leaves
 * it out. Headless Chromium 156 on a machine without a GPU then exposes navigator.gpu but
 * returns no adapter.
 * NOTE: on a machine with a GPU that Chromium trusts, an adapter may still appear.
 */
export async function launchChromiumWithoutWebGpu(): Promise<LaunchedBrowser> {
  const args = CHROMIUM_ARGS.filter((arg) => arg !== '--enable-unsafe-webgpu');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...args, '--disable-features=WebGPU'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return { context, close: () => browser.close() };
}
