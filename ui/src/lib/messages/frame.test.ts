import { describe, expect, it } from 'vitest';
import { blockedNote, classifyLink, FRAME_POLICY, FRAME_SANDBOX, frameDocument, linkEntries, shownFormat } from './frame';

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
  it('says how many remote images were blocked, and nothing when none were', () => {
    expect(blockedNote(0)).toBeNull();
    expect(blockedNote(3)).toBe('Remote images blocked (3)');
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

describe('classifyLink', () => {
  it('splits a web link so its real host stands out', () => {
    expect(classifyLink('https://acme.example/report?q=1')).toEqual({
      kind: 'web',
      url: 'https://acme.example/report?q=1',
      before: 'https://',
      emphasis: 'acme.example',
      after: '/report?q=1',
      action: 'Open in browser',
    });
  });

  it('shows the host after a user name that imitates another site', () => {
    const link = classifyLink('https://bank.example@evil.example:8443/login');
    expect(link).toMatchObject({ before: 'https://bank.example@', emphasis: 'evil.example:8443', after: '/login' });
  });

  it('normalises the host as it will be opened: lower case, punycode', () => {
    expect(classifyLink('  HTTP://Bücher.Example ')).toMatchObject({
      url: 'http://xn--bcher-kva.example/',
      emphasis: 'xn--bcher-kva.example',
      after: '/',
    });
  });

  it('emphasises the address of a mail link and the number of a phone link', () => {
    expect(classifyLink('mailto:dana@acme.example?subject=Hi')).toMatchObject({
      kind: 'mail',
      before: 'mailto:',
      emphasis: 'dana@acme.example',
      after: '?subject=Hi',
      action: 'Open in mail app',
    });
    expect(classifyLink('tel:+44-20-7946-0000')).toMatchObject({ kind: 'phone', emphasis: '+44-20-7946-0000', after: '' });
  });

  it('refuses other schemes by name, and what is not a full address', () => {
    expect(classifyLink('javascript:alert(1)')).toEqual({
      kind: 'refused',
      href: 'javascript:alert(1)',
      reason: 'Kindred does not open javascript: links; only web, mail and phone links open.',
    });
    expect(classifyLink('file:///etc/passwd')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('file:') as string });
    expect(classifyLink('/relative')).toMatchObject({ kind: 'refused', reason: 'This link has no full address, so Kindred does not open it.' });
  });
});

describe('linkEntries', () => {
  it('lists each address once, with its first text, in the message order', () => {
    const entries = linkEntries([
      { href: 'https://acme.example/a', text: '  Read \n the report ' },
      { href: 'javascript:alert(1)', text: 'Prize' },
      { href: 'HTTPS://ACME.example/a', text: 'Again' },
      { href: 'mailto:dana@acme.example', text: null },
    ]);
    expect(entries.map((entry) => [entry.index, entry.text, entry.link.kind])).toEqual([
      [0, 'Read the report', 'web'],
      [1, 'Prize', 'refused'],
      [3, '', 'mail'],
    ]);
  });
});
