import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');

/** The bootstrap key every bench hub accepts. */
export const benchKey = 'bench-bootstrap-key-0123456789abcdef';

/**
 * Starts `tillbridge start --port 0 …args` in a process of its own (its own core, as an operator
 * runs it) and resolves with its URL once it says it is listening.
 */
export function startBenchHub(args: string[], options: { nodeArgs?: string[]; logLevel?: string } = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cli, 'start', '--port', '0', '--log-level', options.logLevel ?? 'warn', ...args], {
    env: { ...process.env, TILLBRIDGE_BOOTSTRAP_KEY: benchKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
}
