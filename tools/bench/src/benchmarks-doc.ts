import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** One benchmark's section in docs/BENCHMARKS.md. */
export interface BenchmarkSection {
  readonly title: string;
  readonly command: string;
  readonly notes: readonly string[];
  readonly table: readonly string[];
}

/**
 * Replaces the section between `<!-- bench:ID -->` markers (or appends it), leaving every
 * other benchmark's figures as they were.
 */
export function writeBenchmarkSection(file: string, id: string, section: BenchmarkSection): void {
  const start = `<!-- bench:${id} -->`;
  const end = `<!-- /bench:${id} -->`;
  const body = [start, `## ${section.title}`, '', `Reproduce: \`${section.command}\``, '', ...section.notes.map((n) => `- ${n}`), '', ...section.table, end].join('\n');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nFigures from `tools/bench`, each with the command that reproduced it.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + body + current.slice(to + end.length) : `${current.trimEnd()}\n\n${body}\n`;
  writeFileSync(file, next);
}
