import type { Kysely, Migration } from 'kysely';

/**
 * How a journal entry is posted to the ERP when not as a Journal Entry (a capture as a Payment Entry
 * against its invoice), and a settlement line's original amount and exchange rate (settled in another
 * currency than its order's), for the FX difference.
 */
export function journalPostingMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('journal_entries').addColumn('erp_as', 'text').execute();
      await db.schema.alterTable('settlement_lines').addColumn('original_amount', 'bigint').execute();
      await db.schema.alterTable('settlement_lines').addColumn('original_currency', 'text').execute();
      await db.schema.alterTable('settlement_lines').addColumn('exchange_rate', 'text').execute();
    },
  };
}
