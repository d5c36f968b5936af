/**
 * A tiny ordered XML tree over fast-xml-parser, keeping comments: the role rule needs to see the comment that
 * explains each permission, and order matters in deploy.xml.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  kind: 'element';
  name: string;
  /** 1-based line of the element's start tag in the source text. */
  line: number;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export interface XmlText {
  kind: 'text';
  text: string;
}
export interface XmlComment {
  kind: 'comment';
  text: string;
}
export type XmlNode = XmlElement | XmlText | XmlComment;

export class XmlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'XmlSyntaxError';
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  commentPropName: '#comment',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type RawNode = Record<string, unknown>;

function textOf(raw: unknown): string {
  if (!Array.isArray(raw)) return '';
  return raw.map((n: RawNode) => (typeof n['#text'] === 'string' ? n['#text'] : '')).join('');
}

function convert(raw: RawNode): XmlNode | undefined {
  if ('#text' in raw) return { kind: 'text', text: String(raw['#text']) };
  if ('#comment' in raw) return { kind: 'comment', text: textOf(raw['#comment']).trim() };
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined) return undefined;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries((raw[':@'] as Record<string, unknown> | undefined) ?? {})) {
    attributes[key] = String(value);
  }
  const children = ((raw[name] as RawNode[] | undefined) ?? []).map(convert).filter((n): n is XmlNode => n !== undefined);
  return { kind: 'element', name, line: 0, attributes, children };
}

/**
 * Lines of the start tags in document order. fast-xml-parser reports no positions, so the source is scanned:
 * comments, CDATA sections, processing instructions and declarations are skipped, closing tags ignored. The
 * order of start tags in the text is the pre-order of the element tree.
 */
export function startTagLines(text: string): number[] {
  const lines: number[] = [];
  const token = /<(!--[\s\S]*?-->|!\[CDATA\[[\s\S]*?\]\]>|\?[\s\S]*?\?>|![^>]*>|\/|[A-Za-z_:])/g;
  let line = 1;
  let scanned = 0;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    const body = match[1]!;
    if (body.length > 1 || body === '/') continue;
    for (let i = scanned; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
    scanned = match.index;
    lines.push(line);
  }
  return lines;
}

function assignLines(root: XmlElement, lines: number[]): void {
  let next = 0;
  const visit = (element: XmlElement) => {
    element.line = lines[next++] ?? 0;
    for (const child of element.children) if (child.kind === 'element') visit(child);
  };
  visit(root);
}

/** Parses a document and returns its root element. Throws XmlSyntaxError with a position. */
export function parseXml(text: string): XmlElement {
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw new XmlSyntaxError(verdict.err.line, verdict.err.col, verdict.err.msg);
  const nodes = (parser.parse(text) as RawNode[]).map(convert);
  const roots = nodes.filter((n): n is XmlElement => n?.kind === 'element');
  if (roots.length !== 1) throw new XmlSyntaxError(1, 1, `expected one root element, found ${roots.length}`);
  assignLines(roots[0]!, startTagLines(text));
  return roots[0]!;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.kind === 'element' && (name === undefined || c.name === name));
}

export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  return childElements(element, name)[0];
}

export function textContent(element: XmlElement | undefined): string {
  if (!element) return '';
  return element.children.map((c) => (c.kind === 'text' ? c.text : c.kind === 'element' ? textContent(c) : '')).join('').trim();
}

/** Text of a direct child element, or '' when absent. */
export function childText(element: XmlElement, name: string): string {
  return textContent(childElement(element, name));
}

/** The comments directly before a child (only whitespace between), plus those inside it. */
export function commentsFor(parent: XmlElement, child: XmlElement): string[] {
  const index = parent.children.indexOf(child);
  const before: string[] = [];
  for (let i = index - 1; i >= 0; i--) {
    const node = parent.children[i]!;
    if (node.kind === 'comment') before.unshift(node.text);
    else if (node.kind === 'element') break;
  }
  const inside = child.children.filter((c): c is XmlComment => c.kind === 'comment').map((c) => c.text);
  return [...before, ...inside];
}
