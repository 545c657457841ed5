/**
 * Preloaded into the demo's Node-RED process (node -r) by scripts/start.mjs, which spawns it with
 * an IPC channel. If the launcher dies without cleaning up (kill -9, a crashed terminal), the
 * channel closes and Node-RED stops itself instead of lingering on port 1880.
 */
if (typeof process.send === 'function') {
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
