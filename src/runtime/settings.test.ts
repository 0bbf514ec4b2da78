import { describe, expect, it } from 'vitest';
import { resolveSettings, Settings, settingEnvironment } from './settings.js';

type Key = keyof Settings;
const keys = Object.keys(settingEnvironment) as Key[];
const defaults = resolveSettings({}, {});

/** Valid values that differ from the defaults, for the settings this suite knows of. */
const knownEnvironment: Partial<Record<Key, string>> = {
  host: '0.0.0.0',
  port: '9090',
  data: '/var/lib/tillbridge',
  databaseUrl: 'postgres://hub@db.internal:5432/tillbridge',
  config: '/etc/tillbridge/hub.yaml',
  bootstrapKey: 'env-bootstrap-key-0123456789',
  logLevel: 'debug',
  sqliteSynchronous: 'NORMAL',
  leaseMs: '5000',
  pollMs: '50',
  rateLimit: '120/60',
  corsOrigins: 'https://a.example,https://b.example',
  otlpEndpoint: 'http://otel-collector:4318',
  trustProxy: 'on',
};
const knownFlags: Partial<Record<Key, string>> = {
  host: '::1',
  port: '0',
  data: './elsewhere',
  databaseUrl: 'postgresql://flag@127.0.0.1/other',
  config: './flag.yaml',
  bootstrapKey: 'flag-bootstrap-key-abcdefghij',
  logLevel: 'silent',
  sqliteSynchronous: 'FULL',
  leaseMs: '100',
  pollMs: '10',
  rateLimit: 'off',
  corsOrigins: 'https://flag.example',
  otlpEndpoint: 'https://otlp.example.com/otlp',
  trustProxy: '10.0.0.0/8,127.0.0.1',
};

/** A valid non-default value for every setting; numeric settings added later get default + n. */
function valuesFor(known: Partial<Record<Key, string>>, offset: number): Record<Key, string> {
  return Object.fromEntries(
    keys.map((key) => {
      const value = known[key];
      if (value !== undefined) return [key, value];
      const fallback = defaults[key];
      if (typeof fallback === 'number') return [key, String(fallback + offset)];
      throw new Error(`settings.test.ts: give the new setting ${key} a test value`);
    }),
  ) as Record<Key, string>;
}
const fromEnvironment = valuesFor(knownEnvironment, 1);
const fromFlags = valuesFor(knownFlags, 2);

/** What the given raw values parse to. */
function parsed(values: Record<Key, string>): Settings {
  const value = (key: Key) =>
    key === 'corsOrigins' ? values[key].split(',') : typeof defaults[key] === 'number' ? Number(values[key]) : values[key];
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as unknown as Settings;
}


function envOf(values: Partial<Record<Key, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(values)) env[settingEnvironment[key as Key]] = value;
  return env;
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected resolveSettings to throw');
}

