-- Crawl batches shared by several workers (issue 17): when a URL was claimed for fetching, so that a
-- claim whose worker died (its URLs left 'fetching') can be taken again once older than the task lease.
ALTER TABLE crawl_urls ADD COLUMN claimed_at TEXT;
