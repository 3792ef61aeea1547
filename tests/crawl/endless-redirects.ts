// A site whose home page links to /r/0, and /r/N redirects to /r/N+1 forever: the endless chain the
// redirect-hop limit must stop (tests/crawl/crawler-hostile.test.ts in one process,
// tests/crawl/redirect-chain-batches.test.ts across batches). Records each /r/N fetched, in order.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function endlessRedirects(fetched: string[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const n = /^\/r\/(\d+)$/.exec(req.url!);
    if (n) {
      fetched.push(req.url!);
      return res.writeHead(302, { location: `/r/${Number(n[1]) + 1}` }).end();
    }
    if (req.url === '/')
      return res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<title>Home</title><a href="/r/0">r</a>');
    res.writeHead(404).end();
  };
}
