/**
 * How the message viewer shows a message's HTML: the document its sandboxed frame loads
 * (the engine's sanitised fragment and style sheets, under a policy that loads nothing from
 * anywhere, on white, as mail is written for), which of HTML or text it shows, and which
 * of the message's links (the engine lists them, with where each goes) an anchor in it is.
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
 *   The card shows the engine's reading of the link (`MessageView.links`): the viewer
 *   never parses an `href` itself.
 */

import type { LinkKind, MessageLink } from '../backend';

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

/** The line under the toggle when the HTML is shown: images, backgrounds and CSS references. */
export function blockedNote(remoteBlocked: number): string | null {
  return remoteBlocked > 0 ? `Remote content blocked (${remoteBlocked})` : null;
}

/** The label of the button that opens a link of each kind. */
const ACTIONS: Record<LinkKind, string> = {
  web: 'Open in browser',
  mail: 'Open in mail app',
  phone: 'Open in phone app',
};

/** The label of the button that opens `link`. */
export function linkAction(link: MessageLink): string {
  return ACTIONS[link.kind];
}

/**
 * The link of the message that an anchor in the frame is: the engine numbered each link
 * it kept (`data-link="N"`, `links[N]`). An anchor without a number is none of them.
 */
export function frameLink(links: readonly MessageLink[], number: string | null): MessageLink | null {
  return number !== null && /^\d+$/.test(number) ? (links[Number(number)] ?? null) : null;
}

/** One entry of the list of a message's links. */
export interface LinkEntry {
  link: MessageLink;
  /** Which of the message's links (in document order) it is. */
  index: number;
}

/** The message's links as the list under the frame shows them: each address once, with its first text. */
export function linkEntries(links: readonly MessageLink[]): LinkEntry[] {
  const seen = new Set<string>();
  const entries: LinkEntry[] = [];
  links.forEach((link, index) => {
    if (seen.has(link.url)) return;
    seen.add(link.url);
    entries.push({ link, index });
  });
  return entries;
}
