// The kiosk list's line on a kiosk's receipt printer and card terminal, as its device agent last
// reported them (정상 / 용지 부족 / 용지 없음 / 오프라인 / 연결 안 됨); a printer that cannot print
// gets a warning box of its own, since unpaid tickets and receipts will not come out.
import type { Kiosk } from '../../api/client';
import { useI18n } from '../../i18n';
import './payments.css';

type Peripherals = NonNullable<Kiosk['peripherals']>;

const bad = new Set(['paper_out', 'offline']);

function toneOf(state: string): string | undefined {
  return bad.has(state) ? 'device-state-bad' : state === 'paper_low' ? 'device-state-warn' : undefined;
}

/** <dl> entries for the kiosk's printer and card terminal */
export function KioskPeripheralFacts({ peripherals }: { peripherals: Peripherals }) {
  const { t } = useI18n();
  const p = t.posPayments;
  return (
    <>
      <div>
        <dt>{p.printer}</dt>
        <dd className={toneOf(peripherals.printer)}>{p.deviceStates[peripherals.printer] ?? peripherals.printer}</dd>
      </div>
      <div>
        <dt>{p.cardTerminal}</dt>
        <dd className={toneOf(peripherals.cardTerminal)}>{p.deviceStates[peripherals.cardTerminal] ?? peripherals.cardTerminal}</dd>
      </div>
    </>
  );
}

/** a warning when the kiosk's printer is out of paper or offline; nothing otherwise */
export function PrinterWarning({ name, peripherals }: { name: string; peripherals: Peripherals }) {
  const { t } = useI18n();
  const p = t.posPayments;
  if (!bad.has(peripherals.printer)) return null;
  return (
    <div className="warning-box">
      <p className="warning-title">
        <span aria-hidden="true">⚠ </span>
        {p.printerProblem(name, p.deviceStates[peripherals.printer] ?? peripherals.printer)}
      </p>
    </div>
  );
}
