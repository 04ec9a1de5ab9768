// Entry point of `npm run dataset -- …`; see src/dataset/cli.ts or run with --help.

import { runDatasetCli } from '../src/dataset/cli.ts';

process.exitCode = runDatasetCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
