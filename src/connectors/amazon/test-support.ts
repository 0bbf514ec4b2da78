import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { systemClock, type Clock } from '../../model/index.js';
import { createAmazonClient, type AmazonClient } from './client.js';
import { AmazonSettings } from './config.js';
import { startAmazonEmulator, type AmazonEmulatorOptions, type RunningAmazonEmulator } from './emulator/server.js';
import type { EmulatedEventGroup } from './emulator/state.js';
import { corpusUrl } from '../../testing/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into vendor JSON freely
type Json = any;

const corpus: Record<string, { status: string; response: Json }[]> = JSON.parse(readFileSync(corpusUrl('amazon/financesV0-sandbox-examples.json'), 'utf8'));

/** The corpus FinancialEventGroup (a copy). */
export function corpusGroupJson(): Record<string, unknown> {
  return structuredClone(corpus.listFinancialEventGroups![0]!.response.payload.FinancialEventGroupList[0]);
}

/** The corpus FinancialEvents of `listFinancialEventsByGroupId` (a copy). */
export function corpusGroupEvents(): Record<string, unknown[]> {
  return structuredClone(corpus.listFinancialEventsByGroupId![0]!.response.payload.FinancialEvents);
}

/** A group shaped like the corpus one, with its id, start and statuses set, and the corpus events. */
export function eventGroup(id: string, start: number, status: { processing: string; transfer?: string }, events = corpusGroupEvents()): EmulatedEventGroup {
  const iso = new Date(start).toISOString();
  const group: Record<string, unknown> = { ...corpusGroupJson(), FinancialEventGroupId: id, FinancialEventGroupStart: iso, ProcessingStatus: status.processing };
  if (status.processing.toLowerCase() === 'open') {
    delete group['FinancialEventGroupEnd'];
    delete group['FundTransferDate'];
  } else {
    group['FinancialEventGroupEnd'] = new Date(start + 14 * 86_400_000).toISOString();
  }
  if (status.transfer === undefined) delete group['FundTransferStatus'];
  else group['FundTransferStatus'] = status.transfer;
  return { group, events };
}

/** Posts a sandbox route of the emulator. */
export async function sandbox(emulator: RunningAmazonEmulator, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${emulator.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A client of `emulator` with its credentials (or others). */
export function clientOf(emulator: RunningAmazonEmulator, options: { clock?: Clock; secrets?: Partial<RunningAmazonEmulator['credentials']> } = {}): AmazonClient {
  return createAmazonClient({
    connectionId: 'amazon-test',
    settings: AmazonSettings.parse({ baseUrl: emulator.url, tokenUrl: emulator.tokenUrl, timeoutMs: 2000 }),
    secrets: { ...emulator.credentials, ...options.secrets },
    clock: options.clock ?? systemClock,
    baseDelayMs: 10,
  });
}

/** A starter of emulators for one test file: each is closed after the test that started it. */
export function emulatorsPerTest(): (options?: AmazonEmulatorOptions) => Promise<RunningAmazonEmulator> {
  const running: RunningAmazonEmulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  return async (options = {}) => {
    const emulator = await startAmazonEmulator(options);
    running.push(emulator);
    return emulator;
  };
}
