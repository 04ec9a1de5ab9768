import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toFloat32 } from '../../../src/model/convert';
import type { LoadProgress } from '../../../src/model/download';
import { ModelLoadError, type ModelLoadWarning } from '../../../src/model/errors';
import { loadModel } from '../../../src/model/load-model';
import type { HrmWeights } from '../../../src/model/weights';
import { fixtureBytes, fixtureFile, fixtureText, LOADER_FIXTURES, rejectionOf } from './fixtures';

const SHARDS = [1, 2, 3].map((i) => `sharded/model-0000${i}-of-00003.safetensors`);

function expectSameWeights(a: HrmWeights, b: HrmWeights): void {
  expect(a.config).toEqual(b.config);
  expect([...a.tensors.keys()].sort()).toEqual([...b.tensors.keys()].sort());
  for (const [name, tensor] of a.tensors) {
    const other = b.tensors.get(name);
    expect(other?.dtype, name).toBe(tensor.dtype);
    expect(other?.shape, name).toEqual(tensor.shape);
    expect(Array.from(toFloat32(other ?? tensor)), name).toEqual(Array.from(toFloat32(tensor)));
  }
}

async function loadError(source: Parameters<typeof loadModel>[0]): Promise<string> {
  const error = await rejectionOf(loadModel(source, { cache: false }));
  expect(error).toBeInstanceOf(ModelLoadError);
  return error.message;
}

describe('loadModel from local files', () => {
  test('single safetensors file', async () => {
    const weights = await loadModel([fixtureFile('single/model.safetensors')]);
    expect(weights.config.hidden_size).toBe(16);
    expect(weights.config.seq_len).toBe(81);
    expect(weights.tensors.size).toBe(15);
    expect(weights.tensors.get('H_init')?.dtype).toBe('bfloat16');
    expect(weights.provenance.card).toBe('Tiny random HRM for loader tests.');
    expect(weights.provenance.source).toBe('model.safetensors');
  });

  test('authors checkpoint equals the safetensors copy', async () => {
    const authors = await loadModel([
      fixtureFile('authors/all_config.yaml'),
      fixtureFile('authors/checkpoint'),
    ]);
    const single = await loadModel([fixtureFile('single/model.safetensors')]);
    expectSameWeights(authors, single);
    expect(authors.config.vocab_size).toBe(11);
    expect(authors.config.num_puzzle_identifiers).toBe(3);
    expect(authors.tensors.has('lm_head.weight')).toBe(true);
  });

  test('sharded files in any order', async () => {
    const files = [
      fixtureFile(SHARDS[2]),
      fixtureFile('sharded/model.safetensors.index.json'),
      fixtureFile(SHARDS[0]),
      fixtureFile(SHARDS[1]),
    ];
    const weights = await loadModel(files);
    expect(weights.config.pos_encodings).toBe('learned');
    expect(weights.config.seq_len).toBe(20);
    expect(weights.tensors.get('embed_pos.embedding_weight')?.shape).toEqual([20, 16]);
    expect(weights.tensors.get('lm_head.weight')?.dtype).toBe('bfloat16');
  });

  test('progress ends at the summed file size', async () => {
    const events: LoadProgress[] = [];
    const files = [fixtureFile('authors/checkpoint'), fixtureFile('authors/all_config.yaml')];
    await loadModel(files, { onProgress: (progress) => events.push(progress) });
    const total = files[0].size + files[1].size;
    expect(events[0]).toEqual({ file: 'checkpoint', bytes: 0, total, percent: 0 });
    expect(events.at(-1)?.bytes).toBe(total);
    expect(events.at(-1)?.percent).toBe(100);
    for (let i = 1; i < events.length; i++)
      expect(events[i].bytes).toBeGreaterThanOrEqual(events[i - 1].bytes);
  });

  test('checkpoint without its config', async () => {
    expect(await loadError([fixtureFile('authors/checkpoint')])).toMatch(
      /^checkpoint: is a PyTorch checkpoint; select it together with its all_config\.yaml/,
    );
  });

  test('index without all shards', async () => {
    const message = await loadError([
      fixtureFile('sharded/model.safetensors.index.json'),
      fixtureFile(SHARDS[0]),
    ]);
    expect(message).toMatch(
      /lists shard\(s\) that were not given: model-00002-of-00003\.safetensors, model-00003-of-00003/,
    );
  });

  test('shards without the index', async () => {
    expect(await loadError([fixtureFile(SHARDS[0]), fixtureFile(SHARDS[1])])).toMatch(
      /several \.safetensors files without model\.safetensors\.index\.json/,
    );
  });

  test('no files', async () => {
    expect(await loadError([])).toMatch(/no files were given/);
  });

  test('vocab_size disagreeing with tensors', async () => {
    const yaml = fixtureText('authors/all_config.yaml').replace(
      'arch:\n',
      'arch:\n  vocab_size: 10\n  seq_len: 81\n',
    );
    const message = await loadError([
      new File([yaml], 'all_config.yaml'),
      fixtureFile('authors/checkpoint'),
    ]);
    expect(message).toBe(
      'checkpoint: tensor _orig_mod.model.inner.embed_tokens.embedding_weight has shape [11, 16] ' +
        'but the config (vocab_size 10, hidden_size 16) needs [10, 16]',
    );
  });

  test('more layers than the checkpoint', async () => {
    const yaml = fixtureText('authors/all_config.yaml').replace('H_layers: 1', 'H_layers: 2');
    const message = await loadError([
      new File([yaml], 'all_config.yaml'),
      fixtureFile('authors/checkpoint'),
    ]);
    expect(message).toMatch(
      /^checkpoint: missing 4 parameter\(s\) that the config needs: H_level\.layers\.1\./,
    );
  });

  test('YAML without an arch section', async () => {
    const message = await loadError([
      new File(['lr: 1\n'], 'all_config.yaml'),
      fixtureFile('authors/checkpoint'),
    ]);
    expect(message).toMatch(/^all_config\.yaml: has no "arch" section/);
  });

  test('safetensors without hrm_config', async () => {
    expect(await loadError([fixtureFile(SHARDS[0], 'model.safetensors')])).toMatch(
      /has no hrm_config metadata/,
    );
  });
});

