// Chromium launched without the fake media UI: the permission request is really denied (NotAllowedError).
import { micFailureSuite } from './mic-cases.js';

describe('microphone permission denied', () => micFailureSuite('mic-denied'));
