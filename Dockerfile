# syntax=docker/dockerfile:1
# The worker image (Fly.io, or the `worker` service of docker-compose.yml).
#   docker build -t scrapifie-worker .
#   docker run --env DATABASE_URL=postgres://... scrapifie-worker
# Stage 1 bundles the worker (`npm run build:worker` -> dist/worker); stage 2 installs only the
# packages the bundle leaves outside (dist/worker/package.json and its lock) and runs it.
#
# Node 20 is what the test suite runs on. pg-boss 12, puppeteer-core 25 and @sparticuz/chromium
# declare Node >= 22.12; move CI and this image to 22 together (--build-arg NODE_VERSION=22).
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lock omits other platforms' optional packages, which `npm ci`
# rejects (see .ci/run). No install scripts are needed to bundle.
RUN npm install --no-audit --no-fund --ignore-scripts
COPY . .
# The one install step we do need: patches/ fixes postgres.js losing a connection's writes when
# Postgres restarts (see patches/README.md).
RUN npx patch-package
RUN npm run build:worker

FROM node:${NODE_VERSION}-bookworm-slim
# Chromium is the headless shell shipped in @sparticuz/chromium (the binary the test suite runs,
# matched to puppeteer-core's protocol), not Debian's chromium package (another version, and
# ~300 MB of desktop dependencies). It links NSS and expat; fontconfig and the fonts render
# pages and screenshots (Latin, symbols, emoji).
RUN apt-get update \
  && apt-get install -y --no-install-recommends \
    ca-certificates \
    fonts-liberation \
    fonts-noto-color-emoji \
    libexpat1 \
    libfontconfig1 \
    libnss3 \
  && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    WORKER_HEALTH_PORT=8080
WORKDIR /app
# The app's files stay owned by root: the worker (user node) reads them and writes only to /tmp.
COPY --from=build /src/dist/worker/package.json /src/dist/worker/package-lock.json ./
# The subset lock holds no cross-platform optional packages, so `npm ci` works here.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /src/dist/worker/ ./

USER node
# Unpack Chromium into /tmp/chromium now, so the first browser job does not, and fail the build
# if a shared library it needs is missing.
RUN node --input-type=module -e "const { default: chromium } = await import('@sparticuz/chromium'); console.log(await chromium.executablePath());" \
  && if ldd /tmp/chromium | grep 'not found'; then exit 1; fi

EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WORKER_HEALTH_PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains: no new jobs, running ones get WORKER_SHUTDOWN_GRACE_SECONDS (20) to finish,
# the rest go back to the queue. Give the container that long plus ~10 s before SIGKILL
# (docker stop -t 30, compose stop_grace_period, fly kill_timeout).
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "index.mjs"]
