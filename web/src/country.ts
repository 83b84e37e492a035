/** The visitor's country from the browser's locale (en-GB → GB; a bare language → its likely region), else US. */
export function browserCountry(): string {
  for (const tag of navigator.languages.length > 0 ? navigator.languages : [navigator.language]) {
    try {
      const region = new Intl.Locale(tag).maximize().region;
      if (region && /^[A-Z]{2}$/.test(region)) return region;
    } catch {
      // An unparsable tag: try the next one.
    }
  }
  return 'US';
}

const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(undefined, { type: 'region' }) : undefined;

export function countryName(code: string): string {
  return names?.of(code) ?? code;
}

/** Countries offered in the release switcher besides the film's own release countries. */
export const COMMON_COUNTRIES = ['US', 'GB', 'CA', 'AU', 'FR', 'DE', 'ES', 'IT', 'JP', 'BR', 'IN'];

export function formatDate(date: string): string {
  // A Date scalar is a calendar date: format it in UTC so no time zone shifts the day.
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d)).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}
