// The kiosk: the start screen, then ordering (menu and cart), checkout, paying (card or mobile, in
// payment/) and the receipt, with a patient idle reset on the order screens (never while the device
// sees someone standing there, nor while a card or a phone payment is awaited).
// The screens are plain state here (no routes), so a customer can never land half-way through
// someone else's order. Around them: voice mode and the keypad (speech/, keypad/), the modes and
// the control bar in reach (access/), the staff call (staff-call/), practice mode (practice/),
// members and their confirmation (presence/), video consultation (consultation/).
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, type KioskProfile, type Menu, type Order, type OrderRequest, type PaymentMethod } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { won } from '../format';
import { useMe } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';
import { installAudioUnlock } from '../sound';
import { DiningContext, cartReducer, cartTotal, emptyCart, repriceCart, type Cart, type Dining } from './cart';
import { CheckoutScreen } from './CheckoutScreen';
import { ConsultButton } from './consultation/ConsultButton';
import { ConsultationPanel } from './consultation/ConsultationPanel';
import { KioskConsultationContext } from './consultation/context';
import { useKioskConsultation } from './consultation/useKioskConsultation';
import { DEFAULT_REACH_BAND, type Access } from './access/AccessContext';
import { AccessFrame } from './access/AccessFrame';
import { ControlBar } from './access/ControlBar';
import { IDLE_WARNING_SECONDS, idleSeconds, patientSeconds } from './config';
import { CheckoutAttempts } from './idempotency';
import { IdleWarning } from './IdleWarning';
import { MenuScreen } from './MenuScreen';
import { PaymentScreen } from './payment/PaymentScreen';
import { paymentApi, pendingPayment } from './payment/paymentApi';
import type { ReceiptPayment } from './payment/ReceiptPaymentNote';
import { usePaymentFollow, type FollowedOrder } from './payment/usePaymentFollow';
import { PracticeBanner } from './practice/PracticeBanner';
import { practiceOrder } from './practice/practice-order';
import { PracticeReceipt } from './practice/PracticeReceipt';
import { AfterOrder } from './presence/AfterOrder';
import { MemberBanner } from './presence/MemberBanner';
import { PresenceStart } from './presence/PresenceStart';
import { recommendedItems } from './presence/recommendations';
import { useCustomerJourney } from './presence/useCustomerJourney';
import { SeniorMenuScreen } from './senior/SeniorMenuScreen';
import { SeniorToggle } from './senior/SeniorToggle';
import { StaffCallButton } from './staff-call/StaffCallButton';
import { StaffCallNotice } from './staff-call/StaffCallNotice';
import { useStaffCall } from './staff-call/useStaffCall';
import { useSpeech } from './speech/SpeechContext';
import { SpeechProvider } from './speech/SpeechProvider';
import { VoiceControls } from './speech/VoiceControls';
import { VoiceKiosk } from './speech/VoiceKiosk';
import { useIdleTimer } from './useIdleTimer';
import { useMenu } from './useMenu';

type Screen =
  | { name: 'start' }
  | { name: 'menu' }
  | { name: 'checkout' }
  /** a card or mobile payment awaited (the cart is kept until it is paid) */
  | { name: 'paying'; order: Order; method: 'card' | 'mobile'; checkoutUrl?: string }
  | { name: 'receipt'; order: Order };

/** the kiosk inside its voice (voice mode, the narrator, the keypad), so every part of it can speak */
export function KioskApp() {
  return (
    <SpeechProvider>
      <KioskScreens />
    </SpeechProvider>
  );
}

