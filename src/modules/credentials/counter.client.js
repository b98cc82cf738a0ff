// The island of the pages that wait for a wallet (served at /verifier/counter.js): the counter
// page and the mobile-ID sign-up. While the request waits, ask every two seconds whether it was
// answered; then reload the page (or go on to data-done-url). Without JavaScript the page's
// link does the same.
const box = document.getElementById('verifier-result');
if (box && box.dataset.status === 'pending') {
  const url = box.dataset.statusUrl || `/verifier/requests/${box.dataset.request}/status`;
  const tick = async () => {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (res.ok && (await res.json()).status !== 'pending') {
        if (box.dataset.doneUrl) window.location.assign(box.dataset.doneUrl);
        else window.location.reload();
        return;
      }
    } catch {
      // a network blip: try again
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
}
