// Side effects only: registers tfjs-core's gradients (see scripts/build-tfjs-gradients.mjs).
export {};
