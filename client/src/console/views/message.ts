import { html, type SafeHtml } from '../html';

export function messagePage(input: { title: string; message: string; remedy?: string; action?: { href: string; label: string } }): SafeHtml {
  return html`<section class="card">
<h1>${input.title}</h1>
<p class="lead">${input.message}</p>
${input.remedy ? html`<p class="remedy">${input.remedy}</p>` : ''}
${input.action ? html`<p><a class="button primary" href="${input.action.href}">${input.action.label}</a></p>` : ''}
</section>`;
}
