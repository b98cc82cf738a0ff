// The assistant's box at the foot of every page, answering in place (progressive enhancement):
// without JavaScript the box is a plain GET form to /assistant; with it, the question goes to
// POST /api/assistant/messages and the answer, with its linked services, appears under the box
// in a polite live region, the conversation continuing in the same session. Text is set with
// textContent only; links only to this site's pages or the answer's https actions.
const form = document.querySelector('form.hn-ask');
if (form) {
  const input = form.querySelector('input[name="q"]');
  const ko = document.documentElement.lang !== 'en';
  const log = document.createElement('div');
  log.className = 'hn-ask-log';
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-label', ko ? '도우미 답변' : 'Assistant replies');
  form.after(log);
  let sessionId;
  const safe = (url) => (typeof url === 'string' && (url.startsWith('/') && !url.startsWith('//') || url.startsWith('https://') || url.startsWith('tel:')) ? url : undefined);
  form.addEventListener('submit', async (event) => {
    const text = input.value.trim();
    if (!text || text.length > 1000) return; // the page answers these (and says why)
    event.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const res = await fetch('/api/assistant/messages', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(sessionId ? { text, sessionId } : { text }) });
      if (!res.ok) throw new Error(String(res.status));
      const a = await res.json();
      sessionId = a.sessionId;
      const item = document.createElement('div');
      item.className = 'hn-ask-item';
      const q = document.createElement('p');
      q.className = 'hn-ask-q';
      q.textContent = `${ko ? '나' : 'You'}: ${text}`;
      const r = document.createElement('p');
      r.className = 'hn-ask-a';
      r.textContent = `${ko ? '도우미' : 'Assistant'}: ${a.reply}`;
      item.append(q, r);
      const links = [...(a.services || []).map((s) => ({ label: s.name, url: s.url })), ...(a.actions || [])].filter((l) => safe(l.url));
      if (links.length) {
        const ul = document.createElement('ul');
        for (const l of links) {
          const li = document.createElement('li');
          const link = document.createElement('a');
          link.href = safe(l.url);
          link.className = 'hn-link';
          link.textContent = l.label;
          li.append(link);
          ul.append(li);
        }
        item.append(ul);
      }
      log.append(item);
      input.value = '';
    } catch {
      form.submit(); // the page answers without the script
      return;
    } finally {
      button.disabled = false;
    }
    input.focus();
  });
}
