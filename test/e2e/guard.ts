import { test as base, expect, type BrowserContext } from '@playwright/test';

/**
 * The no-egress guard: every request of the browser context is routed through here, and any that
 * would leave the page's origin is aborted and recorded. `page.on('request')` alone would miss
 * fetches the CSP blocks before they are sent, and would flag harmless data:/blob: images.
 */
export async function guardEgress(context: BrowserContext, origin: string): Promise<string[]> {
  const offOrigin: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.origin === origin) return route.continue();
    offOrigin.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  // Requests the CSP refuses never reach the router: count CSP violations too.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolations: string[] }).__cspViolations ??= [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return offOrigin;
}

export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [
    async ({ context, baseURL }, use) => {
      const offOrigin = await guardEgress(context, new URL(baseURL!).origin);
      await use(offOrigin);
      expect(offOrigin, 'requests that left the page origin').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
