import type { CandidateInit, ClientMessage, HistoryItem, SdpInit, ToolDefinition } from './types.js';

/** What the page configures for the conversation: sent as `realtime.input_config` (v2) or `session.update` (legacy). */
export interface SessionOptions {
  voice?: string;
  prompt?: string;
  tools?: ToolDefinition[];
}

/** OpenAI function-tool shape that NavTalk forwards upstream; `properties` is an object, never an array. */
export const toWireTool = (tool: ToolDefinition) => ({
  type: 'function' as const,
  name: tool.name,
  description: tool.description ?? '',
  parameters: { type: 'object', properties: {}, ...tool.parameters },
});

/** `realtime.input_config`: `content` is a JSON *string* of voice, prompt and tools (PROTOCOL.md §4b). */
export function inputConfig(opts: SessionOptions): ClientMessage | undefined {
  const content: Record<string, unknown> = {};
  if (opts.voice) content.voice = opts.voice;
  if (opts.prompt) content.prompt = opts.prompt;
  if (opts.tools?.length) content.tools = opts.tools.map(toWireTool);
  if (!Object.keys(content).length) return undefined;
  return { type: 'realtime.input_config', data: { content: JSON.stringify(content) } };
}


export const userText = (text: string): ClientMessage => ({
  type: 'conversation.item.create',
  item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
});

/** Only the visitor's own words are replayed (PROTOCOL.md §3 step 3); the config has checked every `text` is a string. */
export const historyMessages = (history: readonly HistoryItem[]): ClientMessage[] =>
  history.filter((h) => h.role === 'user' && h.text.trim()).map((h) => userText(h.text));

export const functionOutput = (callId: string, output: string): ClientMessage => ({
  type: 'conversation.item.create',
  item: { type: 'function_call_output', call_id: callId, output },
});

export const responseCreate = (): ClientMessage => ({ type: 'response.create' });

export const inputImage = (dataUrl: string, reply: boolean): ClientMessage => ({
  type: 'realtime.input_image',
  data: { content: dataUrl, reply: reply ? 1 : 0 },
});

/** `webrtc.signaling.offer` or `.answer`, named after the description's type. */
export const signalingSdp = (sdp: SdpInit): ClientMessage => ({
  type: `webrtc.signaling.${sdp.type}`,
  data: { sdp: { type: sdp.type, sdp: sdp.sdp } },
});

export const signalingCandidate = (candidate: CandidateInit): ClientMessage => ({
  type: 'webrtc.signaling.iceCandidate',
  data: { candidate },
});

/** Stringifies any function result for `function_call_output` (the wire wants a string). */
export function outputToString(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value ?? null) ?? 'null';
  } catch {
    return String(value);
  }
}

/**
 * Legacy (v1) `session.update`: the OpenAI-style session the legacy API expects after `session.created`.
 * Server VAD does turn detection; audio is PCM16 both ways.
 */
export function legacySessionUpdate(opts: SessionOptions): ClientMessage {
  const session: Record<string, unknown> = {
    modalities: ['text', 'audio'],
    input_audio_format: 'pcm16',
    output_audio_format: 'pcm16',
    input_audio_transcription: { model: 'whisper-1' },
    turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
  };
  if (opts.voice) session.voice = opts.voice;
  if (opts.prompt) session.instructions = opts.prompt;
  if (opts.tools?.length) {
    session.tools = opts.tools.map(toWireTool);
    session.tool_choice = 'auto';
  }
  return { type: 'session.update', session };
}
