import { describe, expect, it } from 'vitest';
import type { MessageLink } from '../backend';
import { blockedNote, FRAME_POLICY, FRAME_SANDBOX, frameDocument, frameLink, linkAction, linkEntries, shownFormat } from './frame';

describe('frameDocument', () => {
  it('puts its own policy, loading nothing, before the message', () => {
    const html = frameDocument('<p>Hello</p>');
    const policy = html.indexOf(`content="${FRAME_POLICY}"`);
    expect(policy).toBeGreaterThan(0);
    expect(html.indexOf('<p>Hello</p>')).toBeGreaterThan(policy);
    expect(FRAME_POLICY).toContain("default-src 'none'");
    expect(FRAME_POLICY).toContain('img-src data:');
    expect(FRAME_POLICY).not.toContain('script-src');
  });

  it('sandboxes the frame with same origin only: never scripts, forms, popups or navigation', () => {
    expect(FRAME_SANDBOX.split(/\s+/)).toEqual(['allow-same-origin']);
    // With no script-src, `default-src 'none'` refuses every script, inline ones included.
    expect(FRAME_POLICY.split('; ').find((directive) => directive.startsWith('script-src'))).toBeUndefined();
    expect(FRAME_POLICY.startsWith("default-src 'none';")).toBe(true);
  });

  it('turns off DNS prefetching of the links', () => {
    expect(frameDocument('<a href="https://acme.example/">x</a>')).toContain(
      '<meta http-equiv="x-dns-prefetch-control" content="off">',
    );
  });

  it('is light whatever the theme', () => {
    const html = frameDocument('');
    expect(html).toContain('<meta name="color-scheme" content="light">');
    expect(html).toContain('background: #ffffff');
  });
});

describe('shownFormat', () => {
  it('shows the preferred format when there is HTML, else the text', () => {
    expect(shownFormat('html', '<p>x</p>')).toBe('html');
    expect(shownFormat('text', '<p>x</p>')).toBe('text');
    expect(shownFormat('html', null)).toBe('text');
  });
});

describe('blockedNote', () => {
  it('says how much remote content (images, backgrounds, CSS references) was blocked, and nothing when none was', () => {
    expect(blockedNote(0)).toBeNull();
    expect(blockedNote(3)).toBe('Remote content blocked (3)');
  });
});

describe('frameDocument with style sheets', () => {
  it('puts the message style sheets after the base look, each in its own element', () => {
    const html = frameDocument('<p class="lead">x</p>', ['.lead { color: #123a6b }', 'td { padding: 0 }']);
    expect(html.indexOf('<style>.lead { color: #123a6b }</style>')).toBeGreaterThan(html.indexOf('a { color: #0b57d0; }'));
    expect(html.indexOf('<style>td { padding: 0 }</style>')).toBeGreaterThan(html.indexOf('.lead'));
    expect(html.indexOf('<style>td')).toBeLessThan(html.indexOf('<body>'));
  });

  it('writes a < in a style sheet as an escape, so nothing closes its element', () => {
    const html = frameDocument('', ['.q::after { content: "</style><script>x</script>" }']);
    expect(html).not.toContain('</style><script>');
    expect(html).toContain('content: "\\3c /style>\\3c script>x\\3c /script>"');
  });
});

/** Links as the engine lists them (`MessageView.links`). */
const REPORT: MessageLink = {
  url: 'https://bank.example@evil.example/login',
  text: 'Your bank',
  kind: 'web',
  before: 'https://bank.example@',
  emphasis: 'evil.example',
  after: '/login',
};
const MAIL: MessageLink = {
  url: 'mailto:dana@acme.example',
  text: '',
  kind: 'mail',
  before: 'mailto:',
  emphasis: 'dana@acme.example',
  after: '',
};
const PHONE: MessageLink = { url: 'tel:+44-20-7946-0000', text: 'Call', kind: 'phone', before: 'tel:', emphasis: '+44-20-7946-0000', after: '' };

describe('frameLink', () => {
  it("finds the link an anchor is by the engine's number", () => {
    expect(frameLink([REPORT, MAIL], '0')).toBe(REPORT);
    expect(frameLink([REPORT, MAIL], '1')).toBe(MAIL);
  });

  it('finds none for an anchor without a number, or with one the message does not list', () => {
    expect(frameLink([REPORT], null)).toBeNull();
    expect(frameLink([REPORT], '')).toBeNull();
    expect(frameLink([REPORT], '1')).toBeNull();
    expect(frameLink([REPORT], '-1')).toBeNull();
    expect(frameLink([REPORT], '0.5')).toBeNull();
    expect(frameLink([REPORT], 'length')).toBeNull();
  });
});

describe('linkAction', () => {
  it('names where each kind of link opens', () => {
    expect([REPORT, MAIL, PHONE].map(linkAction)).toEqual(['Open in browser', 'Open in mail app', 'Open in phone app']);
  });
});

describe('linkEntries', () => {
  it('lists each address once, with its first text, in the message order', () => {
    const entries = linkEntries([REPORT, MAIL, { ...REPORT, text: 'Again' }, PHONE]);
    expect(entries.map((entry) => [entry.index, entry.link.text, entry.link.kind])).toEqual([
      [0, 'Your bank', 'web'],
      [1, '', 'mail'],
      [3, 'Call', 'phone'],
    ]);
  });
});