function KioskScreens() {
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const { me, error, reload } = useMe<KioskProfile>('kiosk');
  const storeId = me?.store.id;
  const menu = useMenu(storeId);
  const [cart, dispatch] = useReducer(cartReducer, emptyCart);
  const [screen, setScreen] = useState<Screen>({ name: 'start' });
  const [message, setMessage] = useState<string>();
  const [checkoutError, setCheckoutError] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** eat-in or take-out, asked at checkout once per order */
  const [dining, setDining] = useState<Dining>();
  const [confirm, setConfirm] = useState<'logout' | 'startOver'>();
  const [loggingOut, setLoggingOut] = useState(false);
  const attempts = useRef(new CheckoutAttempts());
  const [idle] = useState(() => idleSeconds());
  // high contrast and the low-position layout: this customer's, dropped by startOver
  const [contrast, setContrast] = useState(false);
  const [low, setLow] = useState(false);
  // "연습해 보기": an order walked through with speech; nothing reaches the orders API
  const [practice, setPractice] = useState(false);
  const { voiceMode, setVoiceMode } = useSpeech();
  useTitle(me ? me.store.name : t.roles.kiosk);
  // the order whose payment (or printed ticket) the screen follows, from placement to the receipt
  const [followed, setFollowed] = useState<FollowedOrder>();
  const payment = usePaymentFollow({ me, open: ['checkout', 'paying', 'receipt'].includes(screen.name), followed });
  // to the other parts, a payment awaited is still the checkout: nothing of the customer's is dropped
  const flowScreen = screen.name === 'paying' ? 'checkout' : screen.name;
  // a video consultation with a counselor: its socket lives as long as the kiosk is signed in
  const consultation = useKioskConsultation({ enabled: Boolean(me), page: flowScreen, cart, menu: menu.menu });
  // who the customer is (the device's live stream, a touch, or their phone number), senior mode
  const presence = useCustomerJourney({
    storeId,
    kioskId: me?.id,
    screen: flowScreen,
    cartEmpty: cart.lines.length === 0,
    hold: consultation.busy,
    onBegin: () => startOrder(),
    onDeparted: () => startOver(),
  });
  const { journey } = presence;
  const customerId = journey.member?.customerId;
  const recommended = useMemo(() => recommendedItems(journey.member?.recommendations, menu.menu), [journey.member, menu.menu]);

  useEffect(() => installAudioUnlock(), []);

  // a payment still awaited when the kiosk starts over is given up (never a charge nobody waits for)
  const awaited = useRef<{ storeId: string; orderId: string } | undefined>(undefined);
  awaited.current = screen.name === 'paying' && payment.progress.phase === 'waiting' && storeId ? { storeId, orderId: screen.order.id } : undefined;

  /** back to the start screen: the order is dropped, the language is Korean again */
  const startOver = useCallback(() => {
    if (awaited.current) void paymentApi.cancel(awaited.current.storeId, awaited.current.orderId).catch(() => undefined);
    pendingPayment.clear();
    setFollowed(undefined);
    dispatch({ type: 'clear' });
    setDining(undefined);
    attempts.current.reset();
    setMessage(undefined);
    setCheckoutError(undefined);
    setConfirm(undefined);
    setScreen({ name: 'start' });
    presence.dispatch({ type: 'end' });
    setContrast(false);
    setLow(false);
    setPractice(false);
    setLang('ko');
  }, [setLang, presence.dispatch]);

  const ordering = screen.name === 'menu' || screen.name === 'checkout';
  // "직원 호출": the button, the keypad's help key, and the stall alert in large-type and voice modes
  const staffCall = useStaffCall({
    storeId,
    kioskId: me?.id,
    senior: journey.senior,
    watching: ordering && !consultation.busy,
    screen: screen.name,
    cart,
    atStart: screen.name === 'start',
  });
  const idleState = useIdleTimer({
    active: ordering && !busy && !consultation.busy,
    // doubled in large-type and voice modes; not counting while the device sees someone there
    idleSeconds: patientSeconds(idle, journey.senior || voiceMode),
    warningSeconds: IDLE_WARNING_SECONDS,
    hold: presence.present,
    onTimeout: startOver,
  });
  const access: Access = {
    senior: journey.senior,
    patient: journey.senior || voiceMode,
    contrast,
    setContrast,
    low,
    setLow,
    reachBand: me?.screen?.reachBand ?? DEFAULT_REACH_BAND,
  };

  const startOrder = () => {
    presence.dispatch({ type: 'touchStart' });
    setMessage(undefined);
    setScreen({ name: 'menu' });
    void menu.reload();
  };

  const logout = async () => {
    setLoggingOut(true);
    await api.logout('kiosk');
    navigate('/login?role=kiosk', { replace: true, state: { notice: 'loggedOut' } });
  };

  /** the cart brought up to a fresh menu; returns the names dropped from it */
  const reprice = (current: Cart, fresh: Menu | undefined): { cart: Cart; dropped: string[] } => {
    if (!fresh) return { cart: current, dropped: [] };
    const repriced = repriceCart(current, fresh);
    dispatch({ type: 'replace', cart: repriced.cart });
    return repriced;
  };

  const placeOrder = async (method: PaymentMethod) => {
    if (!storeId || cart.lines.length === 0 || !dining) return;
    if (practice) {
      // a practice receipt made here: no request to the orders API, so no order, stock change or sale
      setScreen({ name: 'receipt', order: practiceOrder(cart, method, dining, storeId) });
      dispatch({ type: 'clear' });
      setDining(undefined);
      return;
    }
    const body: OrderRequest = {
      lines: cart.lines.map((line) => ({
        itemId: line.itemId,
        quantity: line.quantity,
        optionIds: line.options.map((option) => option.id),
        ...(line.note ? { note: line.note } : {}),
      })),
      paymentMethod: method,
      dining,
      expectedTotal: cartTotal(cart),
      ...(customerId ? { customerId } : {}),
    };
    const key = attempts.current.keyFor(body);
    setBusy(true);
    setCheckoutError(undefined);
    setMessage(undefined);
    try {
      const placed = await api.placeOrder(storeId, body, key);
      attempts.current.reset();
      const start = placed.payment;
      if (start.status === 'pending' && (method === 'card' || method === 'mobile')) {
        // the cart stays until the payment is confirmed: a decline goes back to it
        pendingPayment.set(placed.order.id, method);
        setFollowed({ orderId: placed.order.id, waits: true });
        setScreen({ name: 'paying', order: placed.order, method, checkoutUrl: start.checkoutUrl });
        return;
      }
      dispatch({ type: 'clear' });
      setDining(undefined);
      setFollowed({ orderId: placed.order.id, waits: false });
      setScreen({ name: 'receipt', order: placed.order });
    } catch (caught) {
      // a refusal that depends on the menu: reload it, keep what can still be ordered
      if (!(caught instanceof ApiError) || caught.status === 0 || caught.status >= 500) {
        setCheckoutError(errorText(t, caught)); // the same key on retry: never a second order
        return;
      }
      attempts.current.reset();
      const details = caught.details ?? {};
      const itemId = typeof details.itemId === 'string' ? details.itemId : undefined;
      const name = cart.lines.find((line) => line.itemId === itemId)?.name ?? '';
      const droppedNote = (dropped: string[]) => (dropped.length > 0 ? ` ${t.kiosk.checkout.dropped(dropped.join(', '))}` : '');
      switch (caught.code) {
        case 'price_changed': {
          const { cart: next, dropped } = reprice(cart, await menu.reload());
          setMessage(t.kiosk.checkout.priceChanged(won(cartTotal(next), lang)) + droppedNote(dropped));
          break;
        }
        case 'item_not_offered_for_dining': {
          // the owner changed the item meanwhile: the fresh menu marks the line, the customer removes it or changes the choice
          reprice(cart, await menu.reload());
          setCheckoutError(errorText(t, caught));
          break;
        }
        case 'sold_out':
        case 'item_not_available': {
          const available = typeof details.available === 'number' ? details.available : 0;
          const fresh = await menu.reload();
          if (caught.code === 'sold_out' && available > 0) {
            reprice(cart, fresh);
            setMessage(t.kiosk.checkout.fewLeft(name, available));
            setScreen({ name: 'menu' });
            break;
          }
          const without = { lines: cart.lines.filter((line) => line.itemId !== itemId) };
          const { cart: next, dropped } = reprice(without, fresh);
          if (!fresh) dispatch({ type: 'replace', cart: next });
          const text = caught.code === 'sold_out' ? t.kiosk.checkout.soldOut(name) : t.kiosk.checkout.notAvailable(name);
          setMessage(text + droppedNote(dropped.filter((each) => each !== name)));
          if (next.lines.length === 0) setScreen({ name: 'menu' });
          break;
        }
        case 'option_required':
        case 'too_many_options':
        case 'unknown_option':
        case 'unknown_item': {
          const { dropped } = reprice(cart, await menu.reload());
          setMessage(errorText(t, caught) + droppedNote(dropped));
          setScreen({ name: 'menu' });
          break;
        }
        default:
          setCheckoutError(errorText(t, caught));
      }
    } finally {
      setBusy(false);
    }
  };

  // paid: the receipt; not paid: the wait's screen says why, and nothing needs picking up after a reload
  const paidNow = screen.name === 'paying' && payment.progress.phase === 'confirmed';
  const failedNow = screen.name === 'paying' && payment.progress.phase === 'failed';
  useEffect(() => {
    if (!paidNow || screen.name !== 'paying') return;
    pendingPayment.clear();
    dispatch({ type: 'clear' });
    setDining(undefined);
    setScreen({ name: 'receipt', order: screen.order });
  }, [paidNow, screen]);
  useEffect(() => {
    if (failedNow) pendingPayment.clear();
  }, [failedNow]);

  // a page reloaded mid-payment picks the order up again from the server
  useEffect(() => {
    const pending = pendingPayment.get();
    if (!storeId || !pending) return;
    let current = true;
    paymentApi.kioskOrder(storeId, pending.orderId).then(
      ({ order, payment: start }) => {
        if (!current) return;
        if (order.status === 'cancelled' || (start.status !== 'pending' && start.status !== 'paid')) {
          pendingPayment.clear();
          return;
        }
        presence.dispatch({ type: 'touchStart' });
        setFollowed({ orderId: order.id, waits: true });
        setScreen({ name: 'paying', order, method: pending.method, checkoutUrl: start.checkoutUrl });
      },
      () => pendingPayment.clear(),
    );
    return () => {
      current = false;
    };
  }, [storeId, presence.dispatch]);

  const receiptPayment: ReceiptPayment = followed?.waits
    ? {
        paid: true,
        receipt: payment.receipt,
        print: payment.print,
        approvalNumber: payment.progress.phase === 'confirmed' ? payment.progress.approvalNumber : undefined,
      }
    : { paid: false, ticket: payment.print };

  return (
    <AccessFrame access={access} className={`kiosk-screen${ordering ? ' kiosk-ordering' : ''}`} data-live={presence.live}>
      <VoiceKiosk storeId={storeId} kioskId={me?.id} storeName={me?.store.name} screen={screen.name} arrived={journey.phase === 'camera'} />
      {/* nothing to press up here: every control is in the bar at the bottom (access/ControlBar) */}
      <header className="kiosk-top">
        <p className="kiosk-brand">{me ? (screen.name === 'start' ? me.brand.name : me.store.name) : ''}</p>
        {low ? <p className="kiosk-low-notice">{t.access.lowNotice}</p> : null}
      </header>
      <ConsultationPanel
        consultation={consultation}
        menu={menu.menu}
        loadMenu={menu.reload}
        onAdd={(item, optionIds, quantity) => {
          dispatch({ type: 'add', item, optionIds, quantity });
          if (screen.name === 'start' || screen.name === 'receipt') startOrder();
        }}
      />
      <KioskConsultationContext.Provider value={consultation}>
        <DiningContext.Provider value={dining}>
          <main id="main" className={screen.name === 'start' ? 'kiosk-main' : 'kiosk-flow'}>
            <PracticeBanner step={practice && flowScreen !== 'start' ? flowScreen : undefined} />
            {!me ? (
              error ? (
                <>
                  <ErrorAlert>{errorText(t, error)}</ErrorAlert>
                  <button type="button" className="button button-primary" onClick={() => void reload()}>
                    {t.common.retry}
                  </button>
                </>
              ) : (
                <p role="status" className="kiosk-welcome">
                  {t.common.loading}
                </p>
              )
            ) : screen.name === 'start' ? (
              <PresenceStart
                me={me}
                journey={journey}
                dispatch={presence.dispatch}
                onOrder={startOrder}
                departures={presence.departures}
                onPractice={() => {
                  setPractice(true);
                  setVoiceMode(true);
                  startOrder();
                }}
              />
            ) : screen.name === 'menu' ? (
              <MenuOrSenior
                senior={journey.senior}
                banner={<MemberBanner journey={journey} dispatch={presence.dispatch} menu={menu.menu} cartDispatch={dispatch} storeId={storeId} />}
                menu={menu.menu}
                menuError={menu.error}
                onRetry={() => void menu.reload()}
                cart={cart}
                dispatch={dispatch}
                message={message}
                recommended={recommended}
                onCheckout={() => {
                  setMessage(undefined);
                  setCheckoutError(undefined);
                  setScreen({ name: 'checkout' });
                }}
              />
            ) : screen.name === 'checkout' ? (
              <CheckoutScreen
                cart={cart}
                busy={busy}
                error={checkoutError}
                message={message}
                dining={dining}
                onDining={setDining}
                onRemove={(key) => dispatch({ type: 'remove', key })}
                speak={journey.senior}
                onBack={() => {
                  setMessage(undefined);
                  setScreen({ name: 'menu' });
                }}
                onSubmit={(method) => void placeOrder(method)}
                cardReady={payment.cardTerminal === 'ready'}
              />
            ) : screen.name === 'paying' ? (
              <PaymentScreen
                storeId={me.store.id}
                order={screen.order}
                method={screen.method}
                checkoutUrl={screen.checkoutUrl}
                progress={payment.progress}
                onRetry={() => {
                  // a new order (the declined one is cancelled); a refusal shows on the checkout
                  setFollowed(undefined);
                  setScreen({ name: 'checkout' });
                  void placeOrder(screen.method);
                }}
                onOtherMethod={() => {
                  setFollowed(undefined);
                  setScreen({ name: 'checkout' });
                }}
                onStartOver={startOver}
              />
            ) : practice ? (
              <PracticeReceipt order={screen.order} onDone={startOver} />
            ) : (
              <AfterOrder
                storeId={me.store.id}
                order={screen.order}
                payment={receiptPayment}
                journey={journey}
                dispatch={presence.dispatch}
                onDone={startOver}
              />
            )}
          </main>
        </DiningContext.Provider>
      </KioskConsultationContext.Provider>
      <StaffCallNotice staffCall={staffCall} />
      <ControlBar
        home={
          ordering ? (
            <button type="button" className="kiosk-secondary start-over" onClick={() => (cart.lines.length > 0 ? setConfirm('startOver') : startOver())}>
              <span aria-hidden="true">⌂ </span>
              {t.kiosk.startOver}
            </button>
          ) : undefined
        }
        large={
          screen.name !== 'start' ? <SeniorToggle senior={journey.senior} onChange={(senior) => presence.dispatch({ type: 'setSenior', senior })} /> : undefined
        }
        voice={<VoiceControls />}
        staffCall={me ? <StaffCallButton staffCall={staffCall} /> : undefined}
        counselor={ordering ? <ConsultButton consultation={consultation} /> : undefined}
      />
      {screen.name === 'start' ? (
        <footer className="kiosk-bottom">
          <button type="button" className="staff-button" onClick={() => setConfirm('logout')}>
            {t.kiosk.staffLogout}
          </button>
          {me ? <span className="kiosk-device">{me.name}</span> : null}
        </footer>
      ) : null}
      {idleState.warning ? <IdleWarning secondsLeft={idleState.secondsLeft} onContinue={idleState.extend} /> : null}
      {confirm === 'logout' ? (
        <Dialog title={t.kiosk.logoutTitle} onClose={() => setConfirm(undefined)}>
          <p>{t.kiosk.logoutText}</p>
          <div className="button-row">
            <button type="button" className="button button-danger" disabled={loggingOut} onClick={() => void logout()}>
              {t.kiosk.logoutConfirm}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirm(undefined)} data-autofocus>
              {t.common.cancel}
            </button>
          </div>
        </Dialog>
      ) : null}
      {confirm === 'startOver' ? (
        <Dialog title={t.kiosk.startOverTitle} onClose={() => setConfirm(undefined)} className="dialog-kiosk">
          <p>{t.kiosk.startOverText}</p>
          <div className="button-row">
            <button type="button" className="kiosk-danger" onClick={startOver}>
              {t.kiosk.startOverConfirm}
            </button>
            <button type="button" className="kiosk-secondary" onClick={() => setConfirm(undefined)} data-autofocus>
              {t.kiosk.keepOrdering}
            </button>
          </div>
        </Dialog>
      ) : null}
    </AccessFrame>
  );
}

/** the menu as usual, or in senior mode (four big items a page) */
function MenuOrSenior({ senior, counselor, ...props }: Parameters<typeof MenuScreen>[0] & { senior: boolean; counselor?: ReactNode }) {
  return senior ? <SeniorMenuScreen {...props} counselor={counselor} /> : <MenuScreen {...props} />;
}
