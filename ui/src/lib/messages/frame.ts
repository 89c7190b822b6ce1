/**
 * How the message viewer shows a message's HTML: the document its sandboxed frame loads
 * (the engine's sanitised fragment, under a policy that loads nothing from anywhere, on
 * white, as mail is written for), and which of HTML or text it shows.
 */

/** The frame's own policy: no scripts, no fetches, no frames; inline styles and inline images only. */
export const FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

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
 * The `srcdoc` of the frame that shows `html`, a fragment the engine already sanitised.
 * The policy comes first, before anything the fragment holds.
 */
export function frameDocument(html: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}">`,
    // Not even a DNS lookup of a link's host, which would tell a sender the mail was read.
    '<meta http-equiv="x-dns-prefetch-control" content="off">',
    '<meta name="color-scheme" content="light">',
    `<style>${FRAME_STYLE}</style>`,
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
