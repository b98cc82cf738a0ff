// The counter page's island (served at /verifier/counter.js): while a request waits for the
// visitor's wallet, ask every two seconds whether it was answered and reload the page when it was.
// Without JavaScript the page's "check for the result" link does the same.
const box = document.getElementById('verifier-result');
const id = box && box.dataset.request;
if (id && box.dataset.status === 'pending') {
  const tick = async () => {
    try {
      const res = await fetch(`/verifier/requests/${id}/status`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (res.ok && (await res.json()).status !== 'pending') return window.location.reload();
    } catch {
      // a network blip: try again
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
}
