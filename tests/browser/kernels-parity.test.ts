import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './chromium';
import type { Difference } from './pages/harness';
import type { KernelChecks } from './pages/kernels';

// Each WGSL kernel against its plain-TypeScript version (src/engine/webgpu/reference.ts) on
// sizes that are not multiples of the tiles and on the largest sizes the released models need
// (hidden_size 512, inter 1536, 901 positions, 8 heads). `worstRatio` is the largest
// |gpu - reference| / (atol + rtol |reference|), so at most 1 passes.

let browser: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[page] ${message.text()}`);
  });
  await page.goto(`${inject('devURL')}/tests/browser/pages/kernels.html`);
  await page.waitForFunction(
    () => document.getElementById('status')?.textContent === 'ready',
    null,
    {
      timeout: 120_000,
    },
  );
});

afterAll(async () => {
  await browser?.close();
});

function check<K extends keyof KernelChecks>(
  name: K,
  ...args: Parameters<KernelChecks[K]>
): Promise<Awaited<ReturnType<KernelChecks[K]>>> {
  return page.evaluate(
    ([checkName, checkArgs]) => {
      const fn = window.kernelChecks[checkName] as (...a: unknown[]) => Promise<unknown>;
      return fn(...(checkArgs as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<KernelChecks[K]>>>;
}

function expectClose(difference: Difference): void {
  expect(difference.worstRatio, JSON.stringify(difference)).toBeLessThanOrEqual(1);
}

const modes = ['float32', 'bfloat16'] as const;

describe.each(modes)('%s kernels', (mode) => {
  test('qkv with RoPE, odd rows', async () => {
    expectClose(
      await check('checkQkv', { rows: 37, hidden_size: 48, num_heads: 3, rope: true, mode }),
    );
  });

  test('qkv without RoPE, odd rows', async () => {
    expectClose(
      await check('checkQkv', { rows: 21, hidden_size: 32, num_heads: 2, rope: false, mode }),
    );
  });

  test('swiglu, odd sizes', async () => {
    expectClose(await check('checkSwiglu', { rows: 19, hidden_size: 40, inter: 71, mode }));
  });

  // Widths that are not a multiple of 4 (8 for packed bfloat16) take the scalar-load entry
  // point of the tiled products. The tests above take the vec4 one.
  test('qkv and swiglu with a width the vec4 loads cannot read', async () => {
    expectClose(
      await check('checkQkv', { rows: 11, hidden_size: 42, num_heads: 3, rope: true, mode }),
    );
    expectClose(await check('checkSwiglu', { rows: 11, hidden_size: 42, inter: 29, mode }));
  });

  test('qkv without RoPE, odd head_dim', async () => {
    expectClose(
      await check('checkQkv', { rows: 9, hidden_size: 12, num_heads: 4, rope: false, mode }),
    );
  });

  test('residual norm with a width the vec4 loads can read', async () => {
    expectClose(
      await check('checkResidualNorm', { rows: 13, inputWidth: 64, hidden_size: 46, mode }),
    );
  });

  test('residual norm, odd sizes', async () => {
    expectClose(
      await check('checkResidualNorm', { rows: 13, inputWidth: 38, hidden_size: 46, mode }),
    );
  });

  test('attention, odd positions, tiled path', async () => {
    expectClose(
      await check('checkAttention', {
        positions: 23,
        hidden_size: 24,
        num_heads: 3,
        mode,
        path: 'tiled',
      }),
    );
  });

  test('attention, odd head_dim, streaming path', async () => {
    expectClose(
      await check('checkAttention', {
        positions: 23,
        hidden_size: 30,
        num_heads: 3,
        mode,
        path: 'streaming',
      }),
    );
  });

  test('embedding with puzzle prefix', async () => {
    expectClose(
      await check('checkEmbedding', {
        seq_len: 81,
        hidden_size: 36,
        puzzle_emb_len: 1,
        vocab_size: 11,
        learnedPositions: false,
        mode,
      }),
    );
  });

  test('embedding with learned positions', async () => {
    expectClose(
      await check('checkEmbedding', {
        seq_len: 30,
        hidden_size: 20,
        puzzle_emb_len: 2,
        vocab_size: 6,
        learnedPositions: true,
        mode,
      }),
    );
  });

  test('injection for L and H', async () => {
    expectClose(await check('checkInject', 1001, true, mode));
    expectClose(await check('checkInject', 1001, false, mode));
  });

  test('heads: logits, argmax, confidence, entropy, Q', async () => {
    const result = await check('checkHeads', {
      seq_len: 81,
      hidden_size: 40,
      vocab_size: 11,
      puzzle_emb_len: 1,
      mode,
    });
    expectClose(result.logits);
    expectClose(result.prediction);
    expectClose(result.confidence);
    expectClose(result.entropy);
    expectClose(result.q);
  });
});

describe('released sizes', () => {
  test('qkv at hidden 512, 82 positions, 8 heads', async () => {
    expectClose(
      await check('checkQkv', {
        rows: 82,
        hidden_size: 512,
        num_heads: 8,
        rope: true,
        mode: 'bfloat16',
      }),
    );
  });

  test('swiglu at inter 1536', async () => {
    expectClose(
      await check('checkSwiglu', { rows: 41, hidden_size: 512, inter: 1536, mode: 'float32' }),
    );
  });

  test('down_proj residual norm at 1536 to 512', async () => {
    expectClose(
      await check('checkResidualNorm', {
        rows: 82,
        inputWidth: 1536,
        hidden_size: 512,
        mode: 'float32',
      }),
    );
  });

  test('attention at 901 positions, 8 heads of 64', async () => {
    expectClose(
      await check('checkAttention', {
        positions: 901,
        hidden_size: 512,
        num_heads: 8,
        mode: 'float32',
        path: 'tiled',
      }),
    );
  });

  test('heads at 900 cells', async () => {
    const result = await check('checkHeads', {
      seq_len: 900,
      hidden_size: 512,
      vocab_size: 6,
      puzzle_emb_len: 1,
      mode: 'float32',
    });
    expectClose(result.logits);
    expectClose(result.prediction);
  });
});

describe('other kernels', () => {
  test('state update commits and measures', async () => {
    const result = await check('checkStateUpdate', 82 * 64 + 3);
    expectClose(result.state);
    expectClose(result.norms);
  });

  test('pipeline error carries WGSL message', async () => {
    const message = await check('pipelineError');
    expect(message).toMatch(/Building the WGSL pipeline broken failed/);
    expect(message).toMatch(/broken\.wgsl:\d+:\d+/);
  });
});
