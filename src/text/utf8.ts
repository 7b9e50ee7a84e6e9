// A buffer this thread encodes pages into, grown when a page needs more: each byte of UTF-16 text takes at most three in UTF-8.
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The UTF-8 bytes of `text`, in a buffer this thread reuses: valid only
 * until the next call, so for a synchronous write or digest right away.
 * `Buffer.from` gives a page of more than 4 kB a new backing store of its
 * own, which costs several times the encoding and feeds the garbage
 * collector (docs/performance.md); a page is encoded once, into this.
 */
export function utf8Scratch(text: string): Buffer {
  const most = text.length * 3;
  if (most > scratch.length) scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(most)));
  return scratch.subarray(0, scratch.write(text));
}
