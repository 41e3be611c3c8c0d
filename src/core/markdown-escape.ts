/**
 * Escapes text that comes from data (method names, descriptions, notes, labels) before it goes into a Markdown
 * document, so that no raw HTML passes through: GitHub and most renderers keep inline HTML such as `<script>` or
 * `<img onerror=...>`, and a `|` inside a table cell would start a new cell. The entities render as the
 * characters they stand for, so a plain name reads the same.
 */

/** `s` with `&`, `<` and `>` as HTML entities. */
export function markdownText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `s` for a Markdown table cell: `markdownText`, `|` escaped, and line breaks (which end a row) as spaces. */
export function markdownCell(s: string): string {
  return markdownText(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
