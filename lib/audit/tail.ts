import type { FileHandle } from 'node:fs/promises';

const CHUNK = 64 * 1024;
const NL = 0x0a;

export interface FileTail {
  /** Offset just after the last `\n` (0 when the file holds no complete line). */
  completeEnd: number;
  /** The last complete line without its `\n`, or null. */
  lastLine: string | null;
}

/**
 * Reads a file backwards in chunks until it has the last complete line, so restarting on a large
 * trail costs one or two reads, not a scan. Bytes after the last `\n` are a torn (incomplete) line.
 */
export async function readTail(fh: FileHandle, size: number): Promise<FileTail> {
  let pos = size;
  let buf = Buffer.alloc(0);
  let lastNl = -1; // absolute offset of the last '\n'
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    const chunk = Buffer.alloc(len);
    await readFully(fh, chunk, pos);
    buf = buf.length ? Buffer.concat([chunk, buf]) : chunk;
    if (lastNl < 0) {
      const i = buf.lastIndexOf(NL);
      if (i >= 0) lastNl = pos + i;
    }
    if (lastNl >= 0 && lastNl - pos - 1 >= 0) {
      const j = buf.lastIndexOf(NL, lastNl - pos - 1);
      if (j >= 0) return { completeEnd: lastNl + 1, lastLine: buf.toString('utf8', j + 1, lastNl - pos) };
    }
  }
  if (lastNl < 0) return { completeEnd: 0, lastLine: null };
  return { completeEnd: lastNl + 1, lastLine: buf.toString('utf8', 0, lastNl) };
}

export async function readFully(fh: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw Object.assign(new Error('unexpected end of file'), { code: 'EIO' });
    done += bytesRead;
  }
}