describe('resolveSettings', () => {
  it('names an environment variable for every setting, as in CONTRACT.md', () => {
    expect(keys.sort()).toEqual(Object.keys(Settings.shape).sort());
    expect(settingEnvironment).toMatchObject({
      host: 'TILLBRIDGE_HOST',
      port: 'TILLBRIDGE_PORT',
      data: 'TILLBRIDGE_DATA',
      databaseUrl: 'DATABASE_URL',
      config: 'TILLBRIDGE_CONFIG',
      bootstrapKey: 'TILLBRIDGE_BOOTSTRAP_KEY',
    });
  });

  it('uses the documented defaults with no flags and an empty environment', () => {
    const settings = resolveSettings({}, {});
    expect(settings).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      data: './data',
      logLevel: 'info',
      sqliteSynchronous: 'FULL',
      leaseMs: 30_000,
      pollMs: 200,
    });
    expect(settings.databaseUrl).toBeUndefined();
    expect(settings.config).toBeUndefined();
    expect(settings.bootstrapKey).toBeUndefined();
  });

  it('does not read process.env when an environment is given', () => {
    const saved = process.env.TILLBRIDGE_PORT;
    process.env.TILLBRIDGE_PORT = '1234';
    try {
      expect(resolveSettings({}, {}).port).toBe(8080);
      expect(resolveSettings({}).port).toBe(1234);
    } finally {
      if (saved === undefined) delete process.env.TILLBRIDGE_PORT;
      else process.env.TILLBRIDGE_PORT = saved;
    }
  });

  it('reads every setting from its environment variable', () => {
    expect(resolveSettings({}, envOf(fromEnvironment))).toEqual(parsed(fromEnvironment));
  });

  it.each(keys)('reads %s from its environment variable alone', (key) => {
    const settings = resolveSettings({}, envOf({ [key]: fromEnvironment[key] }));
    expect(settings[key]).toEqual(parsed(fromEnvironment)[key]);
  });

  it('lets every flag win over its environment variable', () => {
    expect(resolveSettings(fromFlags, envOf(fromEnvironment))).toEqual(parsed(fromFlags));
  });

  it.each(keys)('lets the %s flag win over its environment variable', (key) => {
    const settings = resolveSettings({ [key]: fromFlags[key] }, envOf(fromEnvironment));
    expect(settings[key]).toEqual(parsed(fromFlags)[key]);
    for (const other of keys.filter((k) => k !== key)) expect(settings[other]).toEqual(parsed(fromEnvironment)[other]);
  });

  it('accepts numeric flags given as numbers', () => {
    expect(resolveSettings({ port: 0, leaseMs: 250 }, {})).toMatchObject({ port: 0, leaseMs: 250 });
  });

  it('falls back to the environment when a flag is undefined (commander leaves unset options undefined)', () => {
    expect(resolveSettings({ port: undefined, data: undefined }, envOf({ port: '9999', data: '/d' }))).toMatchObject({ port: 9999, data: '/d' });
  });

  it('ignores empty environment values', () => {
    const empty = Object.fromEntries(keys.map((k) => [settingEnvironment[k], '']));
    expect(resolveSettings({}, empty)).toEqual(resolveSettings({}, {}));
  });

  it.each([
    ['port 70000', { port: '70000' }, 'TILLBRIDGE_PORT', '--port'],
    ['port -1', { port: '-1' }, 'TILLBRIDGE_PORT', '--port'],
    ['port abc', { port: 'abc' }, 'TILLBRIDGE_PORT', '--port'],
    ['port 80.5', { port: '80.5' }, 'TILLBRIDGE_PORT', '--port'],
    ['a mysql DATABASE_URL', { databaseUrl: 'mysql://x' }, 'DATABASE_URL', '--database-url'],
    ['a short bootstrap key', { bootstrapKey: 'short' }, 'TILLBRIDGE_BOOTSTRAP_KEY', '--bootstrap-key'],
    ['log level loud', { logLevel: 'loud' }, 'TILLBRIDGE_LOG_LEVEL', '--log-level'],
    ['sqlite synchronous OFF', { sqliteSynchronous: 'OFF' }, 'TILLBRIDGE_SQLITE_SYNCHRONOUS', '--sqlite-synchronous'],
    ['lease 5 ms', { leaseMs: '5' }, 'TILLBRIDGE_LEASE_MS', '--lease-ms'],
    ['poll 1 ms', { pollMs: '1' }, 'TILLBRIDGE_POLL_MS', '--poll-ms'],
    ['an OTLP endpoint that is not a URL', { otlpEndpoint: 'collector:4318' }, 'TILLBRIDGE_OTLP_ENDPOINT', '--otlp-endpoint'],
  ] as const)('rejects %s, naming the environment variable and the flag', (_name, values, variable, flag) => {
    for (const [flags, env] of [
      [{}, envOf(values)],
      [values, {}],
    ] as const) {
      const error = errorOf(() => resolveSettings(flags, env));
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toContain('invalid settings');
      expect(error.message).toContain(variable);
      expect(error.message).toContain(flag);
      expect(error.message).toContain(`${variable} / ${flag}`);
    }
  });

  it('does not turn a blank TILLBRIDGE_PORT or --port into port 0 (any free port)', () => {
    // blank values are either ignored like empty ones (8080) or refused, never silently 0
    for (const [flags, env] of [
      [{}, { TILLBRIDGE_PORT: '   ' }],
      [{ port: ' ' }, {}],
    ] as const) {
      let port: number | undefined;
      try {
        port = resolveSettings(flags, env).port;
      } catch (error) {
        expect((error as Error).message).toContain('TILLBRIDGE_PORT / --port');
      }
      expect(port).not.toBe(0);
    }
  });

  it('says what a DATABASE_URL and a bootstrap key must be', () => {
    expect(errorOf(() => resolveSettings({}, { DATABASE_URL: 'mysql://x' })).message).toMatch(/postgres:\/\//);
    expect(errorOf(() => resolveSettings({}, { TILLBRIDGE_BOOTSTRAP_KEY: 'short' })).message).toMatch(/at least 16 characters/);
  });

  it('reports every invalid setting at once, one line each', () => {
    const error = errorOf(() => resolveSettings({ logLevel: 'loud' }, { TILLBRIDGE_PORT: '70000', DATABASE_URL: 'mysql://x' }));
    const lines = error.message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(error.message).toContain('TILLBRIDGE_PORT / --port');
    expect(error.message).toContain('DATABASE_URL / --database-url');
    expect(error.message).toContain('TILLBRIDGE_LOG_LEVEL / --log-level');
  });

  it('does not echo the bootstrap key back in an error', () => {
    const error = errorOf(() => resolveSettings({}, { TILLBRIDGE_BOOTSTRAP_KEY: 'sekrit', TILLBRIDGE_PORT: 'abc' }));
    expect(error.message).not.toContain('sekrit');
  });

});

describe('CORS origins', () => {
  it('is an empty allow-list by default, a comma-separated list of origins otherwise', () => {
    expect(resolveSettings({}, {}).corsOrigins).toEqual([]);
    expect(resolveSettings({}, { TILLBRIDGE_CORS_ORIGINS: 'https://ops.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://ops.example',
      'http://localhost:5173',
    ]);
    expect(() => resolveSettings({ corsOrigins: 'ops.example' }, {})).toThrow(/TILLBRIDGE_CORS_ORIGINS \/ --cors-origins/);
  });
});

describe('OTLP endpoint', () => {
  it('is unset by default (tracing off) and read from TILLBRIDGE_OTLP_ENDPOINT or --otlp-endpoint', () => {
    expect(resolveSettings({}, {}).otlpEndpoint).toBeUndefined();
    expect(resolveSettings({}, { TILLBRIDGE_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).otlpEndpoint).toBe('http://127.0.0.1:4318');
    expect(resolveSettings({ otlpEndpoint: 'https://otlp.example.com' }, { TILLBRIDGE_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).otlpEndpoint).toBe('https://otlp.example.com');
    expect(() => resolveSettings({}, { TILLBRIDGE_OTLP_ENDPOINT: 'ftp://collector' })).toThrow(/TILLBRIDGE_OTLP_ENDPOINT \/ --otlp-endpoint/);
  });
});
