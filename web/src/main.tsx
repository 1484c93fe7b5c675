import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// Korean type that ships with the app: a kiosk's own system (often a bare Linux image) may have no
// Korean font at all. Split by unicode range, so a screen loads only the parts its text uses.
import '@fontsource-variable/noto-sans-kr';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
