/**
 * The webhook target guard on whichever runtime runs this file, for the runtimes smoke test:
 * `<runtime> test/guard-probe.ts <loopback-receiver-url>`. Posts to the receiver through the
 * guarded delivery agent by IP literal and by name (localhost, from /etc/hosts), runs the
 * start-up self-check, and prints what each came to as one JSON line.
 */
import { systemClock } from '../src/lib/clock.ts';
import { checkTargetGuard } from '../src/webhooks/guard-check.ts';
import { createDeliveryAgent, postDelivery } from '../src/webhooks/post.ts';

const target = process.argv[2]!;
const agent = createDeliveryAgent({ allowPrivate: false });
const post = (url: string) => postDelivery(agent, url, '{}', { 'content-type': 'application/json' }, systemClock);
const literal = await post(target);
const named = await post(target.replace('127.0.0.1', 'localhost'));
const check = await checkTargetGuard(agent);
await agent.close();
process.stdout.write(`${JSON.stringify({ literal: literal.error, named: named.error, check: check.ok })}\n`);
