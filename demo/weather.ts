// The demos' function tool: its declaration for the avatar and the page's answer (a real page would ask a
// weather service). No side effects, so every demo (plain, React, Vue) can import it.
import type { ToolDefinition } from '../src/index.js';

export const WEATHER_TOOL: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] },
};

export interface Weather {
  city: string;
  tempC: number;
  sky: string;
}

export async function getWeather(city: unknown): Promise<Weather> {
  const name = String(city ?? '');
  return { city: name, tempC: 12 + (name.length % 15), sky: 'partly cloudy' };
}
