// The GOV.UK session timeout warning: a modal dialog before the session ends, "Stay signed in" renews it in the
// background, otherwise the user is signed out just before the server would forget them. Without this script the
// session simply expires (the dialog is never shown).
const dialog = document.getElementById('session-timeout');
if (dialog && typeof dialog.showModal === 'function') {
  const timeout = Number(dialog.dataset.timeout) * 1000;
  const warn = Math.min(Number(dialog.dataset.warn) * 1000, timeout / 2);
  // Signed out a little before the server's end, while the sign-out form's token is still valid.
  const margin = Math.min(10000, warn / 4);
  const stay = dialog.querySelector('.sl-timeout__stay');
  const signOut = dialog.querySelector('.sl-timeout__sign-out');
  const until = dialog.querySelector('.sl-timeout__until');
  const heading = dialog.querySelector('h2');
  let timers = [];
  let returnFocus = null;

  const start = () => {
    timers.forEach(clearTimeout);
    const end = Date.now() + timeout - margin;
    timers = [
      setTimeout(() => {
        // The 24-hour clock, as Sightline shows times everywhere (plain "en" would give "12:58 AM").
        const lang = document.documentElement.lang || 'en';
        until.textContent = new Date(end).toLocaleTimeString(lang === 'en' ? 'en-GB' : lang,
          { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
        returnFocus = document.activeElement;
        dialog.showModal();
        heading.focus();
      }, timeout - warn),
      setTimeout(() => signOut.submit(), timeout - margin),
    ];
  };

  const keepAlive = async () => {
    try {
      const response = await fetch(stay.action, { method: 'POST', body: new FormData(stay), credentials: 'same-origin',
        redirect: 'manual' });
      if (response.status !== 204) {
        window.location.assign(signOut.dataset.signIn);
        return;
      }
    } catch (e) {
      // Offline for a moment: the timers restart and the next warning tries again.
    }
    dialog.close();
    if (returnFocus && typeof returnFocus.focus === 'function') {
      returnFocus.focus();
    }
    start();
  };

  stay.addEventListener('submit', (event) => {
    event.preventDefault();
    keepAlive();
  });
  // Escape closes the dialog: taken as "stay signed in", as the pattern does.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    keepAlive();
  });
  start();
}
