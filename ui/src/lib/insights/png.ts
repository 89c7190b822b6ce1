/**
 * Wrapped cards as PNG images, drawn on a canvas by hand (no DOM snapshotting library, no
 * network): the sizing and text wrapping are pure and tested; `drawCard` paints one card
 * in the current theme's colours.
 */
import type { WrappedCard } from './wrapped';

/** The card's drawing size in canvas units: 4:5, the shape social apps show uncropped. */
export const CARD_WIDTH = 540;
export const CARD_HEIGHT = 675;
/** The longest side an exported image may have, whatever the screen's pixel ratio. */
export const MAX_SIDE = 2160;

export interface ExportSize {
  width: number;
  height: number;
  /** Canvas units to pixels. */
  scale: number;
}

/**
 * The pixel size of an exported card: at least twice the drawing size (crisp on phones),
 * the screen's pixel ratio if higher, never a side longer than `MAX_SIDE`.
 */
export function exportSize(pixelRatio: number, width = CARD_WIDTH, height = CARD_HEIGHT): ExportSize {
  const wanted = Number.isFinite(pixelRatio) ? Math.max(2, pixelRatio) : 2;
  const scale = Math.min(wanted, MAX_SIDE / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale), scale };
}

/**
 * Breaks `text` into lines no wider than `maxWidth` as `measure` sees them, at most
 * `maxLines` (the last ends in "…" when text was left out). A word longer than a line is
 * kept whole on its own line.
 */
export function wrapLines(
  text: string,
  maxWidth: number,
  measure: (text: string) => number,
  maxLines = Number.POSITIVE_INFINITY,
): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && measure(candidate) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = `${kept[maxLines - 1] ?? ''}…`;
  while (measure(last) > maxWidth && last.length > 1) last = `${last.slice(0, -2)}…`;
  kept[maxLines - 1] = last;
  return kept;
}

/** A download name: `kindred-wrapped-days-90-01-messages.png`. */
export function cardFileName(windowKey: string, index: number, card: Pick<WrappedCard, 'id'>): string {
  return `kindred-wrapped-${windowKey}-${String(index + 1).padStart(2, '0')}-${card.id}.png`;
}

/** Colours the card is painted in: the app's theme tokens. */
export interface Palette {
  surface: string;
  surface2: string;
  text: string;
  text2: string;
  text3: string;
  border: string;
  accent: string;
  success: string;
  danger: string;
  font: string;
}

/** The current theme's tokens, read from the document's CSS custom properties. */
export function themePalette(element: Element = document.documentElement): Palette {
  const style = getComputedStyle(element);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    surface: token('--surface', '#ffffff'),
    surface2: token('--surface-2', '#f0f0f3'),
    text: token('--text', '#17171a'),
    text2: token('--text-2', '#55555f'),
    text3: token('--text-3', '#85858f'),
    border: token('--border-strong', '#cfcfd8'),
    accent: token('--accent', '#4f46e5'),
    success: token('--success', '#15803d'),
    danger: token('--danger', '#b42318'),
    font: token('--font', 'system-ui, sans-serif'),
  };
}

const PAD = 40;

function fitFont(
  context: CanvasRenderingContext2D,
  text: string,
  weight: number,
  size: number,
  maxWidth: number,
  font: string,
): number {
  let fitted = size;
  context.font = `${weight} ${fitted}px ${font}`;
  while (fitted > 20 && context.measureText(text).width > maxWidth) {
    fitted -= 2;
    context.font = `${weight} ${fitted}px ${font}`;
  }
  return fitted;
}

