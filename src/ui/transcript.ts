import { html, nothing } from './html.js';
import type { Strings } from '../i18n/strings.js';

/** One message of the log: the latest of its transcript events, and when it began. */
export interface TranscriptLine {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  final: boolean;
  at: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const HH_MM: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
/** `12:34` in the UI language (formatters cached per language; an empty or invalid tag gets the browser's). */
export function clock(lang: string, at: number): string {
  let f = formats.get(lang);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(lang, HH_MM);
    } catch {
      f = new Intl.DateTimeFormat(undefined, HH_MM);
    }
    formats.set(lang, f);
  }
  return f.format(at);
}

const body = (l: TranscriptLine, s: Strings, lang: string) =>
  html`<span class="who">${l.role === 'user' ? s.you : s.avatar}</span><time datetime=${new Date(l.at).toISOString()}>${clock(lang, l.at)}</time><span class="text" part=${`bubble ${l.role}`}>${l.text}</span>`;

/**
 * The conversation log. A streaming message is hidden from assistive technology; when it becomes final it is
 * rendered from another template, so the log gets a new node and announces the finished segment exactly once.
 * Line breaks stay inside `${}`: text between tags ships as is.
 */
export function transcript(lines: readonly TranscriptLine[], s: Strings, lang: string) {
  return html`<div class="transcript" part="transcript" role="log" aria-label=${s.transcriptLabel} aria-relevant="additions" tabindex=${lines.length ? 0 : -1}><ol>${lines.map((l) =>
    l.final
      ? html`<li class="message" part="message" data-role=${l.role} data-final="true">${body(l, s, lang)}</li>`
      : html`<li class="message" part="message" data-role=${l.role} data-final="false" aria-hidden="true">${body(l, s, lang)}</li>`,
  )}</ol></div>${lines.length ? nothing : html`<div class="empty" part="empty"><slot name="empty">${s.empty}</slot></div>`}`;
}

/** The current turn's text for the captions: the assistant's reply while it streams or is being spoken. */
export function captionText(lines: readonly TranscriptLine[], speaking: boolean): string {
  const last = lines[lines.length - 1];
  return last && last.role === 'assistant' && (!last.final || speaking) ? last.text : '';
}
