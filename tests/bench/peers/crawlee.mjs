// Benchmark peer: Crawlee 3's CheerioCrawler crawling the generated site; prints one JSON result line.
import { importPeer, parseRunnerArgs, printResult } from './peer-kit.mjs';

const { startUrl, maxPages } = parseRunnerArgs('crawlee');
const { CheerioCrawler, Configuration, log, LogLevel } = await importPeer('crawlee');

log.setLevel(LogLevel.ERROR);

let pages = 0;
let notOk = 0;
let failed = 0;
/**
 * URLs this crawl has already enqueued. Near maxRequestsPerCrawl, Crawlee 3.18 adds a page's links in chunks
 * as small as the remaining budget and sleeps 1 s after each chunk (RequestProvider.addRequestsBatched,
 * waitBetweenBatchesMillis), and links already in the queue do not use up the budget; with 22 links a page
 * this stalled 2,000-page crawls for 15-60 s. Passing only new links keeps each call to one chunk.
 */
const enqueued = new Set([startUrl]);

const crawler = new CheerioCrawler(
  {
    minConcurrency: 20,
    maxConcurrency: 50,
    // CheerioCrawler's defaults start the pool at 10 tasks whatever minConcurrency says and scale up 5% per
    // 10 s; start at minConcurrency instead, keeping the rest of those defaults (http-crawler.js).
    autoscaledPoolOptions: {
      desiredConcurrency: 20,
      snapshotterOptions: { eventLoopSnapshotIntervalSecs: 2, maxBlockedMillis: 100 },
      systemStatusOptions: { maxEventLoopOverloadedRatio: 0.7 },
    },
    maxRequestsPerCrawl: maxPages,
    maxRequestRetries: 0,
    // Crawlee hands 4xx responses to the request handler (only 5xx count as errors), so 404s land here.
    async requestHandler({ response, enqueueLinks }) {
      if (response.statusCode < 200 || response.statusCode >= 300) {
        notOk++;
        return;
      }
      pages++;
      await enqueueLinks({
        strategy: 'same-domain',
        transformRequestFunction(request) {
          if (enqueued.has(request.url)) return false;
          enqueued.add(request.url);
          return request;
        },
      });
    },
    failedRequestHandler() {
      failed++;
    },
  },
  // In-memory request queue and datasets: nothing written under ./storage.
  new Configuration({ persistStorage: false, logLevel: LogLevel.ERROR }),
);

const started = performance.now();
await crawler.run([startUrl]);
const seconds = (performance.now() - started) / 1000;

console.error(`2xx ${pages}, other status ${notOk}, failed ${failed}`);
printResult({ tool: 'crawlee', pages, requests: pages + notOk + failed, seconds });
