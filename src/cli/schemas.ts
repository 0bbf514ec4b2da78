import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { entityJsonSchemas } from '../model/index.js';

/** `tillbridge schemas --out DIR`: writes a JSON Schema file per canonical entity. */
export function registerSchemas(program: Command): void {
  program
    .command('schemas')
    .description('write JSON Schema for every canonical entity')
    .option('--out <dir>', 'output folder', 'docs/schemas')
    .action((flags: { out: string }) => {
      fs.mkdirSync(flags.out, { recursive: true });
      const schemas = entityJsonSchemas();
      for (const [name, schema] of Object.entries(schemas)) {
        fs.writeFileSync(path.join(flags.out, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
      }
      process.stdout.write(`wrote ${Object.keys(schemas).length} schemas to ${flags.out}\n`);
    });
}
