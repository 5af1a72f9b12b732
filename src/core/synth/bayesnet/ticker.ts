// The engine's one throttled progress helper, under the name bayesnet/index.ts imports.
export { ProgressTicker as Ticker } from '../../progressTicker';
