import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubConfig, loadHubConfig } from './config-file.js';

/** What an empty file means: no connections, order-to-cash with its defaults. */
const emptyConfig = HubConfig.parse({});

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillbridge-config-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
/** Writes a YAML file into the suite's temp folder and returns its path. */
function yamlFile(text: string, name = `config-${++fileCounter}.yaml`): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected loadHubConfig to throw');
}

const validYaml = `
connections:
  - id: shopify-main
    system: shopify
    settings:
      shop: example.myshopify.com
      apiVersion: "2025-01"
      pollSeconds: 30
    secrets:
      accessToken: env:SHOPIFY_TOKEN
      webhookSecret: file:/run/secrets/shopify-webhook
  - id: erp_1
    system: netsuite
  - id: "0stripe"
    system: stripe
    secrets:
      apiKey: env:STRIPE_KEY
`;

describe('loadHubConfig with an explicit path', () => {
  it('parses connections with settings and env:/file: secret references', () => {
    const file = yamlFile(validYaml);
    const { config, path: loadedFrom } = loadHubConfig(file);
    expect(loadedFrom).toBe(file);
    expect(config.connections).toEqual([
      {
        id: 'shopify-main',
        system: 'shopify',
        settings: { shop: 'example.myshopify.com', apiVersion: '2025-01', pollSeconds: 30 },
        secrets: { accessToken: 'env:SHOPIFY_TOKEN', webhookSecret: 'file:/run/secrets/shopify-webhook' },
      },
      // settings and secrets default to empty
      { id: 'erp_1', system: 'netsuite', settings: {}, secrets: {} },
      { id: '0stripe', system: 'stripe', settings: {}, secrets: { apiKey: 'env:STRIPE_KEY' } },
    ]);
  });

  it('reads an empty file, or one without connections, as an empty configuration', () => {
    expect(loadHubConfig(yamlFile('')).config).toEqual(emptyConfig);
    expect(loadHubConfig(yamlFile('# nothing configured yet\n')).config).toEqual(emptyConfig);
    expect(loadHubConfig(yamlFile('connections: []\n')).config).toEqual(emptyConfig);
  });

  it('rejects a secret given as a literal value, saying secrets are references, with its path', () => {
    const file = yamlFile(`
connections:
  - id: stripe
    system: stripe
    secrets:
      apiKey: sk_live_51Habcdefghijklmnop
`);
    const error = errorOf(() => loadHubConfig(file));
    expect(error.message).toContain(`invalid configuration ${file}`);
    expect(error.message).toContain('/connections/0/secrets/apiKey');
    expect(error.message).toMatch(/secrets are references/);
    expect(error.message).toMatch(/env:NAME or file:PATH/);
  });

  it('does not echo a literal secret value in the error', () => {
    const file = yamlFile(`
connections:
  - id: stripe
    system: stripe
    secrets:
      apiKey: sk_live_51Habcdefghijklmnop
`);
    expect(errorOf(() => loadHubConfig(file)).message).not.toContain('sk_live_51Habcdefghijklmnop');
  });

  it.each([
    ['an empty env: reference', '"env:"'],
    ['an empty file: reference', '"file:"'],
    ['another scheme', 'vault:secret/stripe'],
    ['a reference that is not a string', '12345'],
  ])('rejects %s as a secret', (_name, value) => {
    const file = yamlFile(`connections:\n  - id: stripe\n    system: stripe\n    secrets:\n      apiKey: ${value}\n`);
    expect(errorOf(() => loadHubConfig(file)).message).toContain('/connections/0/secrets/apiKey');
  });

  it('rejects duplicate connection ids, naming the path of the second one', () => {
    const file = yamlFile(`
connections:
  - id: shop
    system: shopify
  - id: erp
    system: netsuite
  - id: shop
    system: shopify
`);
    const error = errorOf(() => loadHubConfig(file));
    expect(error.message).toContain(`invalid configuration ${file}`);
    expect(error.message).toContain('/connections/2/id');
    expect(error.message).toContain('duplicate connection id shop');
    expect(error.message).not.toContain('/connections/0/id');
  });

  it.each([
    ['upper case', 'Shop'],
    ['a space', 'my shop'],
    ['a leading dash', '-shop'],
    ['a leading underscore', '_shop'],
    ['a dot', 'shop.main'],
    ['the empty string', '""'],
    ['65 characters', 'a'.repeat(65)],
  ])('rejects a connection id with %s, naming its path', (_name, id) => {
    const file = yamlFile(`connections:\n  - id: ok\n    system: shopify\n  - id: ${id}\n    system: shopify\n`);
    const error = errorOf(() => loadHubConfig(file));
    expect(error.message).toContain(`invalid configuration ${file}`);
    expect(error.message).toContain('/connections/1/id');
    expect(error.message).toContain('^[a-z0-9][a-z0-9_-]{0,63}$');
  });

  it('accepts a 64-character connection id', () => {
    const id = `a${'b'.repeat(63)}`;
    expect(loadHubConfig(yamlFile(`connections:\n  - id: ${id}\n    system: x\n`)).config.connections[0]?.id).toBe(id);
  });

  it('rejects a connection without a system, and connections that are not a list', () => {
    const missingSystem = yamlFile('connections:\n  - id: shop\n');
    expect(errorOf(() => loadHubConfig(missingSystem)).message).toContain('/connections/0/system');
    const notAList = yamlFile('connections:\n  shop: {}\n');
    expect(errorOf(() => loadHubConfig(notAList)).message).toContain('/connections');
  });

  it('lists every problem in one error, one line each', () => {
    const file = yamlFile(`
connections:
  - id: Bad Id
    system: shopify
    secrets:
      token: plain-text
  - id: erp
`);
    const lines = errorOf(() => loadHubConfig(file)).message.split('\n');
    expect(lines[0]).toBe(`invalid configuration ${file}:`);
    expect(lines.slice(1)).toEqual([
      expect.stringContaining('/connections/0/id'),
      expect.stringContaining('/connections/0/secrets/token'),
      expect.stringContaining('/connections/1/system'),
    ]);
  });

  it('fails clearly when the named file does not exist', () => {
    const missing = path.join(dir, 'does-not-exist.yaml');
    const error = errorOf(() => loadHubConfig(missing));
    expect(error.message).toContain(`cannot read configuration ${missing}`);
    expect(error.message).toContain('ENOENT');
  });

  it('fails clearly when the named path cannot be read as a file', () => {
    const folder = fs.mkdtempSync(path.join(dir, 'a-folder-'));
    const error = errorOf(() => loadHubConfig(folder));
    expect(error.message).toContain(`cannot read configuration ${folder}`);
    expect(error.message).toContain('EISDIR');
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('fails clearly when the named file is not readable', () => {
    const file = yamlFile(validYaml);
    fs.chmodSync(file, 0o000);
    const error = errorOf(() => loadHubConfig(file));
    expect(error.message).toContain(`cannot read configuration ${file}`);
    expect(error.message).toContain('EACCES');
  });

  it('fails clearly on a file that is not YAML', () => {
    const file = yamlFile('connections:\n  - id: shop\n   system: [unclosed\n');
    const error = errorOf(() => loadHubConfig(file));
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/cannot read configuration|invalid configuration/);
  });

  it('rejects a document that is not a mapping', () => {
    const file = yamlFile('- just\n- a list\n');
    expect(errorOf(() => loadHubConfig(file)).message).toContain(`invalid configuration ${file}`);
  });
});

describe('loadHubConfig without a path', () => {
  let cwd: string;
  let workDir: string;

  beforeAll(() => {
    cwd = process.cwd();
    workDir = fs.mkdtempSync(path.join(dir, 'cwd-'));
  });

  afterAll(() => {
    process.chdir(cwd);
  });

  function inWorkDir<T>(run: () => T): T {
    process.chdir(workDir);
    try {
      return run();
    } finally {
      process.chdir(cwd);
    }
  }

  it('is an empty configuration when ./tillbridge.config.yaml is absent', () => {
    const { config, path: loadedFrom } = inWorkDir(() => loadHubConfig(undefined));
    expect(config).toEqual(emptyConfig);
    expect(loadedFrom).toBeNull();
    expect(HubConfig.parse({})).toEqual(config);
  });

  it('reads ./tillbridge.config.yaml when present', () => {
    fs.writeFileSync(path.join(workDir, 'tillbridge.config.yaml'), validYaml);
    try {
      const { config, path: loadedFrom } = inWorkDir(() => loadHubConfig(undefined));
      expect(loadedFrom).toBe('tillbridge.config.yaml');
      expect(config.connections.map((c) => c.id)).toEqual(['shopify-main', 'erp_1', '0stripe']);
    } finally {
      fs.rmSync(path.join(workDir, 'tillbridge.config.yaml'));
    }
  });

  it('validates ./tillbridge.config.yaml like an explicit file', () => {
    fs.writeFileSync(path.join(workDir, 'tillbridge.config.yaml'), 'connections:\n  - id: x\n    system: y\n    secrets: { k: literal }\n');
    try {
      const error = errorOf(() => inWorkDir(() => loadHubConfig(undefined)));
      expect(error.message).toContain('invalid configuration tillbridge.config.yaml');
      expect(error.message).toContain('secrets are references');
    } finally {
      fs.rmSync(path.join(workDir, 'tillbridge.config.yaml'));
    }
  });
});

describe('orderToCash configuration', () => {
  it('has working defaults, parses durations, and refuses routing to connections that are not configured', () => {
    expect(emptyConfig.orderToCash).toMatchObject({ captureOn: 'shipment', routing: [], holds: [], defaultSla: 900_000 });
    const parsed = HubConfig.safeParse({
      connections: [{ id: 'erp-main', system: 'erpnext' }],
      orderToCash: { erp: 'erp-main', warehouse: 'wh-ghost', routing: [{ when: { skus: ['MUG-*'] }, warehouse: 'wh-other' }], slas: { 'book-sales-order': '90s' } },
    });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => `/${i.path.join('/')}: ${i.message}`);
    expect(messages).toEqual(['/orderToCash/warehouse: names connection wh-ghost, which is not configured', '/orderToCash/routing/0/warehouse: names connection wh-other, which is not configured']);
    const ok = HubConfig.parse({ connections: [{ id: 'erp-main', system: 'erpnext' }], orderToCash: { erp: 'erp-main', slas: { 'book-sales-order': '90s' } } });
    expect(ok.orderToCash.slas['book-sales-order']).toBe(90_000);
  });
});
