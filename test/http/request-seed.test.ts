import { formatRequestTime } from '../../src/http/request-seed.js';

describe('formatRequestTime', () => {
  it('formats each second in Common Log Format, whatever the order of the calls', () => {
    const t = Date.UTC(2020, 2, 4, 19, 15, 17);
    expect(formatRequestTime(t)).toBe('04/Mar/2020:19:15:17 +0000');
    expect(formatRequestTime(t + 999)).toBe('04/Mar/2020:19:15:17 +0000');
    expect(formatRequestTime(t + 1000)).toBe('04/Mar/2020:19:15:18 +0000');
    expect(formatRequestTime(t)).toBe('04/Mar/2020:19:15:17 +0000');
    expect(formatRequestTime(Date.UTC(2021, 11, 31, 23, 59, 59, 500))).toBe('31/Dec/2021:23:59:59 +0000');
    expect(formatRequestTime(Date.UTC(2022, 0, 1, 0, 0, 0))).toBe('01/Jan/2022:00:00:00 +0000');
  });
});
