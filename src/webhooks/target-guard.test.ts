import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDeliveryError } from './delivery-error.ts';
import {
  checkAddress,
  checkHostLiteral,
  guardedConnector,
  guardedLookup,
  resolveTarget,
  TargetBlockedError,
  type ResolveHost,
} from './target-guard.ts';
import { checkTargetUrl } from './target-url.ts';

describe('target guard: addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['224.0.0.1', 'multicast'],
  ])('refuses %s (%s)', (address, range) => {
    const verdict = checkAddress(address);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toContain(range);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('allows public %s', (address) => {
    expect(checkAddress(address)).toEqual({ ok: true });
  });

  it('refuses loopback names and literal private hosts at registration', () => {
    expect(checkHostLiteral('localhost').ok).toBe(false);
    expect(checkHostLiteral('api.localhost').ok).toBe(false);
    expect(checkHostLiteral('[::1]').ok).toBe(false);
    expect(checkHostLiteral('hooks.example.com').ok).toBe(true);
  });
});

describe('target URLs', () => {
  it('needs https, no credentials, a public host; private mode allows http and loopback', () => {
    expect(checkTargetUrl('https://hooks.example.com/in', false)).toEqual({ ok: true, url: 'https://hooks.example.com/in' });
    expect(checkTargetUrl('http://hooks.example.com/in', false)).toMatchObject({ ok: false, message: expect.stringContaining('https') });
    expect(checkTargetUrl('https://u:p@hooks.example.com/', false)).toMatchObject({
      ok: false,
      message: expect.stringContaining('credentials'),
    });
    expect(checkTargetUrl('https://169.254.169.254/latest', false)).toMatchObject({
      ok: false,
      message: expect.stringContaining('linkLocal'),
    });
    expect(checkTargetUrl('ftp://hooks.example.com/', true)).toMatchObject({ ok: false });
    expect(checkTargetUrl('not a url', false)).toMatchObject({ ok: false, message: expect.stringContaining('valid') });
    expect(checkTargetUrl(`https://example.com/${'a'.repeat(3000)}`, false)).toMatchObject({ ok: false });
    expect(checkTargetUrl('http://127.0.0.1:9/x', true)).toEqual({ ok: true, url: 'http://127.0.0.1:9/x' });
  });
});

describe('target guard: at delivery time, on the connected address', () => {
  let url = '';
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('ok');
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses a loopback connection before the request is written', async () => {
    const agent = new Agent({ connect: guardedConnector({ connectTimeoutMs: 1000, allowPrivate: false }) });
    await expect(request(url, { method: 'POST', body: 'x', dispatcher: agent })).rejects.toThrow(/loopback/);
    expect(hits).toBe(0);
    await agent.close();
  });

  it('connects when private targets are allowed', async () => {
    const agent = new Agent({ connect: guardedConnector({ connectTimeoutMs: 1000, allowPrivate: true }) });
    const res = await request(url, { method: 'POST', body: 'x', dispatcher: agent });
    expect(await res.body.text()).toBe('ok');
    expect(hits).toBe(1);
    await agent.close();
  });
});

describe('target guard: resolved before connecting (issue 16)', () => {
  const names: Record<string, string[]> = {
    'localhost.': ['127.0.0.1'],
    'ip6-localhost': ['::1'],
    'mixed.example': ['93.184.215.14', '10.1.2.3'],
    'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  };
  let calls = 0;
  const resolve: ResolveHost = async (host) => {
    calls++;
    if (!names[host]) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return names[host]!.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  it('judges every address a name resolves to', async () => {
    expect(await resolveTarget('localhost.', resolve)).toMatchObject({ ok: false, reason: 'non_public_address' });
    expect(await resolveTarget('ip6-localhost', resolve)).toMatchObject({ ok: false, message: expect.stringContaining('loopback') });
    expect(await resolveTarget('mixed.example', resolve)).toMatchObject({ ok: false, message: expect.stringContaining('private') });
    expect(await resolveTarget('nowhere.example', resolve)).toMatchObject({ ok: false, reason: 'unresolvable' });
    expect(await resolveTarget('[::1]', resolve)).toMatchObject({ ok: false, reason: 'non_public_address' });
    expect(await resolveTarget('public.example', resolve)).toEqual({ ok: true, addresses: expect.any(Array) });
  });

  it('hands the socket exactly the checked addresses (pinned), in both lookup shapes', async () => {
    const lookup = guardedLookup(resolve);
    const ask = (options: object) =>
      new Promise<unknown[]>((done) => lookup('public.example', options as never, (...args: unknown[]) => done(args)));
    expect(await ask({ all: true })).toEqual([null, [{ address: '93.184.215.14', family: 4 }, expect.objectContaining({ family: 6 })]]);
    expect(await ask({ family: 4 })).toEqual([null, '93.184.215.14', 4]);
    const [err] = await new Promise<unknown[]>((done) => lookup('localhost.', {} as never, (...args: unknown[]) => done(args)));
    expect(err).toBeInstanceOf(TargetBlockedError);
  });

  it('refuses a loopback name without opening a connection', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    server.on('connection', () => hits++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ connect: guardedConnector({ connectTimeoutMs: 1000, allowPrivate: false, resolve }) });
    calls = 0;
    const err = await request(`http://localhost.:${port}/`, { method: 'POST', body: 'x', dispatcher: agent }).catch((e: unknown) => e);
    expect(classifyDeliveryError(err)).toBe('target_blocked');
    expect(calls).toBe(1);
    expect(hits).toBe(0);
    await agent.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
});

describe('delivery errors are reported as words', () => {
  it.each([
    [new TargetBlockedError('127.0.0.1 is a loopback address'), 'target_blocked'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }), 'connection_failed'],
    [Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), 'connection_failed'],
    [Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), 'timeout'],
    [Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'timeout'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls_error'],
    [Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'tls_error'],
    [new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }) }), 'tls_error'],
    ['a string', 'connection_failed'],
  ])('%s → %s', (err, word) => {
    expect(classifyDeliveryError(err)).toBe(word);
  });
});
