import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The README front page and the docs/ pages: every relative link resolves (file and #anchor), and every code block
// is either run by a test (`<!-- tested-by: path -->`, its text found in that file, which a test runs) or marked
// `<!-- not-run -->` on the line before the fence.

const ROOT = join(__dirname, '..', '..');
const PAGES = [
  'README.md',
  'examples/README.md',
  ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered -1, -2… */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = heading[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
}

interface Link {
  page: string;
  line: number;
  target: string;
}

function linksOf(page: string, markdown: string): Link[] {
  const links: Link[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*```/.test(text)) fenced = !fenced;
    if (fenced) return;
    const withoutCode = text.replace(/`[^`]*`/g, '');
    for (const m of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (/^(https?:|mailto:)/.test(target)) continue;
      links.push({ page, line: index + 1, target });
    }
  });
  return links;
}

interface Block {
  page: string;
  line: number;
  marker: string | undefined;
  body: string;
}

function codeBlocksOf(page: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```/.exec(lines[i]!);
    if (!open) continue;
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    const marker = previous >= 0 ? /^\s*<!--\s*(not-run|tested-by:\s*\S+)\s*-->\s*$/.exec(lines[previous]!)?.[1] : undefined;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    blocks.push({ page, line: i + 1, marker, body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

const normalized = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');

describe('docs', () => {
  it('the README front page stays under ~10 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(10 * 1024);
  });

  it('every relative link resolves to a file, and every #anchor to a heading there', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      const markdown = readFileSync(join(ROOT, page), 'utf8');
      for (const link of linksOf(page, markdown)) {
        const [pathPart, anchor] = link.target.split('#', 2) as [string, string | undefined];
        const file = pathPart === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), decodeURIComponent(pathPart));
        const where = `${link.page}:${link.line} ${link.target}`;
        if (!existsSync(file)) {
          broken.push(`${where}: no file ${relative(ROOT, file)}`);
          continue;
        }
        if (anchor !== undefined && anchor !== '') {
          if (!file.endsWith('.md')) broken.push(`${where}: anchor on a non-Markdown file`);
          else if (!anchorsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${where}: no heading #${anchor} in ${relative(ROOT, file)}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('every code block is run by a test or marked not runnable', () => {
    const problems: string[] = [];
    for (const page of PAGES) {
      for (const block of codeBlocksOf(page, readFileSync(join(ROOT, page), 'utf8'))) {
        const where = `${block.page}:${block.line}`;
        if (block.marker === undefined) {
          problems.push(`${where}: mark the block <!-- not-run --> or <!-- tested-by: <file a test runs> -->`);
        } else if (block.marker.startsWith('tested-by:')) {
          const source = join(ROOT, block.marker.slice('tested-by:'.length).trim());
          if (!existsSync(source)) problems.push(`${where}: ${relative(ROOT, source)} does not exist`);
          else if (!normalized(readFileSync(source, 'utf8')).includes(normalized(block.body))) problems.push(`${where}: the block is not the text of ${relative(ROOT, source)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the anchor rules match GitHub for the headings this repository uses', () => {
    expect([...anchorsOf('## Client library: accounts, OAuth 2.0 grants, tokens and stores\n## The SDF project (`src/`)\n### Choices\n### Choices\n')]).toEqual([
      'client-library-accounts-oauth-20-grants-tokens-and-stores', 'the-sdf-project-src', 'choices', 'choices-1',
    ]);
  });
});