/** Paints `card` on `context`, whose transform maps `CARD_WIDTH × CARD_HEIGHT` to the canvas. */
export function drawCard(
  context: CanvasRenderingContext2D,
  card: WrappedCard,
  heading: string,
  palette: Palette,
): void {
  const width = CARD_WIDTH;
  const inner = width - 2 * PAD;
  const { font } = palette;
  context.fillStyle = palette.surface;
  context.fillRect(0, 0, width, CARD_HEIGHT);
  context.fillStyle = palette.accent;
  context.fillRect(0, 0, width, 8);
  context.textBaseline = 'alphabetic';
  context.textAlign = 'left';

  context.fillStyle = palette.text3;
  context.font = `600 13px ${font}`;
  context.fillText(heading.toUpperCase(), PAD, 52);

  context.fillStyle = palette.text2;
  context.font = `600 24px ${font}`;
  context.fillText(card.title, PAD, 104);

  context.fillStyle = palette.text;
  const valueSize = fitFont(context, card.value, 750, 64, inner, font);
  context.fillText(card.value, PAD, 104 + 16 + valueSize);
  let y = 104 + 16 + valueSize + 36;

  context.fillStyle = palette.text2;
  context.font = `400 19px ${font}`;
  for (const line of wrapLines(card.caption, inner, (text) => context.measureText(text).width, 2)) {
    context.fillText(line, PAD, y);
    y += 26;
  }

  if (card.comparison) {
    const trend = card.comparison.trend;
    context.fillStyle = trend === 'up' || trend === 'new' ? palette.success : trend === 'down' || trend === 'gone' ? palette.danger : palette.text2;
    context.font = `600 16px ${font}`;
    for (const line of wrapLines(card.comparison.text, inner, (text) => context.measureText(text).width, 2)) {
      context.fillText(line, PAD, y + 6);
      y += 22;
    }
  }
  y += 28;

  if (card.heatmap) {
    const gap = 2;
    const cell = Math.floor((inner - 30 - 23 * gap) / 24);
    context.font = `500 11px ${font}`;
    for (const { weekday, hour, level } of card.heatmap.cells) {
      context.globalAlpha = level === 0 ? 1 : 0.2 + 0.2 * level;
      context.fillStyle = level === 0 ? palette.surface2 : palette.accent;
      context.fillRect(PAD + 30 + hour * (cell + gap), y + weekday * (cell + gap), cell, cell);
    }
    context.globalAlpha = 1;
    context.fillStyle = palette.text3;
    for (const [weekday, name] of ['M', 'T', 'W', 'T', 'F', 'S', 'S'].entries()) {
      context.fillText(name, PAD + 6, y + weekday * (cell + gap) + cell - 3);
    }
    y += 7 * (cell + gap) + 16;
    for (const hour of [0, 6, 12, 18]) {
      context.fillText(String(hour).padStart(2, '0'), PAD + 30 + hour * (cell + gap), y);
    }
  } else if (card.bars) {
    for (const [at, bar] of card.bars.entries()) {
      context.fillStyle = palette.text2;
      context.font = `400 15px ${font}`;
      context.fillText(bar.label, PAD, y);
      const track = inner - 90;
      context.fillStyle = palette.surface2;
      context.fillRect(PAD, y + 10, track, 14);
      context.fillStyle = at === 0 ? palette.accent : palette.text3;
      context.fillRect(PAD, y + 10, track * bar.fraction, 14);
      context.fillStyle = palette.text;
      context.font = `650 17px ${font}`;
      context.textAlign = 'right';
      context.fillText(bar.display, width - PAD, y + 23);
      context.textAlign = 'left';
      y += 60;
    }
  } else if (card.list) {
    for (const item of card.list.slice(0, 5)) {
      context.font = `600 17px ${font}`;
      context.fillStyle = palette.text;
      context.textAlign = 'right';
      context.fillText(item.count, width - PAD, y);
      const countWidth = context.measureText(item.count).width;
      context.textAlign = 'left';
      const [label = ''] = wrapLines(item.label, inner - countWidth - 16, (text) => context.measureText(text).width, 1);
      context.fillText(label, PAD, y);
      y += 36;
    }
  }

  context.fillStyle = palette.text3;
  context.font = `400 15px ${font}`;
  const evidence = wrapLines(card.evidence, inner, (text) => context.measureText(text).width, 3);
  let evidenceY = CARD_HEIGHT - PAD - 22 * (evidence.length - 1) - 28;
  for (const line of evidence) {
    context.fillText(line, PAD, evidenceY);
    evidenceY += 22;
  }
  context.fillStyle = palette.accent;
  context.font = `700 14px ${font}`;
  context.fillText('Kindred', PAD, CARD_HEIGHT - PAD + 6);
}

/** Renders `card` to a PNG data URL at `exportSize(pixelRatio)`. */
export function cardToPng(card: WrappedCard, heading: string, palette: Palette, pixelRatio: number): string {
  const size = exportSize(pixelRatio);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('this webview cannot draw on a canvas, so the card cannot be exported');
  context.scale(size.scale, size.scale);
  drawCard(context, card, heading, palette);
  return canvas.toDataURL('image/png');
}

/** Saves a data URL as a file through a temporary `<a download>`. */
export function download(dataUrl: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = dataUrl;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
