import type { Command } from 'commander';
import { deadLetterPage, messageDetail, replayMatching, replayOne, type DeadLetterView } from '../messaging/index.js';
import type { DeadLetterFilter } from '../store/index.js';
import { cliActor, openCliStore, withStoreOptions } from './store-options.js';

interface FilterFlags {
  type?: string;
  correlationId?: string;
  subject?: string;
  reason?: string;
  errorCode?: string;
  since?: string;
  until?: string;
}

function withFilters(command: Command): Command {
  return command
    .option('--type <type>', 'message type, e.g. order.accepted')
    .option('--correlation-id <id>', 'correlation id')
    .option('--subject <subject>', 'subject, e.g. an order id')
    .option('--reason <text>', 'text in the dead-letter reason')
    .option('--error-code <code>', 'code of the last error')
    .option('--since <time>', 'dead-lettered at or after (ISO 8601)')
    .option('--until <time>', 'dead-lettered before (ISO 8601)');
}

function parseTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`${flag} must be an ISO 8601 time, got ${value}`);
  return t;
}

function toFilter(flags: FilterFlags): DeadLetterFilter {
  return {
    type: flags.type,
    correlationId: flags.correlationId,
    subject: flags.subject,
    reason: flags.reason,
    errorCode: flags.errorCode,
    since: parseTime(flags.since, '--since'),
    until: parseTime(flags.until, '--until'),
  };
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`--limit must be an integer from 1 to 10000, got ${value}`);
  return n;
}

function line(d: DeadLetterView): string {
  return [d.id, d.type, d.subject ?? '-', d.correlationId, `attempts=${d.attempts}`, d.deadAt, d.reason ?? ''].join('\t');
}


/** `tillbridge dead-letters list|show|replay`. */
export function registerDeadLetterCommands(program: Command): void {
  const group = program.command('dead-letters').description('inspect and replay dead letters');

  withStoreOptions(withFilters(group.command('list').description('list dead letters, oldest first')))
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON lines')
    .action(async (flags: FilterFlags & { limit: string; json?: boolean; data?: string; databaseUrl?: string }) => {
      const { store } = await openCliStore(flags);
      try {
        const page = await deadLetterPage(store.db, toFilter(flags), { limit: parseLimit(flags.limit) });
        for (const d of page.data) process.stdout.write(`${flags.json ? JSON.stringify(d) : line(d)}\n`);
        if (!flags.json) process.stderr.write(`${page.data.length} dead letter(s)${page.next !== null ? ', more exist' : ''}\n`);
      } finally {
        await store.close();
      }
    });

  withStoreOptions(group.command('show <id>').description('show one message with its attempt and replay history')).action(
    async (id: string, flags: { data?: string; databaseUrl?: string }) => {
      const { store } = await openCliStore(flags);
      try {
        const detail = await messageDetail(store.db, id);
        if (!detail) throw new Error(`no message ${id}`);
        process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
      } finally {
        await store.close();
      }
    },
  );

  withStoreOptions(
    withFilters(group.command('replay [id]').description('replay one dead letter, or all that match the filters (--all)')),
  )
    .option('--all', 'replay every dead letter matching the filters')
    .option('--note <text>', 'why, recorded with the replay')
    .action(async (id: string | undefined, flags: FilterFlags & { all?: boolean; note?: string; data?: string; databaseUrl?: string }) => {
      if (!id && !flags.all) throw new Error('name a message id, or pass --all with filters');
      const { store } = await openCliStore(flags);
      try {
        const now = Date.now();
        if (id) {
          const outcome = await replayOne(store.db, { id, actor: cliActor(), now, note: flags.note });
          if (outcome !== 'replayed') throw new Error(outcome === 'not_found' ? `no message ${id}` : `message ${id} is not a dead letter`);
          process.stdout.write(`replayed ${id}\n`);
        } else {
          const ids = await replayMatching(store.db, { filter: toFilter(flags), actor: cliActor(), now, note: flags.note });
          process.stdout.write(`replayed ${ids.length} dead letter(s)\n`);
        }
      } finally {
        await store.close();
      }
    });
}
