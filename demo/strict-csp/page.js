// No inline script is allowed here: this file wires the demo (the server URL of the built-in simulator).
const el = document.querySelector('navtalk-avatar');
el.setAttribute('server-url', `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/wss/v2/realtime-chat`);
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective}: ${e.blockedURI}`);
  document.querySelector('#violations').textContent = `Violations: ${violations.join('; ')}`;
});
