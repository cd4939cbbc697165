// `npm install` / `npm ci` of this repository builds dist/, which bin/pgreview.js loads. It is a
// postinstall and not a `prepare` script because pre-commit's node hooks (and anything else that
// reads `npm pack`'s output as the tarball's name) break on the banner npm prints before a
// prepare or prepack script. An installed package has no sources, and nothing to build.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) await import('./build.mjs');
