/**
 * What a flow can read in messages, as one string for leak checks: JSON without the runtime's
 * random `_msgid` and without the frames of error stacks. Both can hold any four digits by chance
 * (a hex id, a path or a line number), which made a check for "9017" fail once in CI.
 */
export function messageText(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === '_msgid') return undefined;
    if (key === 'stack' && typeof v === 'string') return v.split('\n').filter((line) => !/^\s+at /.test(line)).join('\n');
    return v;
  });
}
