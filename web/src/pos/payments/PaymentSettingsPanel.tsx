// The 결제 tab's settings: the business details printed on every receipt (상호, 사업자등록번호, address,
// phone), whether the kitchen starts orders not yet paid at the counter, and how long such an
// order waits for its payment before it is cancelled and its stock comes back.
import { useCallback, useEffect, useId, useState } from 'react';
import { api, ApiError, type PaymentSettings } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { CheckField, NumberField, TextField } from '../../components/Field';
import { LoadError, Loading } from '../../components/Page';
import { useFormErrors } from '../../components/useSubmit';
import { useI18n } from '../../i18n';
import './payments.css';

/** 1234567890 -> 123-45-67890 (as far as the digits go) */
export function registrationNumberShown(value: string): string {
  const digits = value.replace(/\D/g, '').slice(0, 10);
  if (digits.length <= 3) return digits;
  if (digits.length <= 5) return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

interface Form {
  name: string;
  registrationNumber: string;
  address: string;
  phone: string;
  kitchenStartsUnpaid: boolean;
  expiry: string;
}

function formOf(settings: PaymentSettings): Form {
  return {
    name: settings.business.name ?? '',
    registrationNumber: registrationNumberShown(settings.business.registrationNumber ?? ''),
    address: settings.business.address ?? '',
    phone: settings.business.phone ?? '',
    kitchenStartsUnpaid: settings.kitchenStartsUnpaid,
    expiry: String(settings.unpaidExpiryMinutes),
  };
}

export function PaymentSettingsPanel({ storeId, onNotice }: { storeId: string; onNotice(text: string | undefined): void }) {
  const { t } = useI18n();
  const p = t.posPayments;
  const headingId = useId();
  const [form, setForm] = useState<Form>();
  const [loadError, setLoadError] = useState<unknown>();
  const { busy, error, run, formRef, fieldErrors, setFieldErrors, fail } = useFormErrors();

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      setForm(formOf(await api.paymentSettings(storeId)));
    } catch (caught) {
      setLoadError(caught);
    }
  }, [storeId]);

  useEffect(() => {
    void load();
  }, [load]);

  const change = (patch: Partial<Form>) => setForm((current) => current && { ...current, ...patch });

  const save = () => {
    if (!form) return;
    const problems: Record<string, string> = {};
    const digits = form.registrationNumber.replace(/\D/g, '');
    if (digits.length !== 0 && digits.length !== 10) problems.registrationNumber = p.registrationNumberInvalid;
    const expiry = /^\d{1,4}$/.test(form.expiry.trim()) ? Number(form.expiry.trim()) : Number.NaN;
    if (!(expiry >= 5 && expiry <= 1440)) problems.expiry = p.unpaidExpiryInvalid;
    if (Object.keys(problems).length > 0) {
      fail(problems);
      return;
    }
    setFieldErrors({});
    onNotice(undefined);
    const text = (value: string) => (value.trim() ? value.trim() : null);
    void run(
      async () => {
        const saved = await api.savePaymentSettings(storeId, {
          kitchenStartsUnpaid: form.kitchenStartsUnpaid,
          unpaidExpiryMinutes: expiry,
          business: {
            name: text(form.name),
            registrationNumber: digits ? registrationNumberShown(digits) : null,
            address: text(form.address),
            phone: text(form.phone),
          },
        });
        setForm(formOf(saved));
        onNotice(p.saved);
      },
      {
        errors: p.errors,
        onError: (caught) => {
          // the server checks the registration number's check digit
          if (caught instanceof ApiError && caught.code === 'invalid_registration_number') {
            setFieldErrors({ registrationNumber: p.errors.invalid_registration_number ?? p.registrationNumberInvalid });
          }
        },
      },
    );
  };

  return (
    <section aria-labelledby={headingId} className="panel payment-settings">
      <h2 id={headingId}>{p.settingsTitle}</h2>
      <p className="hint">{p.settingsIntro}</p>
      {loadError ? (
        <LoadError error={loadError} onRetry={load} />
      ) : !form ? (
        <Loading />
      ) : (
        <form
          ref={formRef}
          className="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <fieldset>
            <legend>{p.businessLegend}</legend>
            <TextField
              label={p.businessName}
              hint={p.businessNameHint}
              maxLength={60}
              value={form.name}
              onChange={(event) => change({ name: event.target.value })}
            />
            <TextField
              label={p.registrationNumber}
              hint={p.registrationNumberHint}
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
              value={form.registrationNumber}
              onChange={(event) => change({ registrationNumber: registrationNumberShown(event.target.value) })}
              error={fieldErrors.registrationNumber}
            />
            <TextField
              label={p.address}
              hint={p.addressHint}
              maxLength={120}
              value={form.address}
              onChange={(event) => change({ address: event.target.value })}
            />
            <TextField
              label={p.phone}
              hint={p.phoneHint}
              inputMode="tel"
              maxLength={20}
              value={form.phone}
              onChange={(event) => change({ phone: event.target.value })}
            />
          </fieldset>
          <fieldset>
            <legend>{p.unpaidLegend}</legend>
            <CheckField
              label={p.kitchenStartsUnpaid}
              hint={p.kitchenStartsUnpaidHint}
              checked={form.kitchenStartsUnpaid}
              onChange={(event) => change({ kitchenStartsUnpaid: event.target.checked })}
            />
            <NumberField
              label={p.unpaidExpiry}
              hint={p.unpaidExpiryHint}
              maxLength={4}
              value={form.expiry}
              onChange={(event) => change({ expiry: event.target.value.replace(/\D/g, '') })}
              error={fieldErrors.expiry}
            />
          </fieldset>
          <ErrorAlert>{error}</ErrorAlert>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? p.saving : p.save}
          </button>
        </form>
      )}
    </section>
  );
}
