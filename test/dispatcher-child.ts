/**
 * A dispatcher in a process of its own, for the crash test: `node --import tsx
 * test/dispatcher-child.ts <database-url> <lease-ms>`. Prints "ready" once it runs; the test
 * kills it with SIGKILL mid-burst and starts another.
 */
import pino from 'pino';
import { openDatabase } from '../src/app.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createDispatcher } from '../src/webhooks/dispatcher.ts';
import { createDeliveryAgent } from '../src/webhooks/post.ts';

const [url, lease] = process.argv.slice(2);
const db = await openDatabase(url!);
const dispatcher = createDispatcher({
  db,
  clock: systemClock,
  agent: createDeliveryAgent({ allowPrivate: true }),
  log: pino({ level: 'silent' }),
  // Several quick retries: an attempt that times out on a loaded machine must not make a
  // delivery dead, which is not what the crash test is about (loss under SIGKILL).
  schedule: [0, 1, 2, 4, 8],
  leaseMs: Number(lease),
  workerId: `child_${process.pid}`,
});
dispatcher.start();
process.stdout.write('ready\n');