/**
 * Serves tests/fixtures/loaders on 127.0.0.1 under a mode folder: `/plain/…` as a static host,
 * `/chunked/…` without Content-Length and refusing HEAD, `/cut/…` closing the connection
 * halfway, and `/html/…` sending an HTML page as single-page-app hosts do.
 */
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${request.method} ${url.pathname}`);
    const [, mode, ...rest] = url.pathname.split('/');
    let body: Buffer;
    try {
      body = readFileSync(join(LOADER_FIXTURES, ...rest.map(decodeURIComponent)));
    } catch {
      response.writeHead(404).end('not found');
      return;
    }
    if (mode === 'html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>app</p>');
      return;
    }
    if (mode === 'chunked') {
      if (request.method === 'HEAD') {
        response.writeHead(405).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const half = Math.floor(body.length / 2);
      response.write(body.subarray(0, half));
      response.end(body.subarray(half));
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
    });
    if (request.method === 'HEAD') {
      response.end();
    } else if (mode === 'cut') {
      response.write(body.subarray(0, body.length >> 1), () => response.destroy());
    } else {
      response.end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('loadModel from a URL', () => {
  test('single file, size before download', async () => {
    const events: LoadProgress[] = [];
    const url = `${baseUrl}/plain/single/model.safetensors`;
    const weights = await loadModel(url, {
      cache: false,
      onProgress: (progress) => events.push(progress),
    });
    const size = fixtureBytes('single/model.safetensors').length;

    expect(events[0]).toEqual({ file: url, bytes: 0, total: size, percent: 0 });
    expect(events.at(-1)).toEqual({ file: url, bytes: size, total: size, percent: 100 });
    expect(requests).toContain('HEAD /plain/single/model.safetensors');
    expect(weights.provenance).toEqual({
      id: 'single',
      name: 'single',
      source: url,
      card: 'Tiny random HRM for loader tests.',
    });
  });

  test('shard URLs relative to index', async () => {
    const url = `${baseUrl}/plain/sharded/model.safetensors.index.json`;
    const events: LoadProgress[] = [];
    const weights = await loadModel(url, {
      cache: false,
      onProgress: (progress) => events.push(progress),
    });
    const fromFiles = await loadModel([
      fixtureFile('sharded/model.safetensors.index.json'),
      ...SHARDS.map((shard) => fixtureFile(shard)),
    ]);
    expectSameWeights(weights, fromFiles);
    for (const shard of SHARDS) expect(requests).toContain(`GET /plain/${shard}`);

    const total = SHARDS.reduce((sum, shard) => sum + fixtureBytes(shard).length, 0);
    expect(events[0].total).toBe(total);
    expect(events.at(-1)?.bytes).toBe(total);
  });

  test('checkpoint URL fetches its config', async () => {
    const weights = await loadModel(`${baseUrl}/plain/authors/checkpoint`, { cache: false });
    expect(weights.config.seq_len).toBe(81);
    expect(weights.provenance.id).toBe('authors');
    expect(requests).toContain('GET /plain/authors/all_config.yaml');
  });

  test('config URL fetches its checkpoint', async () => {
    const weights = await loadModel(`${baseUrl}/plain/authors/all_config.yaml`, { cache: false });
    expect(weights.tensors.size).toBe(15);
  });

  test('unknown size reported as null', async () => {
    const events: LoadProgress[] = [];
    const url = `${baseUrl}/chunked/single/model.safetensors`;
    await loadModel(url, { cache: false, onProgress: (progress) => events.push(progress) });
    const size = fixtureBytes('single/model.safetensors').length;
    expect(events[0]).toEqual({ file: url, bytes: 0, total: null, percent: null });
    expect(events.some((event) => event.total === null && event.bytes > 0)).toBe(true);
    expect(events.at(-1)).toEqual({ file: url, bytes: size, total: size, percent: 100 });
  });

  test('HTTP 404 names the URL and status', async () => {
    const url = `${baseUrl}/plain/single/missing.safetensors`;
    expect(await loadError(url)).toBe(
      `${url}: download failed with HTTP 404 Not Found; check that the URL points to the model file`,
    );
  });

  test('HTML page in place of the file', async () => {
    const url = `${baseUrl}/html/single/model.safetensors`;
    expect(await loadError(url)).toMatch(new RegExp(`^${url}: the server sent an HTML page`));
  });

  test('connection closed halfway', async () => {
    const url = `${baseUrl}/cut/single/model.safetensors`;
    const size = fixtureBytes('single/model.safetensors').length;
    expect(await loadError(url)).toMatch(
      new RegExp(`^${url}: download broke off after ${size >> 1} bytes \\(.+\\); try again$`),
    );
  });

  test('missing Cache Storage only warns', async () => {
    const warnings: ModelLoadWarning[] = [];
    const weights = await loadModel(`${baseUrl}/plain/single/model.safetensors`, {
      onWarning: (warning) => warnings.push(warning),
    });
    expect(weights.tensors.size).toBe(15);
    expect(warnings.map((warning) => warning.kind)).toEqual(['cache-unavailable']);
  });

  test('abort during the download', async () => {
    const controller = new AbortController();
    const url = `${baseUrl}/plain/single/model.safetensors`;
    const load = loadModel(url, {
      cache: false,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.bytes > 0) controller.abort();
      },
    });
    const error = await rejectionOf(load);
    expect(error.name).toBe('AbortError');
  });

  test('abort before the load starts', async () => {
    const error = await rejectionOf(
      loadModel(`${baseUrl}/plain/single/model.safetensors`, {
        cache: false,
        signal: AbortSignal.abort(),
      }),
    );
    expect(error.name).toBe('AbortError');
  });

  test('relative URL without a page is rejected', async () => {
    expect(await loadError('models/x/model.safetensors')).toMatch(/is not a valid URL/);
  });
});
