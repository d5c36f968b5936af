/** deploy.xml paths start with `~` (the project folder). `dir/*` covers everything below dir; `*` elsewhere one name. */
export function deployPathPattern(deployPath: string): RegExp | undefined {
  const trimmed = deployPath.trim();
  if (!trimmed.startsWith('~/')) return undefined;
  const relative = trimmed.slice(2);
  const escaped = relative
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('\u0000');
  const source = escaped.endsWith('/\u0000') ? `${escaped.slice(0, -1)}.+` : escaped;
  return new RegExp(`^${source.replace(/\u0000/g, '[^/]*')}$`);
}

export function deployPathMatches(deployPath: string, relativeFile: string): boolean {
  return deployPathPattern(deployPath)?.test(relativeFile) ?? false;
}
