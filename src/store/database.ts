import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { OwnSchemaPostgresDialect } from './postgres-dialect.js';
import type { Dialect } from './dialect.js';
import type { Schema } from './schema.js';
import { withStatementCache } from './statement-cache.js';

/** Where the store lives: a PostgreSQL URL, or else a SQLite file under dataDir. */
export interface StoreOptions {
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** SQLite `synchronous` pragma; FULL (default) survives power loss, NORMAL only process crashes. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** PostgreSQL schema to use (created if missing); tests isolate themselves with it. */
  pgSchema?: string;
  poolSize?: number;
}

/** An open store: the Kysely handle plus what callers need to know about the engine. */
export interface Store {
  db: Kysely<Schema>;
  dialect: Dialect;
  /** A short description for logs: the SQLite path or the PostgreSQL host/database (no password). */
  describe: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const int8 = 20;
const numeric = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === int8) return (value: string) => Number(value);
    if (oid === numeric) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Opens the store named by the options; PostgreSQL when a URL is given, SQLite otherwise. */
export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openSqlite(options);
}

function openSqlite(options: StoreOptions): Store {
  const dir = options.dataDir ?? './data';
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'tillbridge.db');
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
  database.pragma('busy_timeout = 10000');
  database.pragma('cache_size = -65536');
  database.pragma('temp_store = MEMORY');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    db,
    dialect: 'sqlite',
    describe: `sqlite:${file}`,
    ping: async () => {
      database.prepare('select 1').get();
      return true;
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, options: StoreOptions): Promise<Store> {
  const schema = options.pgSchema;
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${quoteIdentifier(schema)}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
  const parsed = new URL(url);
  return {
    db,
    dialect: 'postgres',
    describe: `postgres://${parsed.host}${parsed.pathname}${schema ? `?schema=${schema}` : ''}`,
    ping: async () => {
      await sql`select 1`.execute(db);
      return true;
    },
    close: () => db.destroy(),
  };
}

/** Quotes an identifier for the rare statement that cannot take it as a parameter. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid identifier ${name}`);
  return `"${name}"`;
}
