import { afterEach, describe, expect, it, vi } from 'vitest';
import { yieldToEventLoop } from '../../src/core/context';

describe('yieldToEventLoop', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lets queued tasks run before it resolves (Node: setImmediate)', async () => {
    const seen: string[] = [];
    setImmediate(() => seen.push('task'));
    await yieldToEventLoop();
    seen.push('after');
    expect(seen).toEqual(['task', 'after']);
  });

  it('without setImmediate (a browser), releases every waiter through one message, in order, and again after', async () => {
    vi.stubGlobal('setImmediate', undefined);
    const seen: number[] = [];
    const waits = [1, 2, 3].map((i) => yieldToEventLoop().then(() => seen.push(i)));
    expect(seen).toEqual([]); // nothing resolves synchronously
    await Promise.all(waits);
    expect(seen).toEqual([1, 2, 3]);
    // The channel is reused, and a waiter after the first message gets a message of its own.
    for (let i = 4; i <= 6; i++) await yieldToEventLoop().then(() => seen.push(i));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
