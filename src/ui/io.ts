/**
 * What the TUI may do outside itself on the user's request: write a file (`:w FILE`) and put
 * text on the clipboard (OSC 52). The command layer provides the real one; tests a recorder.
 */
export interface UiIo {
  writeFile(path: string, text: string): Promise<void>;
  /** sends the clipboard sequence to the terminal */
  copy(text: string): void;
}

export const NO_IO: UiIo = {
  writeFile: () => Promise.reject(new Error('writing files is not available in this session')),
  copy: () => {
    throw new Error('the clipboard is not available in this session');
  },
};

/**
 * OSC 52 "manipulate selection data", clipboard `c`, base64 of the UTF-8 bytes, BEL-terminated
 * (xterm ctlseqs: https://invisible-island.net/xterm/ctlseqs/ctlseqs.html, "Operating System
 * Commands", Ps = 5 2). Terminals that disallow it ignore the sequence.
 */
export function osc52(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `\u001b]52;c;${btoa(binary)}\u0007`;
}
