import { useCallback, useRef, useState } from 'react';
import type {
  CallState,
  ErrorDetail,
  FunctionCallDetail,
  NavtalkAvatarElement,
  ToolDefinition,
  TranscriptDetail,
} from '../../src/index.js';
import { getWeather, WEATHER_TOOL } from '../weather.js';

// `?server=wss://...` points the example at another server; the default is `npm start`'s simulated NavTalk server.
const params = new URLSearchParams(location.search);
const SERVER_URL = params.get('server') ?? 'ws://127.0.0.1:5173/wss/v2/realtime-chat';
const AVATAR_ID = params.get('avatar') ?? 'sim-avatar';

// Module-level constants: React compares props by identity, so these are set on the element once.
const TOOLS: ToolDefinition[] = [WEATHER_TOOL];

interface Line {
  id: string;
  role: TranscriptDetail['role'];
  text: string;
  final: boolean;
}

export function App() {
  const avatar = useRef<NavtalkAvatarElement>(null);
  const [state, setState] = useState<CallState>('idle');
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<ErrorDetail | null>(null);
  const [textOnly, setTextOnly] = useState(true);

  // Typed event listeners: React 19 adds `on<event-name>` props of a custom element with addEventListener.
  const onTranscript = useCallback((event: CustomEvent<TranscriptDetail>) => {
    const { id, role, text, final } = event.detail;
    setLines((prev) => {
      const i = prev.findIndex((line) => line.id === id);
      const line: Line = { id, role, text, final };
      return i < 0 ? [...prev, line] : prev.map((old, j) => (j === i ? line : old));
    });
  }, []);

  const onFunctionCall = useCallback((event: CustomEvent<FunctionCallDetail>) => {
    const { name, arguments: args, respond } = event.detail;
    if (name !== 'get_weather') return; // not ours: the element times it out (functionTimeoutMs) with an error
    void getWeather(args.city).then(
      (weather) => respond(weather),
      (err: unknown) => respond({ error: String(err) }),
    );
  }, []);

  return (
    <main>
      <navtalk-avatar
        ref={avatar}
        // Properties (camelCase, typed from NavtalkAvatarElement): React 19 assigns them to the element.
        serverUrl={SERVER_URL}
        avatarId={AVATAR_ID}
        voice="cedar"
        prompt="You are a friendly guide. Use get_weather for weather questions."
        textOnly={textOnly}
        tools={TOOLS}
        // Events: exact, case-sensitive event names after `on`.
        onnavtalk-state={(e) => setState(e.detail.state)}
        onnavtalk-transcript={onTranscript}
        onnavtalk-function-call={onFunctionCall}
        onnavtalk-error={(e) => setError(e.detail)}
        onnavtalk-connected={() => setError(null)}
      />
      <section aria-labelledby="log-title">
        <h1 id="log-title">Transcript</h1>
        <p>
          State: <output>{state}</output>{' '}
          <label>
            <input type="checkbox" checked={textOnly} onChange={(e) => setTextOnly(e.target.checked)} /> text only (applies
            to the next call)
          </label>
        </p>
        <p>
          {/* Methods through the ref. */}
          <button type="button" onClick={() => avatar.current?.sendText("What's the weather in Paris?")}>
            Ask about the weather in Paris
          </button>{' '}
          <button type="button" onClick={() => void avatar.current?.stop()}>
            End call
          </button>
        </p>
        {error && (
          <p role="alert">
            {error.code}: {error.message}
          </p>
        )}
        <ol>
          {lines.map((line) => (
            <li key={line.id} data-final={String(line.final)}>
              <strong>{line.role === 'user' ? 'You' : 'Avatar'}:</strong> {line.text}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
