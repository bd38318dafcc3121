/** Cuts text to `width` columns with an ellipsis; pads when `pad` is set. */
export function fit(text: string, width: number, pad = false): string {
  if (width <= 0) return '';
  const chars = [...text];
  const cut = chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : text;
  return pad ? cut.padEnd(width) : cut;
}
