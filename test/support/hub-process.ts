import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs a TypeScript entry point of this repository in a child Node process (via tsx). */
export function spawnTs(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, entry), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A hub running in a child process. */
export interface HubProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends a signal and waits for the process to exit; resolves to its exit code. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts `tillbridge start` on a free port and waits until it says where it listens. */
export async function startHubProcess(options: { data?: string; databaseUrl?: string; key: string; env?: NodeJS.ProcessEnv }): Promise<HubProcess> {
  const args = ['start', '--port', '0', '--log-level', 'warn'];
  if (options.data) args.push('--data', options.data);
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  const child = spawnTs('src/cli/main.ts', args, { TILLBRIDGE_BOOTSTRAP_KEY: options.key, ...options.env });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in time:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
