// A local web server for browsers that make history in tests: one port on 127.0.0.1 that answers
// every host name, over plain HTTP and TLS alike (Chromium upgrades HSTS-preloaded names such as
// bing and youtube itself), and also as a proxy (Firefox sends whole URLs). Every page is a tiny
// HTML page with the title `titleFor(url)` gives; a page for which `nextAfter(url, { proxied })`
// names another URL goes on to it by itself, so a browser not driven by playwright can be led
// through a list.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

// The title a search engine's result page gets: the terms, as the engines put them in theirs.
export function searchPageTitle(url) {
  return `Results ${url.searchParams.get('q') || url.searchParams.get('search_query') || url.host}`;
}

// Starts the server, with its self-signed certificate in `dir`; resolves to { port, close }.
export async function startPageServer(dir, { titleFor, nextAfter = () => undefined }) {
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=clubsafe-test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const tls = createSecureContext({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
  const http = createHttpServer((request, response) => {
    // A request through a proxy names the whole URL.
    const proxied = /^https?:\/\//.test(request.url);
    const url = proxied ? new URL(request.url) : new URL(request.url, `http://${request.headers.host}`);
    const next = nextAfter(url, { proxied });
    const script = next ? `<script>setTimeout(() => { location.href = ${JSON.stringify(next)}; }, 500);</script>` : '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>${escapeHtml(titleFor(url))}</title><p>clubsafe test page</p>${script}`);
  });
  const server = createNetServer((socket) => socket.once('readable', () => {
    const first = socket.read(1);
    if (!first) { socket.destroy(); return; }
    socket.unshift(first);
    http.emit('connection', first[0] === 0x16 ? new TLSSocket(socket, { isServer: true, secureContext: tls }) : socket);
  }));
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { port: server.address().port, close: () => server.close() };
}
