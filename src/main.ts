import { runCli } from './cli/program.ts';

// Entry: hands argv to the CLI; nothing else.
const code = await runCli(process.argv.slice(2), process.env);
if (code !== 0) process.exitCode = code;
