import type { AddressInfo } from 'node:net';
import { build, createServer, type PreviewServer, preview, type ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the production build served by `vite preview`. */
    appURL: string;
    /** Base URL of a Vite dev server over the repository, for harness pages under tests/browser/pages. */
    devURL: string;
  }
}

let previewServer: PreviewServer | undefined;
let devServer: ViteDevServer | undefined;

function urlOf(server: { httpServer: unknown }): string {
  const address = (server.httpServer as { address(): AddressInfo }).address();
  return `http://127.0.0.1:${address.port}`;
}

/** Builds the app once, then serves the build and a dev server on loopback for all browser tests. */
export async function setup(project: TestProject): Promise<void> {
  await build({ logLevel: 'warn' });
  previewServer = await preview({ preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  devServer = await createServer({
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await devServer.listen();
  project.provide('appURL', urlOf(previewServer));
  project.provide('devURL', urlOf(devServer));
}

export async function teardown(): Promise<void> {
  await previewServer?.close();
  await devServer?.close();
}
