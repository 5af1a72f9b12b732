#!/usr/bin/env node
// Entry point of `npx facsimile`: runs the TypeScript CLI (same engine code as the app) through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
