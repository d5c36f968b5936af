/**
 * A small HTML form reader for the demo's "person at the browser": enough for plain server-rendered forms
 * (the emulator's login, consent and bundle pages). Not a general HTML parser.
 */
export interface FormField {
  name: string;
  value: string;
  type: string;
}

export interface FormButton {
  name?: string;
  value?: string;
  label: string;
}

export interface HtmlForm {
  action: string | undefined;
  method: 'GET' | 'POST';
  fields: FormField[];
  selects: { name: string; options: { value: string; label: string; selected: boolean }[] }[];
  buttons: FormButton[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'", '#47': '/', '#x2F': '/' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x?[0-9a-fA-F]+|[a-z]+);/g, (whole, name: string) => {
    if (ENTITIES[name] !== undefined) return ENTITIES[name];
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return whole;
  });
}

export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const body = tag.replace(/^<\s*[a-zA-Z]+/, '').replace(/\/?>$/, '');
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const name = m[1];
    if (!name) continue;
    out[name.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  const formRe = /<form\b[^>]*>([\s\S]*?)<\/form\s*>/gi;
  for (let m = formRe.exec(html); m; m = formRe.exec(html)) {
    const openTag = /^<form\b[^>]*>/i.exec(m[0])?.[0] ?? '<form>';
    const attrs = attributes(openTag);
    const inner = m[1] ?? '';
    const form: HtmlForm = {
      action: attrs.action,
      method: (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      fields: [],
      selects: [],
      buttons: [],
    };
    for (const input of inner.match(/<input\b[^>]*>/gi) ?? []) {
      const a = attributes(input);
      const type = (a.type ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'image') {
        const button: FormButton = { label: a.value ?? '' };
        if (a.name) button.name = a.name;
        if (a.value !== undefined) button.value = a.value;
        form.buttons.push(button);
      } else if (a.name && !((type === 'checkbox' || type === 'radio') && !('checked' in a))) {
        form.fields.push({ name: a.name, value: a.value ?? (type === 'checkbox' ? 'on' : ''), type });
      }
    }
    for (const b of inner.match(/<button\b[^>]*>[\s\S]*?<\/button\s*>/gi) ?? []) {
      const open = /^<button\b[^>]*>/i.exec(b)?.[0] ?? '';
      const a = attributes(open);
      if ((a.type ?? 'submit').toLowerCase() !== 'submit') continue;
      const button: FormButton = { label: stripTags(b) };
      if (a.name) button.name = a.name;
      if (a.value !== undefined) button.value = a.value;
      form.buttons.push(button);
    }
    const selectRe = /<select\b[^>]*>([\s\S]*?)<\/select\s*>/gi;
    for (let s = selectRe.exec(inner); s; s = selectRe.exec(inner)) {
      const a = attributes(/^<select\b[^>]*>/i.exec(s[0])?.[0] ?? '');
      if (!a.name) continue;
      const options = [...(s[1] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)(?=<option\b|$)/gi)].map((o) => {
        const oa = attributes(`<option ${o[1] ?? ''}>`);
        const label = stripTags((o[2] ?? '').replace(/<\/option\s*>[\s\S]*$/i, ''));
        return { value: oa.value ?? label, label, selected: 'selected' in oa };
      });
      form.selects.push({ name: a.name, options });
    }
    for (const t of inner.match(/<textarea\b[^>]*>[\s\S]*?<\/textarea\s*>/gi) ?? []) {
      const a = attributes(/^<textarea\b[^>]*>/i.exec(t)?.[0] ?? '');
      if (a.name) form.fields.push({ name: a.name, value: decodeEntities(t.replace(/^<textarea\b[^>]*>/i, '').replace(/<\/textarea\s*>$/i, '')), type: 'textarea' });
    }
    forms.push(form);
  }
  return forms;
}

/** The visible text of a page, for error messages (first 300 characters). */
export function pageText(html: string): string {
  const body = /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  return stripTags(body.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')).slice(0, 300);
}
