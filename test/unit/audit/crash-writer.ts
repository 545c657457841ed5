/**
 * Child process for the crash test (crash.test.ts): appends records as fast as it can and
 * reports every acknowledgement on stdout ("ack <seq> <hash>") until it is killed with SIGKILL.
 * stdout is a pipe, and pipe writes are synchronous on Linux, so a reported ack was reported
 * before the kill. Not a test file itself (mocha runs *.test.ts only).
 */
import { AuditWriter } from '../../../lib/audit/writer';

// Only as a child process: loaded by a wider spec glob ("test/unit/**/*.ts"), it took the glob for its
// directory and wrote a trail there until mocha exited.
if (require.main === module) run(process.argv[2]);

function run(dir: string | undefined): void {
  if (!dir) {
    console.error('usage: crash-writer <dir>');
    process.exit(2);
  }
  const writer = new AuditWriter({ dir, instance: 'crash', rotateBytes: 64 * 1024, syncIntervalMs: 2, maxBatch: 128, maxQueue: 1000 });
  writer.on('repaired', (info: { removedBytes: number }) => process.stdout.write(`repaired ${info.removedBytes}\n`));
  writer.on('diskError', (err: Error) => process.stderr.write(`${err.message}\n`));

  let n = 0;
  function one(): void {
    const i = n++;
    // varied sizes and multi-byte text so torn lines can end anywhere, even inside a character
    const text = 'é€😀 '.repeat(i % 17) + 'x'.repeat((i * 7919) % 1500);
    writer.append({ kind: 'crash-test', conversationId: `c-${i % 5}`, data: { i, text } }).then(
      (ack) => {
        process.stdout.write(`ack ${ack.seq} ${ack.hash}\n`);
        one();
      },
      (err: Error) => {
        process.stderr.write(`append failed: ${err.message}\n`);
        process.exit(3);
      },
    );
  }

  writer.start().then(
    () => {
      process.stdout.write(`ready ${writer.head.seq}\n`);
      for (let k = 0; k < 200; k++) one();
    },
    (err: Error) => {
      process.stderr.write(`start failed: ${err.message}\n`);
      process.exit(4);
    },
  );
}
