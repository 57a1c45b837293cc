# vor-watch container: Node 20 on Debian bookworm, Debian's Chromium for `verify`/`smoke`, non-root.
# Not built or published by this repository's CI: it is linted there (test/deploy-kit.test.ts).
#   docker build -t registry.example/vor/vor-watch:1.0.0 .
#   docker run --rm -e VOR_BASE_URL=https://app.example -p 9464:9464 registry.example/vor/vor-watch:1.0.0
#
# Two stages: the first compiles the TypeScript into dist/ (`npm run build`, which needs the dev
# dependencies); the image itself has the production dependencies and that build, which
# bin/vor-watch.js runs. The Playwright specs (smoke/) run from their TypeScript sources through
# Playwright's own loader, so the sources come along too; tsx does not.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim

# Debian's Chromium headless shell, the kind of browser Playwright runs headless tests in (found through
# VOR_CHROMIUM_PATH; Playwright downloads no browser of its own), and
# the CA bundle; tini reaps Chromium's child processes and forwards SIGTERM to vor-watch.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium-headless-shell fonts-liberation ca-certificates tini \
    && rm -rf /var/lib/apt/lists/*

# GLIBC_TUNABLES: Node reads sockets into 64 kB buffers that glibc's malloc serves from its heap,
# where the pieces the Buffers are trimmed to keep the rest from being given back: with 100 targets the
# monitor's average RSS was about 10 MB lower with these buffers mmap'ed. Two arenas rather than one per
# thread (V8's helper threads): no gain beyond run-to-run noise, kept as the usual advice for
# long-running services. bench/monitor.ts applies the same value, read from this file.
ENV NODE_ENV=production \
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536:glibc.malloc.trim_threshold=131072:glibc.malloc.arena_max=2 \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    VOR_CHROMIUM_PATH=/usr/bin/chromium-headless-shell \
    VOR_REPORTS_DIR=/tmp/reports

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
COPY --from=build /app/dist ./dist

# A fixed numeric id, so Kubernetes' runAsNonRoot can verify it (deploy/k8s/monitor.yaml uses 10001).
RUN groupadd --gid 10001 vor && useradd --uid 10001 --gid vor --no-create-home --shell /usr/sbin/nologin vor
USER 10001:10001

EXPOSE 9464
# The monitor's /healthz (the default command); a one-shot `verify` or `gate` run serves none.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# --optimize-for-size: V8 sizes its young generation and heap growth at start-up, so the monitor's own
# setFlagsFromString (src/monitor/heap.ts) comes too late for part of it. Given here, the monitor of
# 100 targets measured 111 MB average and 121 MB peak RSS against 123 and 143 without it, for the same
# CPU (150-s runs of bench/monitor.ts, which reads these flags); the one-shot commands hardly notice.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--optimize-for-size", "bin/vor-watch.js"]
CMD ["monitor", "--listen", "0.0.0.0:9464"]
