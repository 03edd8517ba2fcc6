import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { Diagnostic } from '../types';

/** Descriptors, `.env` files and values files above this size are not read. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface ReadResult {
  /** The file's text; undefined when it was refused or does not exist. */
  text?: string;
  /** Why it was refused, or that its bytes are not UTF-8 (the text is then still given, lossily decoded). */
  diagnostic?: Diagnostic;
}

/**
 * The one way the engine reads a file of the repository it assesses. Refused, with a diagnostic:
 * a path that leaves the repository (`..`, an absolute path, a symbolic link pointing outside it),
 * anything but a regular file (a FIFO would hang the run, a device never ends), and a file over
 * the size cap. A file that does not exist is simply absent (no diagnostic: callers decide).
 */
export function readRepoFile(root: string, rel: string, reportAs = rel): ReadResult {
  return readChecked(root, rel, reportAs, false);
}

/**
 * A descriptor that discovery found: it walked the repository without following links and kept
 * regular files under the size cap only, so the file's type is not asked again (one system call
 * fewer for each of thousands of files).
 */
export function readDiscovered(root: string, rel: string): ReadResult {
  return readChecked(root, rel, rel, true);
}

function readChecked(root: string, rel: string, reportAs: string, discovered: boolean): ReadResult {
  const refuse = (message: string, code = 'file-refused'): ReadResult => ({ diagnostic: { file: reportAs, line: 1, column: 1, severity: 'warning', code, message } });
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) {
    const inside = path.relative(root, path.resolve(root, rel));
    if (inside.startsWith('..') || path.isAbsolute(inside)) return refuse(`Not read: ${JSON.stringify(rel.slice(0, 200))} is outside the repository.`);
  }
  const abs = path.resolve(root, rel);
  if (discovered) return decode(abs, reportAs, refuse);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) {
      const real = fs.realpathSync(abs);
      const realRoot = fs.realpathSync(root);
      const inside = path.relative(realRoot, real);
      if (inside.startsWith('..') || path.isAbsolute(inside)) return refuse(`Not read: ${rel} is a symbolic link to a file outside the repository.`);
      st = fs.statSync(real);
    }
  } catch {
    return {};
  }
  if (!st.isFile()) return refuse(`Not read: ${rel} is not a regular file (a FIFO, device or folder).`);
  if (st.size > MAX_FILE_BYTES) return refuse(`Skipped: ${st.size} bytes is more than the ${MAX_FILE_BYTES}-byte limit for a descriptor.`, 'file-too-large');
  return decode(abs, reportAs, refuse);
}

function decode(abs: string, reportAs: string, refuse: (message: string, code?: string) => ReadResult): ReadResult {
  let bytes: Buffer;
  try {
    const got = readCapped(abs);
    if (typeof got === 'number') return refuse(`Skipped: ${got} bytes is more than the ${MAX_FILE_BYTES}-byte limit for a descriptor.`, 'file-too-large');
    bytes = got;
  } catch (e) {
    return refuse(`File could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'unreadable');
  }
  const text = bytes.toString('utf8');
  // Decoding turns invalid bytes into U+FFFD; only then are the bytes checked (the file may hold a real U+FFFD).
  if (!text.includes('\uFFFD') || isUtf8(bytes)) return { text };
  return { text, diagnostic: { file: reportAs, line: lineOfFirstInvalid(text), column: 1, severity: 'warning', code: 'invalid-utf8', message: 'The file is not valid UTF-8: invalid bytes were read as U+FFFD; names and values containing them may be wrong.' } };
}

/**
 * A file's bytes, or its size when that is over the cap. The size comes from the open file:
 * discovery lists files without asking each one's size, so a file is opened, measured and read
 * with no more system calls than reading it alone takes.
 */
function readCapped(abs: string): Buffer | number {
  const fd = fs.openSync(abs, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return size;
    if (size > 0) {
      // The size the file has now: read that much (one call, as a rule), no more.
      const buf = Buffer.allocUnsafe(size);
      let total = 0;
      for (let n = -1; total < size && n !== 0; total += n) n = fs.readSync(fd, buf, total, size - total, null);
      return total === size ? buf : buf.subarray(0, total);
    }
    // A size of 0 may be an empty file or one whose size is not known beforehand: read to the end, capped.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(64 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > MAX_FILE_BYTES) return total;
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

function lineOfFirstInvalid(text: string): number {
  const i = text.indexOf('\uFFFD');
  let line = 1;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}
