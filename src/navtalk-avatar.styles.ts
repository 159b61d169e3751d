/**
 * Public `--navtalk-*` tokens map onto private `--_*` variables (dark defaults under `prefers-color-scheme: dark`;
 * muted text and border are mixed from text and surface in both schemes, and text on the danger colour is the
 * surface colour, as the danger colour is made to read on the surface). `::part` exposes every meaningful node.
 * Colours meet WCAG AA in both schemes. Animations: `pulse` grows an element's own box-shadow ring out to
 * nothing (the ring stays, still, under `prefers-reduced-motion`, where all motion stops), `fade` fades in (the
 * floating panel) or, alternating, blinks. Written one rule per line, each line ending in a line continuation
 * (`\`) so no newline ships: this text goes into the bundle as is.
 */
export const styles = `\
:host{--_accent:var(--navtalk-accent,#2563eb);--_on-accent:var(--navtalk-on-accent,#fff);--_surface:var(--navtalk-surface,#fff);--_text:var(--navtalk-text,#111827);--_muted:var(--navtalk-muted-text,color-mix(in srgb,var(--_text) 70%,var(--_surface)));--_border:var(--navtalk-border,color-mix(in srgb,var(--_text) 20%,var(--_surface)));--_danger:var(--navtalk-danger,#b91c1c);--_radius:var(--navtalk-radius,16px);--_ls:var(--navtalk-launcher-size,56px);--_off:var(--navtalk-offset,20px);display:block;height:560px;font:15px/1.45 var(--navtalk-font,system-ui,sans-serif);color:var(--_text)}\
@media (prefers-color-scheme:dark){:host{--_accent:var(--navtalk-accent,#60a5fa);--_on-accent:var(--navtalk-on-accent,#0b1220);--_surface:var(--navtalk-surface,#111827);--_text:var(--navtalk-text,#f9fafb);--_danger:var(--navtalk-danger,#f87171)}}\
:host([mode=floating]){height:auto}\
:host([hidden]),[hidden]{display:none!important}\
*{box-sizing:border-box}\
.panel{display:flex;flex-flow:column;gap:10px;height:100%;padding:12px;overflow:hidden;background:var(--_surface);border:1px solid var(--_border);border-radius:var(--_radius)}\
.header{display:flex;align-items:center;gap:8px;min-height:32px}\
.title,.who{font-weight:600}\
.header button{margin-inline-start:auto}\
.stage{position:relative;display:grid;place-items:center;aspect-ratio:4/3;min-height:120px;max-height:48%;overflow:hidden;border-radius:calc(var(--_radius) - 4px);color:#fff}\
video,.poster,::slotted([slot=poster]){position:absolute;inset:0;width:100%;height:100%;object-fit:cover;object-position:50% 30%}\
.poster{display:grid;place-items:center;background:#1e293b}\
.poster svg{width:40%;height:80%;fill:#64748b;stroke:none}\
.waiting::after{content:'';position:absolute;width:30%;aspect-ratio:1;border-radius:50%}\
.status{position:absolute;top:8px;inset-inline-start:8px;display:flex;align-items:center;gap:6px;padding:2px 8px;border-radius:99px;background:#111827c7;font-size:13px}\
.status::before{content:'';width:8px;height:8px;border-radius:50%;background:#9ca3af}\
[data-state$=ing]::before{background:#fbbf24;animation:fade .5s infinite alternate}\
[data-state=listening]::before,[data-state=speaking]::before{background:#4ade80;animation:none}\
[data-state=error]::before{background:#f87171}\
.captions{position:absolute;inset:auto 8px 8px;display:flex;flex-flow:column;justify-content:flex-end;max-height:3.4em;overflow:hidden;padding:2px 10px;border-radius:8px;background:#111827c7;font-size:14px;text-align:center}\
.stop{position:absolute;top:8px;inset-inline-end:8px;width:32px;min-height:32px;padding:0;background:#111827c7;color:#fff}\
.stop svg{width:14px;height:14px;fill:currentColor}\
.error{display:flex;align-items:center;gap:8px;padding:8px;border:1px solid;border-radius:8px;color:var(--_danger);background:color-mix(in srgb,var(--_danger) 8%,var(--_surface));font-size:14px}\
.error p{flex:1;margin:0}\
.error small{display:block;color:var(--_text)}\
.transcript{flex:2 1 0;min-height:64px;padding:2px;overflow-y:auto}\
.transcript:has(+.empty){flex:none;min-height:0;padding:0}\
ol{display:flex;flex-flow:column;gap:10px;margin:0;padding:0;list-style:none}\
.empty{flex:2 1 0;display:grid;place-items:center;color:var(--_muted);text-align:center;font-size:14px}\
.message{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 6px;color:var(--_muted);font-size:12px}\
.message::after{content:'';order:1;flex-basis:100%}\
.text{order:2;max-width:85%;padding:7px 12px;border-radius:16px 16px 16px 4px;background:color-mix(in srgb,var(--_text) 7%,var(--_surface));color:var(--_text);font-size:15px;white-space:pre-wrap;overflow-wrap:anywhere}\
[data-role=user]{justify-content:flex-end}\
[data-role=user] .text{border-radius:16px 16px 4px;background:var(--_accent);color:var(--_on-accent)}\
[data-final=false] .text::after{content:'▍';animation:fade .5s infinite alternate}\
.controls{display:flex;flex-wrap:wrap;gap:8px}\
form{display:flex;flex:1 100%;gap:8px}\
input{flex:1;min-width:0;height:40px;padding:0 14px;border:1px solid var(--_border);border-radius:99px;background:var(--_surface);color:inherit;font:inherit}\
input::placeholder{color:var(--_muted)}\
button{position:relative;display:flex;flex:none;align-items:center;justify-content:center;gap:6px;min-height:40px;padding:0 16px;overflow:hidden;border:1px solid transparent;border-radius:99px;background:var(--_accent);color:var(--_on-accent);font:inherit;font-weight:600;cursor:pointer}\
[part=call-button]{flex:1}\
.end{background:var(--_danger);color:var(--_surface)}\
.end svg{transform:rotate(135deg)}\
.quiet,.mic{border-color:var(--_border);background:none;color:var(--_text)}\
.mic,[part=send-button]{width:40px;padding:0}\
.quiet{min-height:32px;padding:0 8px;border:0}\
.mic[aria-pressed=true]{border-color:var(--_danger);color:var(--_danger)}\
.level{position:absolute;inset:auto 0 0;height:calc(var(--_level,0)*100%);background:color-mix(in srgb,var(--_accent) 50%,transparent);transition:height .08s linear}\
svg{position:relative;flex:none;width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}\
:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}\
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
.launcher,:host([mode=floating]) .panel{position:fixed;right:var(--_off);bottom:var(--_off);z-index:var(--navtalk-z-index,2147483000);box-shadow:0 8px 32px #0004}\
.launcher{width:var(--_ls);height:var(--_ls);padding:0;border-radius:50%}\
.launcher svg{width:45%;height:45%}\
.waiting::after,.talking{box-shadow:0 0 0 4px color-mix(in srgb,var(--_accent) 50%,transparent);animation:pulse 1.3s ease-out infinite}\
@keyframes pulse{to{box-shadow:0 0 0 18px transparent}}\
:host([mode=floating]) .panel{bottom:calc(var(--_off)*1.5 + var(--_ls));width:min(var(--navtalk-panel-width,380px),100vw - 2*var(--_off));height:min(var(--navtalk-panel-height,600px),100vh - 2.5*var(--_off) - var(--_ls));animation:fade .16s ease-out}\
@keyframes fade{from{opacity:0}}\
:host([position=bottom-left]) :is(.launcher,.panel){right:auto;left:var(--_off)}\
@media (width<640px){:host([mode=floating]) .panel{inset:0;width:auto;height:auto;border:0;border-radius:0}:host([mode=floating]) .stage{flex-grow:1}:host([open]) .launcher{display:none}}\
@media (prefers-reduced-motion:reduce){*,::before,::after{animation:none!important;transition:none!important}}\
`;
