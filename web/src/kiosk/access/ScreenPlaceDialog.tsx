// The POS's "화면 위치 설정" for one kiosk: the screen's height and the height of its bottom edge
// above the floor, in cm, from which the kiosk's low-position layout takes its band
// (docs/accessibility.md#reach). Both or neither; the server refuses a screen mounted too high.
import { useState } from 'react';
import { api, type Kiosk } from '../../api/client';
import { DialogForm } from '../../components/DialogForm';
import { TextField } from '../../components/Field';
import { useSubmit } from '../../components/useSubmit';
import { useI18n } from '../../i18n';

/** operable parts no higher than this above the floor (server: modules/kiosks/reach.ts) */
const REACH_LIMIT_CM = 120;

/** "화면 아래 42 %에 손이 닿아요", or "재지 않음" */
export function ScreenPlace({ kiosk }: { kiosk: Kiosk }) {
  const { t } = useI18n();
  const { screenHeightCm: height, screenBottomCm: bottom } = kiosk;
  if (height === null || bottom === null) return <>{t.access.pos.notSet}</>;
  const percent = Math.round(Math.min(1, Math.max(0, (REACH_LIMIT_CM - bottom) / height)) * 100);
  return <>{t.access.pos.reach(height, bottom, percent)}</>;
}

const whole = (value: string, min: number, max: number) => (/^\d{1,3}$/.test(value.trim()) && +value >= min && +value <= max ? +value : undefined);

export function ScreenPlaceDialog({ storeId, kiosk, onClose, onSaved }: { storeId: string; kiosk: Kiosk; onClose(): void; onSaved(kiosk: Kiosk): void }) {
  const { t } = useI18n();
  const texts = t.access.pos;
  const [height, setHeight] = useState(kiosk.screenHeightCm === null ? '' : String(kiosk.screenHeightCm));
  const [bottom, setBottom] = useState(kiosk.screenBottomCm === null ? '' : String(kiosk.screenBottomCm));
  const submit = useSubmit();

  const save = (clear: boolean) => {
    const heightCm = clear ? null : whole(height, 10, 300);
    const bottomCm = clear ? null : whole(bottom, 0, 250);
    if (heightCm === undefined || bottomCm === undefined) {
      submit.setError(texts.invalid);
      return;
    }
    void submit.run(async () => onSaved(await api.setKioskScreen(storeId, kiosk.id, { screenHeightCm: heightCm, screenBottomCm: bottomCm })), {
      errors: texts.errors,
    });
  };

  return (
    <DialogForm
      title={texts.title(kiosk.name)}
      intro={<p className="hint">{texts.intro}</p>}
      onClose={onClose}
      onSubmit={() => save(false)}
      busy={submit.busy}
      error={submit.error}
      submitLabel={texts.save}
    >
      <TextField
        label={texts.height}
        hint={texts.heightHint}
        inputMode="numeric"
        autoComplete="off"
        value={height}
        onChange={(event) => setHeight(event.target.value)}
      />
      <TextField
        label={texts.bottom}
        hint={texts.bottomHint}
        inputMode="numeric"
        autoComplete="off"
        value={bottom}
        onChange={(event) => setBottom(event.target.value)}
      />
      {kiosk.screenHeightCm !== null ? (
        <button type="button" className="button button-secondary" disabled={submit.busy} onClick={() => save(true)}>
          {texts.clear}
        </button>
      ) : null}
    </DialogForm>
  );
}
