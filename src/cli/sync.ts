import { Presets, SingleBar } from 'cli-progress';
import { createApp } from '../app.ts';
import { onShutdown } from '../runtime/signals.ts';
import type { PassSummary } from '../sync/scheduler.ts';
import { CliError, type CliContext } from './context.ts';

/**
 * `permitwatch sync`: re-checks watched permits and reads the enabled feeds until stopped, as
 * `serve` does by default (a worker beside API-only servers). `--once`: one pass over every feed
 * and the checks due now on hosts no running process holds, a progress bar on a terminal, and a summary; exit 1 if any check failed or was
 * left for later (a portal is down), so cron hears of it.
 */
export async function syncCommand(
  ctx: CliContext,
  options: { once?: boolean; json?: boolean },
  /** Where the progress bar goes, when it is a terminal: stderr, so stdout stays the summary. */
  terminal: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Promise<void> {
  if (!options.once) {
    const app = await createApp({ config: ctx.config, log: ctx.log, sync: true });
    ctx.err(`permitwatch sync: re-checking watched permits every ${ctx.config.sync_interval_seconds} s as ${app.live.scheduler.workerId}`);
    if (app.live.feeds.jurisdictions.length > 0)
      ctx.err(`  and reading feeds every ${ctx.config.feed_interval_seconds} s: ${app.live.feeds.jurisdictions.map((j) => j.slug).join(', ')}`);
    onShutdown(async () => app.close());
    return;
  }
  // No dispatcher: deliveries this pass enqueues go out with the next one that runs (serve's).
  const app = await createApp({ config: ctx.config, log: ctx.log, dispatch: false });
  const bar = terminal.isTTY && !options.json ? new SingleBar({ stream: terminal, hideCursor: true }, Presets.shades_classic) : undefined;
  let summary: PassSummary;
  try {
    summary = await app.live.scheduler.runOnce({
      onProgress(done, due) {
        if (!bar) return;
        if (done === 0) bar.start(due, 0);
        else bar.update(done);
      },
    });
  } finally {
    bar?.stop();
    await app.close();
  }
  if (options.json) ctx.out(JSON.stringify(summary));
  else {
    ctx.out(
      `checked ${summary.checked} of ${summary.due} due: ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.not_found} not found, ${summary.failed} failed`,
    );
    if (summary.deferred > 0)
      ctx.out(`${summary.deferred} left due: their portal's circuit is open (it keeps failing); the next pass tries again`);
    for (const f of summary.feeds) {
      ctx.out(
        f.ok
          ? `feed ${f.jurisdiction}: ${f.rows} rows read, ${f.appended} new or changed${f.backfill ? ' (backfill: no webhooks)' : ''}`
          : `feed ${f.jurisdiction}: failed after ${f.rows} rows: ${f.error}`,
      );
    }
    if (summary.hosts_elsewhere > 0)
      ctx.out(`${summary.hosts_elsewhere} portal host(s) skipped: a running permitwatch process re-checks their permits`);
  }
  const feedsFailed = summary.feeds.filter((f) => !f.ok).length;
  if (summary.failed + summary.deferred + feedsFailed > 0) {
    throw new CliError(`${summary.failed} check(s) failed, ${summary.deferred} left due, ${feedsFailed} feed(s) failed`, 1);
  }
}
