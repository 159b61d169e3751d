/** Side-effect-free entry: the element class, the session and their types. Import `./define` to register the tag. */
export { NavtalkAvatarElement } from './navtalk-avatar.js';
export type { NavtalkAvatarProperties } from './navtalk-avatar.js';
export { NavtalkSession } from './session/navtalk-session.js';
export type { SessionDeps, SessionInternalEventMap } from './session/navtalk-session.js';
export { buildSessionConfig, sessionUrl, DEFAULT_SERVER_URL } from './config.js';
export type { SessionConfig, ConfigInput, ReconnectPolicy } from './config.js';
export { emit } from './events.js';
export type * from './events.js';
export type { CallState } from './session/state.js';
export type { ErrorCode, ToolDefinition, HistoryItem, IceServer, ServerEvent } from './protocol/types.js';
export { parseFrame, normalizeMessage } from './protocol/normalize.js';
export type { FunctionHandler } from './config.js';
export type { Strings } from './i18n/strings.js';
