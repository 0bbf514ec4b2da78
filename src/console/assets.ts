import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Tillbridge package's root folder, found upward from this module (works from src/ and dist/). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'tillbridge') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the tillbridge package root');
    dir = parent;
  }
}

/** Where the compiled console scripts are (`tsc -p tsconfig.console.json`, part of `npm run build`). */
export function consoleUiRoot(): string {
  return path.join(packageRoot(), 'dist', 'console-ui');
}

/** The installed uPlot files the console's charts load, served under /console/vendor/. */
export const vendorFiles: Record<string, { file: string; type: string }> = {
  'uPlot.esm.js': { file: 'dist/uPlot.esm.js', type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { file: 'dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};

/** The installed uPlot package folder. */
export function uplotRoot(): string {
  return path.dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
}
