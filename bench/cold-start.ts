/**
 * Cold start and memory of the ways Permitwatch ships (issue 19): Node on the compiled dist/
 * (the baseline), the single binary (dist/permitwatch, `npm run build:binary` first), and Bun
 * and Deno on the TypeScript source.
 *
 * What: per round and per way, `serve` in a fresh data directory (the first start, which seeds
 * the demo database through the real adapters) and again on the same directory (a restart); the
 * time from spawn to the first answered demo lookup, polled every 5 ms, and the server's RSS
 * (/proc/<pid>/status VmRSS) right after that answer. Rounds interleave the ways, so a noisy
 * neighbour hits them alike. Medians, each as a ratio to Node's in the same run.
 * Target: none; reported in the README (binary size, cold start, RSS against node).
 * Run: `node --import tsx bench/cold-start.ts` (BENCH_ROUNDS=5 by default).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './support.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** A start slower than this is a failure, not a figure. */
const START_LIMIT_MS = 60_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const BINARY = join(root, 'dist/permitwatch');

const WAYS = [
  { name: 'node (dist/)', cmd: [process.execPath, join(root, 'bin/permitwatch.mjs'), 'serve'] },
  { name: 'binary', cmd: [BINARY, 'serve'] },
  { name: 'bun (src/)', cmd: [bin('bun'), join(root, 'src/main.ts'), 'serve'] },
  { name: 'deno (src/)', cmd: [bin('deno'), 'run', '-A', join(root, 'src/main.ts'), 'serve'] },
].filter((w) => w.name !== 'binary' || existsSync(BINARY));

async function startOnce(cmd: string[], dir: string): Promise<{ ms: number; rssMb: number }> {
  const env = { ...process.env, PORT: '0', PERMITWATCH_LOG_LEVEL: 'warn', NO_COLOR: '1' };
  const started = performance.now();
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    for (;;) {
      if (performance.now() - started > START_LIMIT_MS) throw new Error(`${cmd.join(' ')} did not answer within ${START_LIMIT_MS} ms`);
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        const res = await fetch(`${url}/api/v1/permits/16041-10000-23545/status`).catch(() => undefined);
        if (res?.status === 200) {
          await res.arrayBuffer();
          const ms = performance.now() - started;
          const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
          return { ms, rssMb: rssKb / 1024 };
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const samples = new Map(WAYS.map((w) => [w.name, { first: [] as number[], restart: [] as number[], rss: [] as number[] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const way of WAYS) {
    const dir = mkdtempSync(join(tmpdir(), 'permitwatch-cold-'));
    try {
      const first = await startOnce(way.cmd, dir);
      const again = await startOnce(way.cmd, dir);
      const s = samples.get(way.name)!;
      s.first.push(first.ms);
      s.restart.push(again.ms);
      s.rss.push(again.rssMb);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
}

const base = samples.get(WAYS[0]!.name)!;
console.log(`\n${ROUNDS} rounds, medians (ratio to node):`);
console.log("way            first start → first answer   restart → first answer   RSS after the restart's first answer");
for (const way of WAYS) {
  const s = samples.get(way.name)!;
  const cell = (v: number[], b: number[], unit: string) => `${median(v).toFixed(0)} ${unit} (${(median(v) / median(b)).toFixed(2)})`;
  console.log(
    `${way.name.padEnd(15)}${cell(s.first, base.first, 'ms').padEnd(29)}${cell(s.restart, base.restart, 'ms').padEnd(25)}${cell(s.rss, base.rss, 'MB')}`,
  );
}
if (existsSync(BINARY)) console.log(`\nbinary size: ${(statSync(BINARY).size / 1024 / 1024).toFixed(1)} MB (${BINARY})`);
