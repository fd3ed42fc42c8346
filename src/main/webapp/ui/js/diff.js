// A line diff of two texts (the longest common subsequence of their lines), for a policy version
// against another. Policies are short; past MAX_LINES on either side the table it needs would be too
// large for a page, and the caller is told so instead.

export const MAX_LINES = 3000;

/**
 * The lines of `after` against `before`: [{op: ' ' | '-' | '+', text}], in order; null when either
 * has more than MAX_LINES lines.
 */
export function lineDiff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > MAX_LINES || b.length > MAX_LINES) return null;
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const lines = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ op: ' ', text: a[i] });
      i++;
      j++;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) {
      lines.push({ op: '-', text: a[i++] });
    } else {
      lines.push({ op: '+', text: b[j++] });
    }
  }
  while (i < a.length) lines.push({ op: '-', text: a[i++] });
  while (j < b.length) lines.push({ op: '+', text: b[j++] });
  return lines;
}
