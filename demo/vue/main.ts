// Register <navtalk-avatar> before mounting: Vue sets a binding as a property only when the element has it.
import '../../src/define.js';
import { createApp, defineComponent, ref, shallowRef } from 'vue';
import type { GlobalComponents } from 'vue';
import type {
  CallState,
  ErrorDetail,
  FunctionHandler,
  NavtalkAvatarElement,
  StateDetail,
  ToolDefinition,
  TranscriptDetail,
} from '../../src/index.js';
import type { NavtalkAvatarVueEmits, NavtalkAvatarVueProps } from './navtalk-avatar-vue.js';
import { getWeather, WEATHER_TOOL } from '../weather.js';

// `?server=wss://...` points the example at another server; the default is `npm start`'s simulated NavTalk server.
const params = new URLSearchParams(location.search);

/** What the template binds, checked by tsc against the element's own property types. */
const avatarProps = {
  serverUrl: params.get('server') ?? 'ws://127.0.0.1:5173/wss/v2/realtime-chat',
  avatarId: params.get('avatar') ?? 'sim-avatar',
  voice: 'cedar',
  prompt: 'You are a friendly guide. Use get_weather for weather questions.',
} satisfies NavtalkAvatarVueProps;

const tools: ToolDefinition[] = [WEATHER_TOOL];

/** The page's answers to the avatar's function calls: the returned value (or a thrown error) goes back to it. */
const functionHandlers: Record<string, FunctionHandler> = {
  get_weather: ({ city }) => getWeather(city),
};

interface Line {
  id: string;
  role: TranscriptDetail['role'];
  text: string;
  final: boolean;
}

const App = defineComponent({
  name: 'NavtalkVueExample',
  setup() {
    const avatar = shallowRef<NavtalkAvatarElement | null>(null);
    const state = ref<CallState>('idle');
    const lines = ref<Line[]>([]);
    const error = ref<ErrorDetail | null>(null);
    const textOnly = ref(true);

    // Typed handlers; the `satisfies` checks them against the event types in navtalk-avatar-vue.d.ts.
    const handlers = {
      onState: (event: CustomEvent<StateDetail>) => {
        state.value = event.detail.state;
      },
      onTranscript: (event: CustomEvent<TranscriptDetail>) => {
        const { id, role, text, final } = event.detail;
        const line = lines.value.find((l) => l.id === id);
        if (line) Object.assign(line, { text, final });
        else lines.value.push({ id, role, text, final });
      },
      onError: (event: CustomEvent<ErrorDetail>) => {
        error.value = event.detail;
      },
      onConnected: () => {
        error.value = null;
      },
    } satisfies {
      onState: NavtalkAvatarVueEmits['navtalk-state'];
      onTranscript: NavtalkAvatarVueEmits['navtalk-transcript'];
      onError: NavtalkAvatarVueEmits['navtalk-error'];
      onConnected: NavtalkAvatarVueEmits['navtalk-connected'];
    };

    // Methods through the template ref.
    const ask = () => avatar.value?.sendText("What's the weather in Paris?");
    const end = () => void avatar.value?.stop();

    return { avatar, avatarProps, tools, functionHandlers, state, lines, error, textOnly, ask, end, ...handlers };
  },
  // Attributes (kebab-case strings) and properties (camelCase: objects, functions, booleans) side by side.
  template: `
    <main>
      <navtalk-avatar
        ref="avatar"
        :server-url="avatarProps.serverUrl"
        :avatar-id="avatarProps.avatarId"
        :voice="avatarProps.voice"
        :prompt="avatarProps.prompt"
        :textOnly="textOnly"
        :tools="tools"
        :functionHandlers="functionHandlers"
        @navtalk-state="onState"
        @navtalk-transcript="onTranscript"
        @navtalk-error="onError"
        @navtalk-connected="onConnected"
      ></navtalk-avatar>
      <section aria-labelledby="log-title">
        <h1 id="log-title">Transcript</h1>
        <p>
          State: <output>{{ state }}</output>
          <label><input type="checkbox" v-model="textOnly" /> text only (applies to the next call)</label>
        </p>
        <p>
          <button type="button" @click="ask">Ask about the weather in Paris</button>
          <button type="button" @click="end">End call</button>
        </p>
        <p v-if="error" role="alert">{{ error.code }}: {{ error.message }}</p>
        <ol>
          <li v-for="line in lines" :key="line.id" :data-final="String(line.final)">
            <strong>{{ line.role === 'user' ? 'You' : 'Avatar' }}:</strong> {{ line.text }}
          </li>
        </ol>
      </section>
    </main>
  `,
});

// The template is compiled in the browser (vite.config.ts aliases 'vue' to its build with the compiler), so the
// custom element is declared to the runtime compiler here; with SFCs it goes in @vitejs/plugin-vue's
// `template.compilerOptions` instead.
const app = createApp(App);
app.config.compilerOptions.isCustomElement = (tag) => tag === 'navtalk-avatar';
app.mount('#app');

// Compile-time check that the GlobalComponents entry is in place (what template checkers look up).
export type NavtalkAvatarTemplateProps = InstanceType<GlobalComponents['navtalk-avatar']>['$props'];
