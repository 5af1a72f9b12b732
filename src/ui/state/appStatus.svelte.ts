/** App-wide status: connectivity, storage persistence, a blocking condition, and notices. */
export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  hint?: string;
}

class AppStatus {
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** undefined until asked; false means the browser may evict data under storage pressure. */
  persisted = $state<boolean | undefined>(undefined);
  blockedReason = $state<string | undefined>(undefined);
  notices = $state<Notice[]>([]);
  #next = 1;

  notify(kind: Notice['kind'], message: string, hint?: string) {
    this.notices.push({ id: this.#next++, kind, message, hint });
  }

  /** Show an error with its hint (UserError) instead of losing it. */
  fail(e: unknown) {
    const err = e as { message?: string; hint?: string; name?: string };
    if (err?.name === 'CancelledError') return;
    this.notify('error', err?.message ?? String(e), err?.hint);
  }

  dismiss(id: number) {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}

export const appStatus = new AppStatus();

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => (appStatus.online = true));
  window.addEventListener('offline', () => (appStatus.online = false));
}
