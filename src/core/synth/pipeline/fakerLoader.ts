import type { Faker } from '@faker-js/faker';

/**
 * Locales offered for fake values (see fakes.ts `chooseFakeLocale` for how one is chosen from the data).
 * Each is loaded on first use by a dynamic import of its own module, so neither the app's main bundle nor
 * a model without fake columns carries faker.
 */
export const FAKE_LOCALES = ['en_US', 'en_GB', 'de', 'fr', 'nl', 'es', 'it'] as const;
export type FakeLocale = (typeof FAKE_LOCALES)[number];

const LOADERS: Record<FakeLocale, () => Promise<{ faker: Faker }>> = {
  en_US: () => import('@faker-js/faker/locale/en_US'),
  en_GB: () => import('@faker-js/faker/locale/en_GB'),
  de: () => import('@faker-js/faker/locale/de'),
  fr: () => import('@faker-js/faker/locale/fr'),
  nl: () => import('@faker-js/faker/locale/nl'),
  es: () => import('@faker-js/faker/locale/es'),
  it: () => import('@faker-js/faker/locale/it'),
};

const loaded = new Map<FakeLocale, Promise<Faker>>();

/**
 * The faker of a locale (one shared instance per locale: callers seed it and then draw synchronously, so
 * two samples never interleave their draws).
 */
export function loadFaker(locale: FakeLocale): Promise<Faker> {
  const key: FakeLocale = FAKE_LOCALES.includes(locale) ? locale : 'en_US';
  let p = loaded.get(key);
  if (!p) {
    p = LOADERS[key]().then((m) => m.faker);
    p.catch(() => loaded.delete(key));
    loaded.set(key, p);
  }
  return p;
}
