import { html } from './html.js';

/** Stroke icons on a 24×24 grid (drawn with `currentColor`; sized and stroked by the stylesheet). */
export const ICONS = {
  mic: 'M9 6a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0zM5 11a7 7 0 0 0 14 0M12 18v3',
  /** `mic` struck through (written out: gzip finds the repeat, a shared constant would cost more). */
  micOff: 'M9 6a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0zM5 11a7 7 0 0 0 14 0M12 18v3M4 4l16 16',
  phone: 'M5 4h4l2 5-3 2a11 11 0 0 0 5 5l2-3 5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  send: 'M21 3 10 14M21 3l-7 18-4-7-7-4z',
  chat: 'M21 12a8 8 0 0 1-12 7l-5 1 1-5a8 8 0 1 1 16-3z',
  close: 'M6 6l12 12M18 6 6 18',
  sound: 'M11 5 6 9H3v6h3l5 4zM15 9a4 4 0 0 1 0 6M18 6a8 8 0 0 1 0 12',
  stop: 'M7 7h10v10H7z',
} as const;

/** A decorative icon: hidden from assistive technology (the button around it carries the name). */
export const icon = (d: string) => html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d} /></svg>`;
