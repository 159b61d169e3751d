import '../src/define.js';

interface DemoConfig {
  serverUrl: string;
  simulated: boolean;
  avatarId?: string;
  character?: string;
}

const avatar = document.querySelector('navtalk-avatar')!;
const log = document.querySelector('#log')!;

function line(text: string, cls = '') {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (cls) li.className = cls;
  log.append(li);
  li.scrollIntoView({ block: 'nearest' });
}

const config: DemoConfig = await fetch('/__demo-config').then((r) => r.json());
document.querySelector('#mode-note')!.textContent = config.simulated
  ? 'Talking to the built-in simulated NavTalk server (no license needed).'
  : 'Talking to the real NavTalk service through the local relay (the license stays on the server).';
avatar.serverUrl = config.serverUrl;
if (config.avatarId) avatar.avatarId = config.avatarId;
if (config.character) avatar.character = config.character;

avatar.tools = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] },
  },
];
// The page answers the avatar's function calls.
avatar.functionHandlers = {
  get_weather: async ({ city }) => ({ city, tempC: 12 + (String(city).length % 15), sky: 'partly cloudy' }),
};

for (const type of ['navtalk-state', 'navtalk-connected', 'navtalk-speech', 'navtalk-disconnected', 'navtalk-warning'] as const) {
  avatar.addEventListener(type, (e) => line(`${type} ${JSON.stringify(e.detail)}`));
}
avatar.addEventListener('navtalk-transcript', (e) => {
  if (e.detail.final) line(`navtalk-transcript ${e.detail.role}: ${e.detail.text}`);
});
avatar.addEventListener('navtalk-function-call', (e) => line(`navtalk-function-call ${e.detail.name} ${JSON.stringify(e.detail.arguments)}`));
avatar.addEventListener('navtalk-error', (e) => line(`navtalk-error ${e.detail.code}: ${e.detail.message}`, 'error'));
