// Chromium launched without fake devices on a machine with no microphone: NotFoundError.
import { micFailureSuite } from './mic-cases.js';

describe('no microphone', () => micFailureSuite('mic-unavailable'));
