import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const repositoryRoot = new URL('../../', import.meta.url);

/**
 * The vendor payload corpus: `../shared/corpus` beside the repository when it is there (the
 * team's shared copy), else the unchanged copy in `test/corpus`, so a clone anywhere can test.
 * TILLBRIDGE_CORPUS overrides both.
 */
function corpusRoot(): URL {
  const override = process.env.TILLBRIDGE_CORPUS;
  if (override) return new URL(`file://${override.replace(/\/?$/, '/')}`);
  const shared = new URL('../shared/corpus/', repositoryRoot);
  if (fs.existsSync(fileURLToPath(shared))) return shared;
  return new URL('test/corpus/', repositoryRoot);
}

/** The URL of a file or folder of the vendor corpus, e.g. `corpusUrl('stripe/fixtures3.json')`. */
export function corpusUrl(relative: string): URL {
  return new URL(relative, corpusRoot());
}
