import { esc, hidden, page } from './html';

export function errorPage(title: string, message: string): string {
  return page(title, `<p class="error">${esc(message)}</p>`);
}

export function loginPage(o: { action: string; fields: Record<string, string>; accountId: string; error?: string; email?: string }): string {
  const hiddenFields = Object.entries(o.fields).map(([k, v]) => hidden(k, v)).join('\n');
  return page('Log in to NetSuite', `
<p>Account <strong>${esc(o.accountId)}</strong></p>
${o.error ? `<p class="error">${esc(o.error)}</p>` : ''}
<form method="post" action="${esc(o.action)}">
${hiddenFields}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" value="${esc(o.email ?? '')}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="action" value="login">Log In</button>
</form>`);
}

export function consentPage(o: {
  action: string; flow: string; applicationName: string; userName: string; accountId: string; scopes: string[];
  roles: { internalId: number; name: string }[]; selectedRole: number;
}): string {
  const options = o.roles
    .map((r) => `<option value="${esc(r.internalId)}"${r.internalId === o.selectedRole ? ' selected' : ''}>${esc(r.name)}</option>`)
    .join('');
  return page('Authorize application', `
<p><strong>${esc(o.applicationName)}</strong> would like to access account <strong>${esc(o.accountId)}</strong>
as <strong>${esc(o.userName)}</strong> with these scopes: ${o.scopes.map((s) => `<code>${esc(s)}</code>`).join(', ')}.</p>
<form method="post" action="${esc(o.action)}">
${hidden('flow', o.flow)}
<label for="role">Role</label><select id="role" name="role">${options}</select>
<button type="submit" name="action" value="allow">Allow</button>
<button type="submit" name="action" value="deny">Deny</button>
</form>`);
}
