// Entry point: builds the app's stores and services, restores a shared view from the URL hash,
// loads the model catalog and the default (or linked) model, and renders the UI.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { DeviceEvent } from './engine/gpu';
import { createI18n, detectLocale } from './i18n';
import { createApp } from './store/app';
import { browserStorage, restorePreferences, savePreferences } from './store/preferences';
import { App } from './ui/App';
import { AppProvider } from './ui/context';
import { startLinkSync } from './ui/link-sync';
import { createBrowserServices } from './ui/services';
import './styles/app.css';

// The services exist before the app, so device events reach the model store through this holder.
let onDeviceEvent: (event: DeviceEvent) => void = () => undefined;
const app = createApp(createBrowserServices((event) => onDeviceEvent(event)));
onDeviceEvent = (event) => app.model.getState().setDeviceEvent(event);
// Saved preferences apply before the first model load, so a saved backend is the one it uses.
const storage = browserStorage();
for (const problem of restorePreferences(app.settings, storage, detectLocale(navigator.language))) {
  console.warn(problem);
}
savePreferences(app.settings, storage, (message) => console.warn(message));
const i18n = createI18n(app.settings.getState().locale);

void startLinkSync(app);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <AppProvider app={app}>
          <App />
        </AppProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}
