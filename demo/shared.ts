// What every demo page shares: where the (simulated) NavTalk server is, and the page's answer to get_weather.
import '../src/define.js';
import type { NavtalkAvatarElement } from '../src/navtalk-avatar.js';
import { getWeather, WEATHER_TOOL } from './weather.js';

export interface DemoConfig {
  serverUrl: string;
  simulated: boolean;
  avatarId?: string;
  character?: string;
}

export const demoConfig: Promise<DemoConfig> = fetch('/__demo-config').then((r) => r.json());

/** Points an avatar at the demo's server and lets this page answer its get_weather calls. */
export async function wire(avatar: NavtalkAvatarElement): Promise<DemoConfig> {
  const config = await demoConfig;
  if (!avatar.hasAttribute('server-url')) avatar.serverUrl = config.serverUrl;
  if (config.avatarId && !avatar.hasAttribute('avatar-id')) avatar.avatarId = config.avatarId;
  if (config.character && !avatar.hasAttribute('character')) avatar.character = config.character;
  avatar.tools = [WEATHER_TOOL];
  avatar.functionHandlers = { get_weather: ({ city }) => getWeather(city) };
  return config;
}
