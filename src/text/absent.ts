/**
 * The result of a file-system call, or `absent` when the path is not there
 * (ENOENT, ENOTDIR) or leads nowhere (ELOOP, a link that loops): for the many places where a missing file or folder is
 * an answer, not a problem. Any other failure — a permission, a full disk —
 * is thrown as it is, never taken for a missing file.
 */
export async function unlessMissing<T, A = null>(call: Promise<T>, absent: A = null as A): Promise<T | A> {
  try {
    return await call;
  } catch (error) {
    if (isMissing(error)) return absent;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}
