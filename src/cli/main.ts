/**
 * `npm run cli -- <command> [options]`: administration beside a running service (it uses the same database: the
 * embedded one's address is read from DATA_DIR) or on its own (it then starts the embedded database itself).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { DataDirLocked } from '../db/data-dir.js';
import { EmbeddedDatabaseUnavailable } from '../db/ferretdb-build.js';
import { prepareDatabase } from '../db/prepare.js';
import { completePendingRevisions } from '../db/versioned.js';
import { withDevelopmentSecrets } from '../server-config.js';
import { COMMANDS, type CliCommand, CliError } from './commands.js';
import '../auth/cli.js';
import '../records/cli.js';
import '../documents/cli.js';

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(22)} ${c.summary}`);
  return `使い方 / usage: npm run cli -- <command> [options]\n\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command: CliCommand | undefined = COMMANDS[name];
  if (!command) {
    process.stderr.write(`不明なコマンドです / unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    return 2;
  }

  let config: Readonly<Config>;
  try {
    config = withDevelopmentSecrets(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }

  let db: DatabaseHandle | undefined;
  try {
    if (command.needsDatabase !== false) {
      db = await openDatabase(config, 'cli', (line) => process.stderr.write(`${line}\n`));
      await prepareDatabase();
      await completePendingRevisions();
    }
    return await command.run({ config, values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, out: process.stdout, err: process.stderr });
  } catch (err) {
    if (err instanceof CliError || err instanceof EmbeddedDatabaseUnavailable || err instanceof DataDirLocked) {
      process.stderr.write(`${name}: ${err.message}\n`);
      return err instanceof CliError ? err.exitCode : 1;
    }
    throw err;
  } finally {
    await db?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`エラー / error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
