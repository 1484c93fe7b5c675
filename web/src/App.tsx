import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { setSessionLostHandler } from './api/client';
import { RequireSession } from './components/RequireSession';
import { LanguageProvider } from './i18n';
import { CounselorHome } from './pages/CounselorHome';
import { KioskApp } from './kiosk/KioskApp';
import { KitchenApp } from './kitchen/KitchenApp';
import { PickupApp } from './pickup/PickupApp';
import { PayPage } from './pay/PayPage';
import { ReceiptPage } from './receipt/ReceiptPage';
import { Landing } from './pages/Landing';
import { Login } from './pages/Login';
import { PosHome } from './pages/PosHome';
import { ResetPassword } from './pages/ResetPassword';
import { Signup } from './pages/Signup';

/** a session that ends under a page sends it to the role's login, with a note why */
function SessionLostBridge() {
  const navigate = useNavigate();
  useEffect(() => {
    setSessionLostHandler((role) =>
      // a store screen signs in again on its own page
      role === 'kitchen' || role === 'pickup'
        ? navigate(`/${role}`, { replace: true })
        : navigate(`/login?role=${role}`, { replace: true, state: { notice: 'sessionExpired' } }),
    );
  }, [navigate]);
  return null;
}

export function App() {
  return (
    <LanguageProvider>
      <BrowserRouter>
        <SessionLostBridge />
        <Routes>
          <Route path="/" element={<Landing />} />
          <Route path="/login/*" element={<Login />} />
          <Route path="/signup/*" element={<Signup />} />
          <Route path="/reset-password/*" element={<ResetPassword />} />
          <Route
            path="/kiosk/*"
            element={
              <RequireSession role="kiosk">
                <KioskApp />
              </RequireSession>
            }
          />
          <Route
            path="/pos/*"
            element={
              <RequireSession role="owner">
                <PosHome />
              </RequireSession>
            }
          />
          <Route
            path="/counselor/*"
            element={
              <RequireSession role="counselor">
                <CounselorHome />
              </RequireSession>
            }
          />
          {/* store screens sign in on their own page (their login id and secret), or open with the owner's session */}
          <Route path="/kitchen/*" element={<KitchenApp />} />
          <Route path="/pickup/*" element={<PickupApp />} />
          {/* the digital receipt behind a receipt's QR code: public, the token is the key */}
          <Route path="/receipt/:token" element={<ReceiptPage />} />
          {/* the customer's phone pays a kiosk order from its QR code (and comes back here from the gateway's window) */}
          <Route path="/pay/:paymentId/*" element={<PayPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </BrowserRouter>
    </LanguageProvider>
  );
}
