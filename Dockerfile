# kpi-bot's image: the compiled build on Node.js 24, production dependencies only, run as a user
# without privileges. Build it with deploy/build-image.sh (it fetches Node.js and npm from the npm
# registry into deploy/.node/ first, then runs `podman build` or `docker build`):
#   deploy/build-image.sh                        # FROM localhost/kpi-base:bookworm (deploy/base-image.sh)
#   deploy/build-image.sh --build-arg BASE=debian:bookworm-slim   # where an image registry is reachable
# Stages: node (Debian + Node.js 24 and npm from the npm registry's node-linux-<arch> and npm, installed
# by bin/install-node), build (compilers and headers; npm ci, prisma generate, npm run build, then the
# development packages pruned), runtime (Debian, the node binary, the libraries canvas and Chromium
# load, dist/, node_modules).
ARG BASE=localhost/kpi-base:bookworm

FROM ${BASE} AS node
# The packages are mounted, not copied: nothing of them stays in a layer.
RUN --mount=type=bind,source=deploy/.node,target=/tmp/node --mount=type=bind,source=bin/install-node,target=/tmp/install-node \
    KPI_NODE_TARBALL=/tmp/node/node.tgz KPI_NPM_TARBALL=/tmp/node/npm.tgz /tmp/install-node \
 && rm -rf /usr/local/share/doc /usr/local/share/man \
 && node --version

FROM node AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates build-essential python3 pkg-config \
      libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# canvas compiles against this node's headers; postinstall generates nothing yet (no sources copied).
# The build secret npm_ca (optional) is a CA bundle for the registry, where a TLS-inspecting proxy
# stands between (deploy/build-image.sh passes npm's own cafile): used for this step, not kept.
RUN --mount=type=secret,id=npm_ca \
    if [ -s /run/secrets/npm_ca ]; then export npm_config_cafile=/run/secrets/npm_ca; fi \
 && npm_config_nodedir=/usr/local npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY prisma ./prisma
COPY bin ./bin
COPY src ./src
COPY commands ./commands
COPY jobs ./jobs
RUN npm run --silent generate && npm run --silent build && npm prune --omit=dev --no-audit --no-fund

# The runtime has node alone: no npm, no headers, no compilers.
FROM ${BASE} AS runtime
ARG CHROMIUM=chromium
# The shared libraries canvas loads, Chromium for PDF reports (CHROMIUM= leaves it out: reports then
# come as XLSX and Markdown only), fonts for charts and reports.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
      libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libjpeg62-turbo libgif7 librsvg2-2 fonts-dejavu-core ${CHROMIUM} \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man \
 && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin kpi \
 && mkdir -p /data && chown kpi:kpi /data
COPY --from=node /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY prisma ./prisma
COPY deploy/entrypoint.sh /usr/local/bin/kpi-entrypoint
# `kpi …` (also by `docker exec`) reads the secrets as the bot does.
RUN printf '#!/bin/sh\nexec kpi-entrypoint node /app/dist/kpi.js "$@"\n' > /usr/local/bin/kpi && chmod 755 /usr/local/bin/kpi /usr/local/bin/kpi-entrypoint
USER kpi
ENV NODE_ENV=production PORT=3000 \
    KPI_DATA_DIR=/data/pglite KPI_CACHE_DIR=/data/cache KPI_OUT_DIR=/data/out KPI_CHROMIUM=/usr/bin/chromium
VOLUME /data
EXPOSE 3000
# Alive: /healthz. (Ready, for a load balancer: /readyz — 503 while the database does not answer.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["kpi-entrypoint"]
CMD ["node", "dist/main.js"]
