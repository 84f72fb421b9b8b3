import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddress, checkHostLiteral, guardedConnector } from './target-guard.ts';
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
