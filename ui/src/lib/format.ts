/**
 * Locale-aware formatting of counts, dates, durations, sizes and paths for display.
 * Pure: the locale, time zone and "now" are parameters (defaulting to the system's), so
 * tests pin them.
 */

export interface FormatOptions {
  /** BCP 47 locale; the system's when omitted. */
  locale?: string;
  /** IANA time zone; the system's when omitted. */
  timeZone?: string;
}

// Constructing an Intl formatter costs far more than formatting with one (a list of
// people formats thousands of figures): each locale and options pair is made once.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** The `Intl.NumberFormat` for `locale` and `options`, made once and kept. */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify([locale ?? null, options]);
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** The `Intl.DateTimeFormat` for `locale` and `options`, made once and kept. */
export function dateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale ?? null, options]);
  let format = dateTimeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** `12345` → `12,345` (in en-US). */
export function formatCount(value: number, { locale }: FormatOptions = {}): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A rate such as messages per second: whole numbers from 10 up, one decimal below. */
export function formatRate(perSecond: number, { locale }: FormatOptions = {}): string {
  return numberFormat(locale, {
    maximumFractionDigits: perSecond < 10 ? 1 : 0,
  }).format(perSecond);
}

/** A share in [0, 1] as a whole percentage: `0.237` → `24%`. */
export function formatPercent(fraction: number, { locale }: FormatOptions = {}): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    Math.min(1, Math.max(0, fraction)),
  );
}

function parseDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An ISO-8601 timestamp as a date: `12 Mar 2019` / `Mar 12, 2019`. Invalid input → `null`. */
export function formatDate(iso: string, { locale, timeZone }: FormatOptions = {}): string | null {
  const date = parseDate(iso);
  if (date === null) return null;
  return dateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(date);
}

/**
 * The two ends of the mail's span as dates; `to` is `null` when both fall on the same day.
 * `null` when either end is missing or invalid.
 */
export function formatDateSpan(
  first: string | null,
  last: string | null,
  options: FormatOptions = {},
): { from: string; to: string | null } | null {
  if (first === null || last === null) return null;
  const from = formatDate(first, options);
  const to = formatDate(last, options);
  if (from === null || to === null) return null;
  return { from, to: from === to ? null : to };
}

/** The span of the mail as one line: `Mar 12, 2019 → Nov 4, 2024`, or a single date. */
export function formatDateRange(
  first: string | null,
  last: string | null,
  options: FormatOptions = {},
): string | null {
  const span = formatDateSpan(first, last, options);
  if (span === null) return null;
  return span.to === null ? span.from : `${span.from} → ${span.to}`;
}

/**
 * A message date in a result list, the way mail apps show it: the time for today, day and
 * month for this year, the full date otherwise.
 */
export function formatMessageDate(
  iso: string,
  now: Date,
  { locale, timeZone }: FormatOptions = {},
): string {
  const date = parseDate(iso);
  if (date === null) return '';
  const dayKey = dateTimeFormat('en-CA', { timeZone, dateStyle: 'short' });
  const yearKey = dateTimeFormat('en-CA', { timeZone, year: 'numeric' });
  if (dayKey.format(date) === dayKey.format(now)) {
    return dateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(date);
  }
  if (yearKey.format(date) === yearKey.format(now)) {
    return dateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone }).format(
      date,
    );
  }
  return dateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(date);
}

/**
 * A remaining time, rounded so it does not flicker while it counts down:
 * `8 seconds`, `45 seconds` (5 s steps), `3 minutes`, `1 hour, 20 minutes`.
 */
export function formatDuration(seconds: number, { locale }: FormatOptions = {}): string {
  const unit = (value: number, name: 'second' | 'minute' | 'hour') =>
    numberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const total = Math.max(0, seconds);
  if (total < 10) return unit(Math.max(1, Math.ceil(total)), 'second');
  if (total < 60) return unit(Math.min(55, Math.ceil(total / 5) * 5), 'second');
  if (total < 3600) return unit(Math.round(total / 60), 'minute');
  const hours = Math.floor(total / 3600);
  const minutes = Math.round((total - hours * 3600) / 60);
  if (minutes === 0) return unit(hours, 'hour');
  if (minutes === 60) return unit(hours + 1, 'hour');
  return new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' }).format([
    unit(hours, 'hour'),
    unit(minutes, 'minute'),
  ]);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A size in decimal units: `1536000` → `1.5 MB`. */
export function formatBytes(bytes: number, { locale }: FormatOptions = {}): string {
  let value = Math.max(0, bytes);
  let index = 0;
  while (value >= 1000 && index < BYTE_UNITS.length - 1) {
    value /= 1000;
    index += 1;
  }
  return numberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[index],
    unitDisplay: index === 0 ? 'long' : 'short',
    maximumFractionDigits: index === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** Splits a POSIX or Windows path into its folder and its last component. */
export function splitPath(path: string): { folder: string; name: string } {
  const trimmed = path.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return { folder: '', name: trimmed };
  return { folder: trimmed.slice(0, cut + 1), name: trimmed.slice(cut + 1) };
}
