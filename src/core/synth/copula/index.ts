export { copulaEngine, type CopulaOptions } from './engine';
export { normalCdf, normalInv } from './normal';
