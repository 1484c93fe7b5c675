// The customer's phone pays a kiosk order (/pay/:paymentId, from the kiosk's QR code; docs/payments.md
// "Mobile / QR payment"). No sign-in: the unguessable payment id is the key. With the embedded fake
// gateway the page offers 결제하기 / 취소 itself; with Toss Payments, 결제하기 opens Toss' payment
// window (its JavaScript SDK v2), which comes back to /pay/:paymentId/success?paymentKey&orderId&amount
// or /pay/:paymentId/fail?code&message, and this page hands that to the server: the server confirms
// the payment at the gateway, with the order's own amount.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api, type MobilePayment } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { LoadError, Loading, Page } from '../components/Page';
import { won } from '../format';
import { errorText, useI18n, useTitle } from '../i18n';
import './pay.css';

type TossPaymentsSdk = ((clientKey: string) => {
  payment(options: { customerKey: string }): {
    requestPayment(request: {
      method: 'CARD';
      amount: { currency: 'KRW'; value: number };
      orderId: string;
      orderName: string;
      successUrl: string;
      failUrl: string;
    }): Promise<void>;
  };
}) & { ANONYMOUS: string };

const TOSS_SDK_URL = 'https://js.tosspayments.com/v2/standard';
const TOSS_SDK_TIMEOUT_MS = 15_000;

/** Toss' SDK, loaded once, only when a customer pays through Toss */
function loadTossSdk(): Promise<TossPaymentsSdk> {
  const existing = (window as unknown as { TossPayments?: TossPaymentsSdk }).TossPayments;
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = TOSS_SDK_URL;
    const timer = window.setTimeout(() => reject(new Error('Toss SDK timed out')), TOSS_SDK_TIMEOUT_MS);
    script.onload = () => {
      window.clearTimeout(timer);
      const sdk = (window as unknown as { TossPayments?: TossPaymentsSdk }).TossPayments;
      if (sdk) resolve(sdk);
      else reject(new Error('Toss SDK missing'));
    };
    script.onerror = () => {
      window.clearTimeout(timer);
      reject(new Error('Toss SDK not loaded'));
    };
    document.head.appendChild(script);
  });
}

export function PayPage() {
  const { t, lang } = useI18n();
  const p = t.mobilePay;
  useTitle(p.title);
  const { paymentId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const [query] = useSearchParams();
  const [payment, setPayment] = useState<MobilePayment>();
  const [loadError, setLoadError] = useState<unknown>();
  const [actionError, setActionError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const handled = useRef(false);

  const load = useCallback(() => {
    setLoadError(undefined);
    api.mobilePayment(paymentId).then(setPayment, setLoadError);
  }, [paymentId]);

  /** a confirmation or failure, then back to the plain page (a reload must not send it again) */
  const settle = useCallback(
    async (action: () => Promise<MobilePayment>) => {
      setBusy(true);
      setActionError(undefined);
      try {
        setPayment(await action());
      } catch (error) {
        setActionError(errorText(t, error, p.errors));
        load();
      } finally {
        setBusy(false);
        navigate(`/pay/${encodeURIComponent(paymentId)}`, { replace: true });
      }
    },
    [load, navigate, p.errors, paymentId, t],
  );

  useEffect(() => {
    if (handled.current) return;
    handled.current = true;
    const returnedFrom = location.pathname.endsWith('/success') ? 'success' : location.pathname.endsWith('/fail') ? 'fail' : undefined;
    if (returnedFrom === 'success') {
      const paymentKey = query.get('paymentKey') ?? '';
      const amount = Number(query.get('amount'));
      void settle(() => api.confirmMobilePayment(paymentId, { paymentKey, amount }));
    } else if (returnedFrom === 'fail') {
      const code = (query.get('code') ?? 'PAY_PROCESS_ABORTED').replace(/[^A-Za-z0-9_]/g, '').slice(0, 80) || 'PAY_PROCESS_ABORTED';
      const message = (query.get('message') ?? '').slice(0, 300);
      void settle(() => api.failMobilePayment(paymentId, message ? { code, message } : { code }));
    } else {
      load();
    }
  }, [load, location.pathname, paymentId, query, settle]);

  const pay = async () => {
    if (!payment) return;
    if (payment.checkout.provider === 'fake') {
      // the fake gateway approves a key of its own shape: what Toss' window would have handed back
      const paymentKey = `fake_${crypto.randomUUID().replaceAll('-', '')}`;
      await settle(() => api.confirmMobilePayment(paymentId, { paymentKey, amount: payment.amount }));
      return;
    }
    setBusy(true);
    setActionError(undefined);
    try {
      const TossPayments = await loadTossSdk();
      const base = `${window.location.origin}/pay/${encodeURIComponent(paymentId)}`;
      await TossPayments(payment.checkout.clientKey)
        .payment({ customerKey: TossPayments.ANONYMOUS })
        .requestPayment({
          method: 'CARD',
          amount: { currency: 'KRW', value: payment.amount },
          orderId: payment.paymentId,
          orderName: payment.orderName,
          successUrl: `${base}/success`,
          failUrl: `${base}/fail`,
        });
    } catch {
      setActionError(p.tossLoadFailed);
    } finally {
      setBusy(false);
    }
  };

  const giveUp = () => settle(() => api.failMobilePayment(paymentId, { code: 'PAY_PROCESS_CANCELED' }));

  if (loadError) {
    return (
      <Page>
        <h1>{p.title}</h1>
        {loadError instanceof ApiError && loadError.status === 404 ? <ErrorAlert>{p.notFound}</ErrorAlert> : <LoadError error={loadError} onRetry={load} />}
      </Page>
    );
  }
  if (!payment) {
    return (
      <Page>
        <Loading />
      </Page>
    );
  }
  const minutesLeft = payment.payBy ? Math.max(1, Math.ceil((new Date(payment.payBy).getTime() - Date.now()) / 60_000)) : undefined;
  const outcome = {
    paid: [p.paid, p.paidHint],
    declined: [p.declined, p.declinedHint],
    expired: [p.expired, p.expiredHint],
    cancelled: [p.cancelled, p.cancelledHint],
    awaiting: undefined,
  }[payment.state];
  return (
    <Page>
      <article className="mobile-pay" aria-labelledby="mp-title">
        <h1 id="mp-title">{payment.storeName}</h1>
        <dl className="mp-facts">
          <div>
            <dt>{p.orderNumber}</dt>
            <dd className="mp-number" data-testid="pay-order-number">
              {payment.orderNumber}
            </dd>
          </div>
          <div>
            <dt>{p.amount}</dt>
            <dd className="mp-amount" data-testid="pay-amount">
              {won(payment.amount, lang)}
            </dd>
          </div>
        </dl>
        {actionError && <ErrorAlert>{actionError}</ErrorAlert>}
        {outcome ? (
          <section className={`mp-outcome mp-${payment.state}`} role="status" data-testid="pay-outcome">
            <h2>{outcome[0]}</h2>
            <p>{outcome[1]}</p>
          </section>
        ) : (
          <>
            {minutesLeft !== undefined && <p className="mp-hint">{p.payWithin(minutesLeft)}</p>}
            {payment.checkout.provider === 'fake' && <p className="mp-hint">{p.fakeNote}</p>}
            <div className="mp-actions">
              <button type="button" className="button button-primary mp-button" onClick={() => void pay()} disabled={busy} aria-busy={busy}>
                {busy ? p.paying : p.pay}
              </button>
              <button type="button" className="button button-secondary mp-button" onClick={() => void giveUp()} disabled={busy}>
                {p.cancel}
              </button>
            </div>
          </>
        )}
      </article>
    </Page>
  );
}
