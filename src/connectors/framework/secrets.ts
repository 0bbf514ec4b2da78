import fs from 'node:fs';
import path from 'node:path';
import { permanentError } from '../../model/index.js';

/** Where secrets are read from: the process environment and files (injectable for tests). */
export interface SecretSources {
  env: Record<string, string | undefined>;
  readFile(file: string): string;
  /** Folder that relative file: references are resolved against (the configuration file's folder). */
  baseDir?: string;
}

/** The machine's environment and file system. */
export const processSecretSources: SecretSources = {
  env: process.env,
  readFile: (file) => fs.readFileSync(file, 'utf8'),
};

/**
 * Resolves `env:NAME` and `file:PATH` references to their values. A missing variable or file is a
 * permanent error naming the reference, never the value.
 */
export function resolveSecrets(
  connectionId: string,
  references: Record<string, string>,
  sources: SecretSources = processSecretSources,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, reference] of Object.entries(references)) {
    const separator = reference.indexOf(':');
    const scheme = reference.slice(0, separator);
    const target = reference.slice(separator + 1);
    if (scheme === 'env') {
      const value = sources.env[target];
      if (value === undefined || value === '') {
        throw permanentError('secret_missing', `connection ${connectionId}: secret ${name} refers to environment variable ${target}, which is not set`);
      }
      resolved[name] = value;
    } else if (scheme === 'file') {
      const file = sources.baseDir && !path.isAbsolute(target) ? path.join(sources.baseDir, target) : target;
      try {
        resolved[name] = sources.readFile(file).trim();
      } catch (error) {
        throw permanentError('secret_missing', `connection ${connectionId}: secret ${name} refers to file ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    } else {
      throw permanentError('secret_reference', `connection ${connectionId}: secret ${name} must be env:NAME or file:PATH`);
    }
  }
  return resolved;
}
