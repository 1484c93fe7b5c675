// The agent reads exactly what the firmware prints: its numbers (Arduino's Print::print(float, 1))
// are readings, its `ERR ...` answers are "no reading", and everything else is garbage.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MAX_PLAUSIBLE_CM, parseSensorLine } from '../src/distance-line.js';

const sketch = fs.readFileSync(path.resolve(import.meta.dirname, '../../firmware/distance-sensor/distance-sensor.ino'), 'utf8');

/** Arduino's Print::printFloat(value, 1), digit for digit: round half up at the first decimal, then truncate */
function arduinoPrintOneDecimal(value: number): string {
  const rounded = value + 0.05;
  const whole = Math.floor(rounded);
  const tenth = Math.floor((rounded - whole) * 10);
  return `${whole}.${tenth}`;
}

test('the firmware prints centimetres with one decimal, which the agent reads as the same number', () => {
  assert.match(sketch, /Serial\.println\(centimetres, 1\)/, 'the sketch prints the distance with one decimal');
  // every echo time the firmware can time (pulseIn's timeout), through its own conversion
  const usPerCm = Number(sketch.match(/US_PER_CM = ([\d.]+)f/)![1]);
  const timeoutUs = Number(sketch.match(/ECHO_TIMEOUT_US = (\d+)UL/)![1]);
  for (let echoUs = 100; echoUs <= timeoutUs; echoUs += 7) {
    const printed = arduinoPrintOneDecimal(echoUs / usPerCm);
    const line = parseSensorLine(`${printed}\r\n`);
    assert.equal(line.kind, 'reading', `${printed} (an echo of ${echoUs} us) is a reading`);
    assert.equal(line.kind === 'reading' && line.centimetres, Number(printed));
  }
  assert.ok(timeoutUs / usPerCm <= MAX_PLAUSIBLE_CM, 'the farthest distance the firmware reports is plausible to the agent');
});

test("every ERR answer the firmware can give is 'no reading', not garbage", () => {
  const errors = [...sketch.matchAll(/F\("(ERR [^"]*)"\)/g)].map((match) => match[1]!);
  assert.deepEqual(errors.sort(), ['ERR timeout', 'ERR too long', 'ERR unknown']);
  for (const answer of errors) {
    assert.equal(parseSensorLine(answer).kind, 'no-reading', answer);
  }
  assert.deepEqual(parseSensorLine('ERR timeout'), { kind: 'no-reading', reason: 'timeout' });
});

test('garbage, NaN, negative, zero and absurd lines are not readings', () => {
  const cases: Array<[string, string]> = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['NaN', 'not a number'],
    ['nan', 'not a number'],
    ['inf', 'not a number'],
    ['Infinity', 'not a number'],
    ['1e3', 'not a number'],
    ['0x1F', 'not a number'],
    ['12abc', 'not a number'],
    ['12.3.4', 'not a number'],
    ['\u0000\u00ff\u00fe', 'not a number'],
    ['-5.0', 'not above zero'],
    ['0.0', 'not above zero'],
    ['99999.0', 'too far'],
    [`${MAX_PLAUSIBLE_CM + 0.1}`, 'too far'],
  ];
  for (const [line, reason] of cases) {
    assert.deepEqual(parseSensorLine(line), { kind: 'garbage', reason }, JSON.stringify(line));
  }
  assert.deepEqual(parseSensorLine('2.1'), { kind: 'reading', centimetres: 2.1 });
  assert.deepEqual(parseSensorLine('80'), { kind: 'reading', centimetres: 80 });
  assert.deepEqual(parseSensorLine(`${MAX_PLAUSIBLE_CM}.0`), { kind: 'reading', centimetres: MAX_PLAUSIBLE_CM });
});
