# promowatch in a container: Node 20 on Debian 12, Debian's headless Chromium for rendered checks and
# result pages, a non-root user, the database and evidence on the /data volume.
# Build: docker build -t promowatch .   Run: see compose.yaml, or
#   docker run -v promowatch-data:/data -v ./promowatch.config.json:/etc/promowatch/promowatch.config.json:ro \
#     --env-file .env -p 8787:8787 promowatch

# Dependencies are installed in a stage with a compiler, in case better-sqlite3 has no prebuilt binary
# for this platform; the final image has none of it.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev: tsx, which runs the TypeScript sources (src/cli/bin.mjs), is a runtime dependency.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium-headless-shell fonts-dejavu-core ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /data --shell /usr/sbin/nologin promowatch \
 && mkdir -p /data /etc/promowatch \
 && chown promowatch:promowatch /data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY src ./src
COPY jobs ./jobs
COPY web ./web

ENV NODE_ENV=production \
    PROMOWATCH_DB=/data/promowatch.db \
    PROMOWATCH_CONFIG=/etc/promowatch/promowatch.config.json \
    PROMOWATCH_CHROMIUM=/usr/bin/chromium-headless-shell \
    PROMOWATCH_HOST=0.0.0.0 \
    PROMOWATCH_PORT=8787
USER promowatch
VOLUME /data
EXPOSE 8787
# /healthz answers 200 while the database answers and the scheduler beats (src/ops/health.ts).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8787/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini passes SIGTERM on, so "start" finishes running jobs within shutdownGraceSeconds.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "src/cli/bin.mjs"]
CMD ["start"]
