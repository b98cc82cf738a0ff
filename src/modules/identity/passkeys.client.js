// The passkey island (served at /identity/passkeys.js): the WebAuthn ceremonies of the sign-in and
// account pages. The browser's own JSON helpers (PublicKeyCredential.parse…FromJSON, toJSON)
// carry the options and answers, so nothing is bundled. Progress and errors go to the page's
// live region (#passkey-status).
const status = document.getElementById('passkey-status');

function say(text, isError) {
  if (!status) return;
  status.className = 'hn-notice';
  status.textContent = text;
  status.setAttribute('role', isError ? 'alert' : 'status');
}

async function post(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.detail || data.title || `HTTP ${res.status}`);
  return data;
}

const supported = typeof window.PublicKeyCredential === 'function' && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';

async function run(button, ceremony) {
  const working = button.dataset.working;
  const failed = button.dataset.error;
  button.disabled = true;
  say(working, false);
  try {
    await ceremony();
  } catch (e) {
    const reason = e && e.name === 'NotAllowedError' ? 'cancelled / 취소됨' : (e && e.message) || String(e);
    say(failed.replace('{reason}', reason), true);
    button.disabled = false;
  }
}

for (const button of document.querySelectorAll('[data-passkey]')) {
  if (!supported) continue;
  const holder = button.closest('[data-passkey-form]');
  if (holder) holder.hidden = false;
  if (button.dataset.passkey === 'sign-in') {
    button.addEventListener('click', () =>
      run(button, async () => {
        const { challengeId, options } = await post('/api/identity/sign-in/options');
        const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        // the same ceremony confirms a signed-in person again (step-up) when the page names that endpoint
        const done = await post(button.dataset.endpoint || '/api/identity/sign-in', { challengeId, response: credential.toJSON(), next: button.dataset.next });
        window.location.assign(done.redirect || '/account');
      }),
    );
  } else if (button.dataset.passkey === 'register') {
    button.addEventListener('click', () =>
      run(button, async () => {
        const name = document.getElementById('new-passkey-name')?.value ?? '';
        const { challengeId, options } = await post('/api/identity/passkeys/registration-options');
        const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
        await post('/api/identity/passkeys', { challengeId, name, response: credential.toJSON() });
        window.location.assign('/account?done=added#passkeys');
      }),
    );
  }
}
