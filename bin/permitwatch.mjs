#!/usr/bin/env node
// Runs the TypeScript sources directly under Node through tsx, so a checkout needs no build step.
// Bun and Deno run src/main.ts natively.
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
