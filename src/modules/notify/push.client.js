// The web push island (served at /notifications/push.js) of the notification settings page:
// registers the service worker (/notify-sw.js, scope /notifications), subscribes this browser with
// the platform's VAPID key and hands the subscription to /api/notify/me/push-subscriptions, or
// takes it back. Nothing is bundled. The page's words come in its data- attributes; progress and
// errors go to the live region #push-status. Without this script the page says push needs it.
const holder = document.querySelector('[data-push-form]');
const status = document.getElementById('push-status');
const words = holder ? holder.dataset : {};

function say(text, isError) {
  if (!status) return;
  status.className = 'hn-notice';
  status.textContent = text;
  status.setAttribute('role', isError ? 'alert' : 'status');
}

async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.status === 204) return {};
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.detail || data.title || `HTTP ${res.status}`);
  return data;
}

/** The VAPID key as PushManager.subscribe wants it (base64url to bytes). */
function keyBytes(b64url) {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64url.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function show(on) {
  for (const el of holder.querySelectorAll('[data-push-when]')) el.hidden = el.dataset.pushWhen !== (on ? 'on' : 'off');
}

async function run(button, work) {
  button.disabled = true;
  say(words.working, false);
  try {
    await work();
  } catch (e) {
    say((words.error || '{reason}').replace('{reason}', (e && e.message) || String(e)), true);
  } finally {
    button.disabled = false;
  }
}

async function main() {
  if (!holder) return;
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    say(words.unsupported, false);
    return;
  }
  const registration = await navigator.serviceWorker.register('/notify-sw.js', { scope: '/notifications' });
  const current = await registration.pushManager.getSubscription();
  holder.hidden = false;
  show(Boolean(current));
  const subscribe = holder.querySelector('[data-push="subscribe"]');
  const unsubscribe = holder.querySelector('[data-push="unsubscribe"]');
  subscribe.addEventListener('click', () =>
    run(subscribe, async () => {
      if ((await Notification.requestPermission()) !== 'granted') {
        say(words.denied, true);
        return;
      }
      const { publicKey } = await api('GET', '/api/notify/push/key');
      const ready = await navigator.serviceWorker.ready;
      const sub = await ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
      const json = sub.toJSON();
      await api('POST', '/api/notify/me/push-subscriptions', { endpoint: json.endpoint, keys: json.keys });
      show(true);
      say(words.on, false);
      unsubscribe.focus();
    }),
  );
  unsubscribe.addEventListener('click', () =>
    run(unsubscribe, async () => {
      const sub = await registration.pushManager.getSubscription();
      if (sub) {
        // the platform forgets it even if the browser's own unsubscribe fails, and the other way round
        await api('DELETE', '/api/notify/me/push-subscriptions', { endpoint: sub.endpoint }).catch(() => undefined);
        await sub.unsubscribe();
      }
      show(false);
      say(words.off, false);
      subscribe.focus();
    }),
  );
}

main().catch((e) => say((words.error || '{reason}').replace('{reason}', (e && e.message) || String(e)), true));
