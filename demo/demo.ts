import { wire } from './shared.js';

const avatar = document.querySelector('navtalk-avatar')!;
const log = document.querySelector('#log')!;

function line(text: string, cls = '') {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (cls) li.className = cls;
  log.append(li);
  li.scrollIntoView({ block: 'nearest' });
}

const config = await wire(avatar);
document.querySelector('#mode-note')!.textContent = config.simulated
  ? 'Talking to the built-in simulated NavTalk server (no license needed).'
  : 'Talking to the real NavTalk service through the local relay (the license stays on the server).';

for (const type of ['navtalk-state', 'navtalk-connected', 'navtalk-speech', 'navtalk-disconnected', 'navtalk-warning'] as const) {
  avatar.addEventListener(type, (e) => line(`${type} ${JSON.stringify(e.detail)}`));
}
avatar.addEventListener('navtalk-transcript', (e) => {
  if (e.detail.final) line(`navtalk-transcript ${e.detail.role}: ${e.detail.text}`);
});
avatar.addEventListener('navtalk-function-call', (e) => line(`navtalk-function-call ${e.detail.name} ${JSON.stringify(e.detail.arguments)}`));
avatar.addEventListener('navtalk-error', (e) => line(`navtalk-error ${e.detail.code}: ${e.detail.message}`, 'error'));
