// Benchmark peer: linkinator 7's LinkChecker crawling the generated site; prints one JSON result line.
import { importPeer, parseRunnerArgs, printResult } from './peer-kit.mjs';

const { startUrl, maxPages } = parseRunnerArgs('linkinator');
const { LinkChecker, LinkState } = await importPeer('linkinator');

// linkinator has no page limit: it checks every link it finds under startUrl.
console.error(`linkinator has no page limit; maxPages ${maxPages} is not applied`);

// linkinator's results carry no content type, and it GETs every same-site URL it recurses into (the logo
// too). To count HTML pages alone, note which URLs answered 2xx text/html. It calls the global fetch
// (build/src/index.js makeRequest), so a pass-through wrapper sees every request; reading a header is
// the only extra work.
const htmlUrls = new Set();
let httpRequests = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  httpRequests++;
  const type = response.headers.get('content-type') ?? '';
  if (response.ok && type.startsWith('text/html'))
    htmlUrls.add(typeof input === 'string' ? input : input.url);
  return response;
};

const checker = new LinkChecker();
const started = performance.now();
const result = await checker.check({
  path: startUrl,
  recurse: true,
  concurrency: 50,
  // No per-request timeout (linkinator's default): a timer also covers reading and parsing the body, which
  // waits behind linkinator's own work on a big crawl, so pages got reported BROKEN; the driver bounds the run.
});
const seconds = (performance.now() - started) / 1000;

// A broken URL is reported once per page linking to it, an OK one once: count distinct URLs.
const ok = new Set();
const broken = new Set();
for (const link of result.links) {
  if (link.state === LinkState.OK) ok.add(link.url);
  else if (link.state === LinkState.BROKEN) broken.add(link.url);
}
const pages = [...ok].filter((url) => htmlUrls.has(url)).length;
// Broken for another reason than a 404 (status 0: the request itself failed): shown so a count is explained.
const oddities = result.links.filter((link) => link.state === LinkState.BROKEN && link.status !== 404);
for (const link of oddities.slice(0, 5)) {
  const detail = link.failureDetails?.[0];
  const why = detail instanceof Error ? `${detail.message}${detail.cause ? ` (${detail.cause})` : ''}` : '';
  console.error(`broken with status ${link.status}: ${link.url} ${why}`);
}
console.error(
  `results ${result.links.length}, distinct OK ${ok.size} (HTML ${pages}), distinct BROKEN ${broken.size}, ` +
    `HTTP requests made ${httpRequests}`,
);
printResult({ tool: 'linkinator', pages, requests: ok.size + broken.size, seconds });
