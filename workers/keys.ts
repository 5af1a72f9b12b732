/**
 * The keys of unlocked encrypted projects, in this worker's memory only (never stored, never sent to
 * the page). One worker, the project worker, derives them from passphrases and holds them for the tab;
 * every other worker receives them from it over a MessageChannel that the page sets up when it starts
 * the worker (the page passes the ports, never a key). Locking, or closing the tab (workers die with
 * it), drops them. Lock listeners drop what a worker keeps in memory (tables, resident models).
 */
import type { KeySource } from '../src/db';
import { KEY_PORT_MESSAGE } from './keyPort';

type KeyMessage = { type: 'keys'; keys: [string, CryptoKey][] } | { type: 'lock'; projectId?: string } | { type: 'forget' };

const keys = new Map<string, CryptoKey>();
const peers = new Set<MessagePort>();
const forgetListeners: (() => void)[] = [];
/** Until the key holder's first message arrives, key look-ups wait (briefly) for it. */
let ready: Promise<void> = Promise.resolve();

export const keySource: KeySource = {
  async key(projectId) {
    await ready;
    return keys.get(projectId);
  },
};

export const hasKey = (projectId: string): boolean => keys.has(projectId);

/** Run when keys are dropped or real data is deleted: forget tables and models kept in memory. */
export function onForget(fn: () => void): void {
  forgetListeners.push(fn);
}

function broadcast(m: KeyMessage) {
  for (const p of peers) p.postMessage(m);
}

export function setKey(projectId: string, key: CryptoKey): void {
  keys.set(projectId, key);
  broadcast({ type: 'keys', keys: [[projectId, key]] });
}

export function dropKeys(projectId?: string): void {
  if (projectId === undefined) keys.clear();
  else keys.delete(projectId);
  forget();
  broadcast({ type: 'lock', projectId });
}

/** Drop what this worker (and its peers) keep in memory of any table or model. */
export function forget(broadcastToo = false): void {
  for (const f of forgetListeners) f();
  if (broadcastToo) broadcast({ type: 'forget' });
}

/** Key holder side: send every key now and later ones as they come. */
export function shareKeys(port: MessagePort): void {
  peers.add(port);
  port.postMessage({ type: 'keys', keys: [...keys] } satisfies KeyMessage);
}

/** Receiving side: take keys (and locks) from the key holder. */
export function acceptKeys(port: MessagePort): void {
  ready = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    port.onmessage = (e: MessageEvent<KeyMessage>) => {
      const m = e.data;
      if (m.type === 'keys') for (const [id, k] of m.keys) keys.set(id, k);
      else if (m.type === 'lock') {
        if (m.projectId === undefined) keys.clear();
        else keys.delete(m.projectId);
        forget();
      } else forget();
      clearTimeout(timer);
      resolve();
    };
  });
}

// Every worker that reads storage imports this module (through workerStore), so each one takes the
// key holder's port when the page starts it, whatever its comlink api. This listener runs before
// comlink's (expose is called after the imports), and keeps the message from it.
const scope = (globalThis as { WorkerGlobalScope?: unknown; addEventListener?: unknown }).WorkerGlobalScope ? (globalThis as unknown as Worker) : undefined;
scope?.addEventListener('message', (e: MessageEvent) => {
  if (!(e.data && typeof e.data === 'object' && KEY_PORT_MESSAGE in e.data) || !e.ports[0]) return;
  e.stopImmediatePropagation();
  acceptKeys(e.ports[0]);
});
