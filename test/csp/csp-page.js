// Runs inside test/csp/csp.html, served with a strict Content-Security-Policy (no inline script, no blob:
// workers or worklets): the element must work with its self-hosted worker and worklet files.
const params = new URLSearchParams(location.search);
const report = (msg) => parent.postMessage({ csp: true, ...msg }, '*');
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const el = document.createElement('navtalk-avatar');
el.setAttribute('server-url', params.get('ws'));
el.setAttribute('avatar-id', 'csp');
el.setAttribute('assets-url', '/');
el.setAttribute('echo-cancellation', 'false');
const warnings = [];
const errors = [];
el.addEventListener('navtalk-warning', (e) => warnings.push(e.detail.code));
el.addEventListener('navtalk-error', (e) => errors.push(e.detail.code));
el.addEventListener('navtalk-transcript', (e) => {
  if (e.detail.role === 'assistant' && e.detail.final) report({ reply: e.detail.text, warnings, errors, violations });
});
el.addEventListener('navtalk-connected', () => el.sendText('hello from a strict page'));
document.body.append(el);
el.start();
