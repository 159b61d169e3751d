import type { CallState } from '../session/state.js';

/** Every visible and aria string of the widget. A page overrides any of them through the `strings` property. */
export interface Strings {
  title: string;
  start: string;
  end: string;
  mute: string;
  unmute: string;
  send: string;
  inputPlaceholder: string;
  inputLabel: string;
  transcriptLabel: string;
  you: string;
  avatar: string;
  openLauncher: string;
  closePanel: string;
  retry: string;
  dismiss: string;
  turnOnSound: string;
  autoplayBlocked: string;
  states: Record<CallState, string>;
}

const en: Strings = {
  title: 'Digital human',
  start: 'Start call',
  end: 'End call',
  mute: 'Mute microphone',
  unmute: 'Unmute microphone',
  send: 'Send',
  inputPlaceholder: 'Type a message…',
  inputLabel: 'Message',
  transcriptLabel: 'Conversation',
  you: 'You',
  avatar: 'Avatar',
  openLauncher: 'Open the assistant',
  closePanel: 'Close',
  retry: 'Try again',
  dismiss: 'Dismiss',
  turnOnSound: 'Tap to turn on sound',
  autoplayBlocked: 'The browser blocked sound until you interact with the page.',
  states: {
    idle: 'Ready',
    connecting: 'Connecting…',
    connected: 'Connected',
    listening: 'Listening',
    thinking: 'Thinking…',
    speaking: 'Speaking',
    reconnecting: 'Reconnecting…',
    closed: 'Call ended',
    error: 'Something went wrong',
  },
};

const zhCN: Strings = {
  title: '数字人',
  start: '开始通话',
  end: '结束通话',
  mute: '关闭麦克风',
  unmute: '打开麦克风',
  send: '发送',
  inputPlaceholder: '输入消息…',
  inputLabel: '消息',
  transcriptLabel: '对话',
  you: '你',
  avatar: '数字人',
  openLauncher: '打开助手',
  closePanel: '关闭',
  retry: '重试',
  dismiss: '关闭提示',
  turnOnSound: '点击开启声音',
  autoplayBlocked: '浏览器在您与页面互动之前禁止播放声音。',
  states: {
    idle: '就绪',
    connecting: '正在连接…',
    connected: '已连接',
    listening: '正在聆听',
    thinking: '正在思考…',
    speaking: '正在说话',
    reconnecting: '正在重新连接…',
    closed: '通话已结束',
    error: '出错了',
  },
};

const TABLES: Record<string, Strings> = { en, 'zh-cn': zhCN, zh: zhCN };

/** The table for a BCP 47 tag (`zh`, `zh-CN`, `zh-Hans` → Chinese; anything else → English), with overrides. */
export function stringsFor(lang: string | undefined, overrides?: Partial<Strings>): Strings {
  const tag = (lang ?? '').toLowerCase();
  const base = TABLES[tag] ?? TABLES[tag.split('-')[0] ?? ''] ?? en;
  if (!overrides) return base;
  return { ...base, ...overrides, states: { ...base.states, ...(overrides.states ?? {}) } };
}
