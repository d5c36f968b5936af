import { esc, hidden, page } from './html';

export function bundlePage(o: {
  action: string; accountId: string; bundleId: string; installed: boolean; userName: string; message?: string; error?: string;
}): string {
  const op = o.installed ? 'uninstall' : 'install';
  return page(`${o.installed ? 'Uninstall' : 'Install'} bundle ${o.bundleId}`, `
<p>Account <strong>${esc(o.accountId)}</strong>, logged in as <strong>${esc(o.userName)}</strong>.</p>
${o.message ? `<p>${esc(o.message)}</p>` : ''}
${o.error ? `<p class="error">${esc(o.error)}</p>` : ''}
<p>Bundle <strong>${esc(o.bundleId)}</strong> is ${o.installed ? '' : 'not '}installed in this account.</p>
<form method="post" action="${esc(o.action)}">
${hidden('op', op)}
<button type="submit">${o.installed ? 'Uninstall' : 'Install'}</button>
</form>`);
}
