/**
 * How the message viewer shows a message's HTML: the document its sandboxed frame loads
 * (the engine's sanitised fragment and style sheets, under a policy that loads nothing from
 * anywhere, on white, as mail is written for), which of HTML or text it shows, and what a
 * link in it points at.
 *
 * The frame is `sandbox="allow-same-origin"`, never with `allow-scripts`, so that the
 * viewer can read the frame's links and listen for clicks on them, and ask before opening
 * one. (WebKit runs no listener at all in a frame that may not run scripts, so there the
 * viewer lists the links under the frame instead.) Why same origin opens nothing to the
 * mail:
 * - Same origin matters to script, and no script runs in the frame: the sandbox forbids it
 *   (no `allow-scripts`), the frame's own policy has no `script-src` (so `default-src
 *   'none'` refuses every script), and the engine removed scripts and event handlers.
 *   Only the viewer's script, in the app, reaches into the frame — never the reverse.
 * - The sandbox still refuses forms, popups, top navigation, downloads and plugins; the
 *   frame's policy and the app's own (which the `srcdoc` document inherits) refuse every
 *   fetch but inline raster images, so a same-origin request, which would carry the app's
 *   credentials, is never made; the style sheets hold no `url()`, `@import` or fonts.
 * - A click on a link is cancelled before it navigates; the link opens only through the
 *   engine's `open_link`, which checks the scheme again, after the person saw the card.
 */

/** The frame's own policy: no scripts, no fetches, no frames; inline styles and inline images only. */
export const FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The frame's sandbox: same origin, for the viewer to see link clicks; no scripts, ever. */
export const FRAME_SANDBOX = 'allow-same-origin';

export type MessageFormat = 'html' | 'text';

/** The base look of a mail: light whatever the app's theme, images kept within the frame's width. */
const FRAME_STYLE = [
  ':root { color-scheme: light; background: #ffffff; color: #1d1d1f; }',
  'body { margin: 16px 20px; font: 14px/1.5 system-ui, sans-serif; overflow-wrap: anywhere; }',
  'img { max-width: 100%; height: auto; }',
  'table { max-width: 100%; }',
  'a { color: #0b57d0; }',
].join('\n');

/**
 * The `srcdoc` of the frame that shows `html`, a fragment the engine already sanitised,
 * with the message's own style sheets (sanitised too) after the base look. The policy
 * comes first, before anything the message holds. A style sheet's `<` (the engine leaves
 * none) is written as a CSS escape, so no text can close its `<style>`.
 */
export function frameDocument(html: string, styleSheets: readonly string[] = []): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}">`,
    // Not even a DNS lookup of a link's host, which would tell a sender the mail was read.
    '<meta http-equiv="x-dns-prefetch-control" content="off">',
    '<meta name="color-scheme" content="light">',
    `<style>${FRAME_STYLE}</style>`,
    ...styleSheets.map((sheet) => `<style>${sheet.replaceAll('<', '\\3c ')}</style>`),
    '</head><body>',
    html,
    '</body></html>',
  ].join('\n');
}

/** What the viewer shows: the preferred format, or the text when the message has no HTML. */
export function shownFormat(preferred: MessageFormat, html: string | null): MessageFormat {
  return html === null ? 'text' : preferred;
}

/** The line under the toggle when the HTML is shown. */
export function blockedNote(remoteBlocked: number): string | null {
  return remoteBlocked > 0 ? `Remote images blocked (${remoteBlocked})` : null;
}

/** Where a link may go: the web, a new mail, a phone call. */
export type LinkKind = 'web' | 'mail' | 'phone';

/**
 * A link the viewer offers to open: its full address split so that the part that says
 * where it really goes (a web link's host, a mail's address, a phone number) can be
 * emphasised, whatever the link's text claims.
 */
export interface OpenableLink {
  kind: LinkKind;
  /** The address as it will be opened (normalised: a host in lower case and punycode). */
  url: string;
  before: string;
  emphasis: string;
  after: string;
  /** The label of the button that opens it. */
  action: string;
}

/** A link the viewer will not open, and why, for the person. */
export interface RefusedLink {
  kind: 'refused';
  href: string;
  reason: string;
}

const KINDS: Record<string, { kind: LinkKind; action: string }> = {
  'http:': { kind: 'web', action: 'Open in browser' },
  'https:': { kind: 'web', action: 'Open in browser' },
  'mailto:': { kind: 'mail', action: 'Open in mail app' },
  'tel:': { kind: 'phone', action: 'Open in phone app' },
};

/**
 * What a link's `href` points at: a web, mail or phone link to offer, split for showing,
 * or a refusal naming why (another scheme, or no full address — the engine already drops
 * such links, so this is the second check).
 */
export function classifyLink(href: string): OpenableLink | RefusedLink {
  let parsed: URL;
  try {
    parsed = new URL(href.trim());
  } catch {
    return { kind: 'refused', href, reason: 'This link has no full address, so Kindred does not open it.' };
  }
  const known = KINDS[parsed.protocol];
  if (known === undefined) {
    return {
      kind: 'refused',
      href,
      reason: `Kindred does not open ${parsed.protocol} links; only web, mail and phone links open.`,
    };
  }
  const url = parsed.href;
  if (known.kind !== 'web') {
    // `mailto:dana@acme.example?subject=…`, `tel:+44…`: the address or number itself.
    const end = url.length - parsed.search.length - parsed.hash.length;
    return { ...known, url, before: parsed.protocol, emphasis: url.slice(parsed.protocol.length, end), after: url.slice(end) };
  }
  // `https://user@host:port/path`: the host (and port) after any user name, which a link
  // may use to look like another site (`https://bank.example@evil.example/`).
  const authorityStart = parsed.protocol.length + 2;
  const pathStart = url.indexOf('/', authorityStart);
  const authorityEnd = pathStart === -1 ? url.length : pathStart;
  const userEnd = url.lastIndexOf('@', authorityEnd);
  const start = userEnd >= authorityStart ? userEnd + 1 : authorityStart;
  return { ...known, url, before: url.slice(0, start), emphasis: url.slice(start, authorityEnd), after: url.slice(authorityEnd) };
}

/** One entry of the list of a message's links: what the message shows, and where it goes. */
export interface LinkEntry {
  link: OpenableLink | RefusedLink;
  text: string;
  /** Which of the message's links (in document order) it is. */
  index: number;
}

/** A link's text as shown: its words, spaces folded. */
export function linkText(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The message's links (`href` and text, in document order) as the list under the frame
 * shows them: each address once, with the first text the message gives it.
 */
export function linkEntries(links: readonly { href: string; text: string | null }[]): LinkEntry[] {
  const seen = new Set<string>();
  const entries: LinkEntry[] = [];
  links.forEach(({ href, text }, index) => {
    const link = classifyLink(href);
    const address = link.kind === 'refused' ? link.href : link.url;
    if (seen.has(address)) return;
    seen.add(address);
    entries.push({ link, text: linkText(text), index });
  });
  return entries;
}
