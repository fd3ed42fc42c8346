// Every policy version, by policy and newest first, each a link to its page.
import { get } from './api.js';
import { POLICIES, byPolicyThenNewest, el, showProblem, signedIn, when } from './ui.js';

const body = document.querySelector('#versions tbody');

async function start() {
  await signedIn(POLICIES);
  try {
    const versions = (await get('/api/v1/policies')).sort(byPolicyThenNewest);
    body.replaceChildren(
      ...versions.map((v) => {
        const href = `/ui/policy.html?id=${encodeURIComponent(v.id)}&version=${encodeURIComponent(v.version)}`;
        return el(
          'tr',
          { 'data-policy': v.id, 'data-version': v.version },
          el('td', {}, v.id),
          el('td', {}, el('a', { href }, 'version ', v.version)),
          el('td', {}, el('span', { class: 'state state-' + v.state }, v.state)),
          el('td', {}, (v.models || []).join(', ')),
          el('td', {}, v.author),
          el('td', {}, v.approver || '—'),
          el('td', {}, el('time', { datetime: v.registeredAt }, when(v.registeredAt))),
        );
      }),
    );
    document.getElementById('status').textContent =
      `${versions.length} version${versions.length === 1 ? '' : 's'}`;
  } catch (e) {
    showProblem(document.getElementById('problem'), e);
  }
}

start();
