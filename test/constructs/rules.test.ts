import { cronSchedule, ingressHost, parseQuantity, pinnedImage, portName } from '../../constructs/internal/rules';

describe('rule functions', () => {
  test('parseQuantity understands decimal, binary, milli and exponent forms', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('2G')).toBe(2e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1GB')).toBeUndefined();
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('.')).toBeUndefined();
  });

  test('pinnedImage accepts tags and digests anywhere a registry port may be', () => {
    expect(pinnedImage('registry:5000/app:1.0')).toBeUndefined();
    expect(pinnedImage('localhost:5000/team/app:v2-rc.1')).toBeUndefined();
    expect(pinnedImage(`app@sha256:${'0'.repeat(64)}`)).toBeUndefined();
    expect(pinnedImage('app')).toBeDefined();
    expect(pinnedImage('app:')).toBeDefined();
    expect(pinnedImage('app:LATEST')).toBeUndefined();
  });

  test('portName, ingressHost and cronSchedule accept the valid forms', () => {
    expect(portName('http-metrics')).toBeUndefined();
    expect(portName('a--b')).toBeDefined();
    expect(ingressHost('*.example.com')).toBeUndefined();
    expect(ingressHost('example')).toBeDefined();
    expect(cronSchedule('0 0 * * sun')).toBeUndefined();
    expect(cronSchedule('0,30 */2 1-15 * *')).toBeUndefined();
  });
});
