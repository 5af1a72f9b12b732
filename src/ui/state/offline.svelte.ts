import { registerSW } from 'virtual:pwa-register';

/** Service worker state: cached for offline use, and whether a newer version waits. */
class OfflineState {
  ready = $state(false);
  needRefresh = $state(false);
  #update: ((reload?: boolean) => Promise<void>) | undefined;

  register() {
    if (!('serviceWorker' in navigator)) return;
    this.#update = registerSW({
      immediate: true,
      onOfflineReady: () => (this.ready = true),
      onNeedRefresh: () => (this.needRefresh = true),
      onRegisteredSW: (_url, reg) => {
        if (reg?.active) this.ready = true;
      },
    });
  }

  update() {
    void this.#update?.(true);
  }
}

export const offline = new OfflineState();
