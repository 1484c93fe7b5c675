// The fake card terminal lives in agent/src so the demo can run it too (fake-terminal-main.ts).
export { FAKE_CHARGE_BEHAVIOURS, type FakeChargeBehaviour, FakeTerminal, type FakeTransaction } from '../../src/terminal/fake-terminal.js';
