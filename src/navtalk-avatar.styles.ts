import { css } from 'lit';

/** Public `--navtalk-*` tokens map onto private `--_*` variables; parts expose every meaningful node. */
export const styles = css`
  :host {
    --_accent: var(--navtalk-accent, #2563eb);
    --_on-accent: var(--navtalk-on-accent, #ffffff);
    --_surface: var(--navtalk-surface, #ffffff);
    --_text: var(--navtalk-text, #111827);
    --_muted-text: var(--navtalk-muted-text, #4b5563);
    --_border: var(--navtalk-border, #d1d5db);
    --_danger: var(--navtalk-danger, #b91c1c);
    --_radius: var(--navtalk-radius, 12px);
    --_font: var(--navtalk-font, system-ui, sans-serif);
    --_launcher-size: var(--navtalk-launcher-size, 56px);
    --_panel-width: var(--navtalk-panel-width, 360px);
    --_z: var(--navtalk-z-index, 2147483000);
    display: block;
    font-family: var(--_font);
    color: var(--_text);
  }
  :host([hidden]) {
    display: none;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_surface: var(--navtalk-surface, #111827);
      --_text: var(--navtalk-text, #f9fafb);
      --_muted-text: var(--navtalk-muted-text, #d1d5db);
      --_border: var(--navtalk-border, #374151);
      --_danger: var(--navtalk-danger, #fca5a5);
      --_accent: var(--navtalk-accent, #3b82f6);
    }
  }
  .panel {
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 12px;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    height: 100%;
  }
  :host([mode='floating']) .panel {
    position: fixed;
    bottom: calc(var(--_launcher-size) + 32px);
    right: 16px;
    width: var(--_panel-width);
    max-height: min(640px, calc(100vh - var(--_launcher-size) - 48px));
    z-index: var(--_z);
    box-shadow: 0 12px 32px rgb(0 0 0 / 0.2);
  }
  :host([mode='floating'][position='bottom-left']) .panel {
    right: auto;
    left: 16px;
  }
  .launcher {
    position: fixed;
    bottom: 16px;
    right: 16px;
    width: var(--_launcher-size);
    height: var(--_launcher-size);
    border-radius: 50%;
    border: none;
    background: var(--_accent);
    color: var(--_on-accent);
    z-index: var(--_z);
    cursor: pointer;
    font-size: 24px;
  }
  :host([position='bottom-left']) .launcher {
    right: auto;
    left: 16px;
  }
  video {
    width: 100%;
    aspect-ratio: 3 / 4;
    max-height: 40vh;
    object-fit: cover;
    background: #1f2937;
    border-radius: calc(var(--_radius) - 4px);
  }
  .status {
    font-size: 0.875rem;
    color: var(--_muted-text);
  }
  .error {
    color: var(--_danger);
    font-size: 0.875rem;
  }
  .transcript {
    list-style: none;
    margin: 0;
    padding: 0;
    overflow-y: auto;
    flex: 1 1 auto;
    min-height: 3em;
    max-height: 30vh;
  }
  .message {
    margin: 4px 0;
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }
  .message[data-role='user'] {
    text-align: end;
  }
  .who {
    font-weight: 600;
    margin-inline-end: 0.5em;
  }
  .controls,
  form {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  form {
    flex: 1 1 12em;
  }
  input {
    flex: 1 1 auto;
    min-width: 0;
    font: inherit;
    padding: 6px 8px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_surface);
    color: var(--_text);
  }
  button {
    font: inherit;
    padding: 6px 12px;
    border-radius: 6px;
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_text);
    border-color: var(--_border);
  }
  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
