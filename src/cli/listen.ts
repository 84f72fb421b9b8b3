import { startReceiver, type ReceivedDelivery } from '../testing/webhook-receiver.ts';
import { CliError, type CliContext } from './context.ts';

export interface ListenOptions {
  port: string;
  host: string;
  /** `--secret` values as given: each may hold several, comma-separated (a rotation overlap). */
  secret?: string[];
}

/** The secrets of `--secret a --secret b,c`: trimmed, empties dropped. */
export function listenSecrets(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function verdicts(d: ReceivedDelivery): string {
  const v = d.verification;
  if (!v) return 'X-SignedOff-Signature: no secret given  Standard Webhooks: no secret given';
  const standard = v.standard ? 'valid' : `invalid (${v.standard_error ?? 'refused'})`;
  return `X-SignedOff-Signature: ${v.signedoff ? 'valid' : 'invalid'}  Standard Webhooks: ${standard}`;
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * `permitwatch listen`: a webhook receiver on loopback that prints each delivery as it arrives,
 * with both signature verdicts, then its body. Resolves once `signal` aborts and the receiver
 * has closed; the caller decides what aborts it (the CLI wires SIGINT/SIGTERM), so it never
 * exits the process itself.
 */
export async function listenCommand(ctx: CliContext, options: ListenOptions, signal?: AbortSignal): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port must be 0-65535, got "${options.port}"`, 2);
  const secrets = listenSecrets(options.secret);
  const receiver = await startReceiver({
    port,
    host: options.host,
    secrets: () => secrets,
    onDelivery: (d) => {
      ctx.out(`${new Date(d.received_at).toISOString()}  ${d.event || '(no event)'}  webhook-id ${d.id || '-'}`);
      ctx.out(`  ${verdicts(d)}`);
      ctx.out(pretty(d.body));
    },
  });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  ctx.out(`listening for webhooks on http://${host}:${receiver.port} (any path)`);
  ctx.out(
    secrets.length > 0
      ? `  verifying signatures with ${secrets.length} secret${secrets.length > 1 ? 's' : ''}`
      : '  no secret given: signatures are not checked (pass --secret or set PERMITWATCH_WEBHOOK_SECRET)',
  );
  await new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await receiver.close();
}
