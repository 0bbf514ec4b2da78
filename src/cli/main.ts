#!/usr/bin/env node
import { Command } from 'commander';
import { registerConnectionCommands } from './connections.js';
import { registerDeadLetterCommands } from './dead-letters.js';
import { registerKeyCommands } from './keys.js';
import { registerMigrate } from './migrate.js';
import { registerSandbox } from './sandbox.js';
import { registerSchemas } from './schemas.js';
import { registerStart } from './start.js';
import { registerSync } from './sync.js';

const program = new Command()
  .name('tillbridge')
  .description('Tillbridge — self-hosted retail integration hub')
  .showHelpAfterError();

registerStart(program);
registerMigrate(program);
registerDeadLetterCommands(program);
registerKeyCommands(program);
registerSchemas(program);
registerConnectionCommands(program);
registerSandbox(program);
registerSync(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`tillbridge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
