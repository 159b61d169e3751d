import type { ErrorCode } from '../protocol/types.js';
import type { CallState } from '../session/state.js';

/**
 * Every visible and aria string of the widget, in one table per language. A page overrides any of them through
 * the `strings` property (or `strings` in a child `<script type="application/json">`); `states` and `errors`
 * merge key by key.
 */
export interface Strings {
  /** The panel's accessible name and the default header text. */
  title: string;
  start: string;
  end: string;
  /** The mute toggle's name (with `aria-pressed`); `unmute` is its tooltip while muted. */
  mute: string;
  unmute: string;
  send: string;
  inputPlaceholder: string;
  inputLabel: string;
  transcriptLabel: string;
  /** Shown in the empty conversation (the `empty` slot replaces it). */
  empty: string;
  you: string;
  avatar: string;
  openLauncher: string;
  closePanel: string;
  retry: string;
  dismiss: string;
  turnOnSound: string;
  /** The control that stops the avatar's current reply (`interrupt()`), shown while it speaks. */
  stopReply: string;
  autoplayBlocked: string;
  states: Record<CallState, string>;
  /**
   * What the error banner says for each error code (the `config` banner adds the developer's detail; `protocol` and
   * `function-timeout` are diagnostics for the page and show no banner).
   */
  errors: Record<ErrorCode, string>;
}

/** The banner's words per error code, from the few things a visitor needs to know. */
function errors(unavailable: string, busy: string, failed: string, mic: string, network: string, video: string, sound: string, config: string): Record<ErrorCode, string> {
  return {
    'invalid-license': unavailable,
    'insufficient-balance': unavailable,
    'connection-limit': busy,
    'gpu-full': busy,
    'backend-error': failed,
    'session-closed': failed,
    'mic-denied': mic,
    'mic-unavailable': mic,
    network,
    protocol: failed,
    'webrtc-failed': video,
    'autoplay-blocked': sound,
    config,
    'function-timeout': failed,
  };
}

/** Said twice per table: as `autoplayBlocked` and as the `autoplay-blocked` error's banner. */
const EN_SOUND_BLOCKED = 'The browser blocked sound.';
const ZH_SOUND_BLOCKED = '浏览器阻止了声音。';

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
  empty: 'Start a call or type a message.',
  you: 'You',
  avatar: 'Avatar',
  openLauncher: 'Open the assistant',
  closePanel: 'Close',
  retry: 'Try again',
  dismiss: 'Dismiss',
  turnOnSound: 'Tap to turn on sound',
  stopReply: 'Stop the reply',
  autoplayBlocked: EN_SOUND_BLOCKED,
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
  errors: errors(
    'The assistant is not available.',
    'The assistant is busy. Please try again soon.',
    'Something went wrong. Please try again.',
    'The microphone is not available. You can still type.',
    'The connection was lost.',
    'The video is not available. Voice and text still work.',
    EN_SOUND_BLOCKED,
    'The assistant is not set up correctly.',
  ),
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
  empty: '开始通话或输入消息。',
  you: '你',
  avatar: '数字人',
  openLauncher: '打开助手',
  closePanel: '关闭',
  retry: '重试',
  dismiss: '关闭提示',
  turnOnSound: '点击开启声音',
  stopReply: '停止回答',
  autoplayBlocked: ZH_SOUND_BLOCKED,
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
  errors: errors(
    '助手不可用。',
    '助手正忙，请稍后再试。',
    '出错了，请重试。',
    '麦克风不可用，仍可打字交流。',
    '连接已断开。',
    '视频不可用，语音和文字仍可用。',
    ZH_SOUND_BLOCKED,
    '助手配置有误。',
  ),
};

/** The table for a BCP 47 tag (`zh`, `zh-CN`, `zh-Hans` → Chinese; anything else → English), with overrides. */
export function stringsFor(lang: string | undefined, overrides?: Partial<Strings>): Strings {
  const base = /^zh(-|$)/i.test(lang ?? '') ? zhCN : en;
  return { ...base, ...overrides, states: { ...base.states, ...overrides?.states }, errors: { ...base.errors, ...overrides?.errors } };
}
