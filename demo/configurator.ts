import { wire } from './shared.js';

const form = document.querySelector<HTMLFormElement>('#form')!;
const preview = document.querySelector('navtalk-avatar')!;
const snippet = document.querySelector('#snippet')!;
const CDN = 'https://cdn.example/navtalk-avatar@0.1.0/navtalk-avatar.js';
const quote = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

await wire(preview);

/** Applies the form to the preview (connection settings apply to its next call) and writes the snippet. */
function apply() {
  const attrs: string[] = [];
  const style: string[] = [];
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('[name]')) {
    const name = el.name;
    if (name.startsWith('--')) {
      const value = el.value + (el.dataset.unit ?? '');
      const isDefault = el.value === (el as HTMLInputElement).defaultValue;
      preview.style.setProperty(name, isDefault ? null : value);
      if (!isDefault) style.push(`${name}: ${value}`);
      continue;
    }
    if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      preview.toggleAttribute(name, el.checked);
      if (el.checked) attrs.push(name);
      continue;
    }
    const value = el.value.trim();
    if (name === 'server-url' || name === 'avatar-id' || name === 'character') {
      // Snippet only: the preview talks to this demo's server and avatar.
      if (value) attrs.push(`${name}="${quote(value)}"`);
      continue;
    }
    if (value) preview.setAttribute(name, value);
    else preview.removeAttribute(name);
    if (value && !(name === 'mode' && value === 'inline') && !(name === 'position' && value === 'bottom-right')) attrs.push(`${name}="${quote(value)}"`);
  }
  const styleAttr = style.length ? `\n  style="${quote(style.join('; '))}"` : '';
  snippet.textContent = `<script type="module" src="${CDN}"></script>\n<navtalk-avatar\n  ${attrs.join('\n  ')}${styleAttr}\n></navtalk-avatar>`;
}

form.addEventListener('input', apply);
form.addEventListener('change', apply);
apply();

document.querySelector('#copy')!.addEventListener('click', async () => {
  const status = document.querySelector('#copied')!;
  try {
    await navigator.clipboard.writeText(snippet.textContent ?? '');
    status.textContent = 'Copied.';
  } catch {
    status.textContent = 'Select the snippet and copy it.';
  }
});
