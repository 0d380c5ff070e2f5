#!/usr/bin/env node
/** `mqadmin`: runs one command with the process's argv, environment and streams, and exits with its status. */
import { runMqadmin } from './cli/run-mqadmin.js';
import { MQADMIN_COMMANDS } from './commands/index.js';

// `mqadmin topicList | head` closes the pipe early: stop writing quietly instead of dying with an EPIPE trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const status = await runMqadmin({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  commands: MQADMIN_COMMANDS,
});
process.exitCode = status;
