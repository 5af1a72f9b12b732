import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CROSS_ORIGIN_ISOLATION } from '../src/csp';

// The policy lives in three places (HTTP header from vite, <meta> in index.html, public/_headers for
// static hosts); they must never drift apart.
describe('Content-Security-Policy', () => {
  it('is the same in index.html, public/_headers and the vite headers', () => {
    const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
    const headers = readFileSync(new URL('../public/_headers', import.meta.url), 'utf8');
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
    expect(headers).toContain(`Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`);
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) expect(headers).toContain(`${name}: ${value}`);
  });
  it('allows no other origin to be contacted', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/connect-src 'self' blob: data:/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
  });
});
