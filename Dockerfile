# syntax=docker/dockerfile:1
# Aurora's container image (docs/operations.md, "The container image").
#
# Node.js 22 LTS: the release line oidc-provider (the network's OpenID Provider) supports; Node 20,
# which the development machines run, is past its end of life. The major version is pinned here;
# rebuild regularly for its security releases.
#
#   docker build -t aurora .                        # without libvoikko (the shipped lexicon suffices)
#   docker build --build-arg VOIKKO=on -t aurora .  # with libvoikko for Finnish words the lexicon lacks
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: every dependency, the compiled server (dist/) and the web apps (web/dist/) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts would skip argon2's and koffi's prebuilt binaries; install scripts are wanted.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY web ./web
COPY data ./data
RUN npm run build

# --- production dependencies only, installed apart so that no dev dependency reaches the image ---
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
ARG VOIKKO=off
RUN if [ "$VOIKKO" = "on" ]; then \
      apt-get update && apt-get install -y --no-install-recommends libvoikko1 voikko-fi && rm -rf /var/lib/apt/lists/*; \
    fi
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    AURORA_DATA_DIR=/var/lib/aurora
WORKDIR /app
# Owned by root and not writable by the server's user: the code cannot be changed by the process
# running it, and the image runs with a read-only root file system (compose: read_only: true).
COPY package.json ./
COPY bin ./bin
COPY data ./data
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# The only places the server writes: the PGlite data folder (unused with DATABASE_URL; mount a
# volume there for PGlite) and /tmp (mount a tmpfs when the root file system is read-only).
RUN mkdir -p /var/lib/aurora && chown node:node /var/lib/aurora && chmod 0700 /var/lib/aurora
VOLUME ["/var/lib/aurora"]
# The node user (uid 1000) of the official image.
USER node
EXPOSE 8080
# The server answers SIGTERM by turning /ready to 503, serving AURORA_SHUTDOWN_DRAIN_SECONDS more,
# then finishing what is in flight: give it longer than that to stop (compose: stop_grace_period).
STOPSIGNAL SIGTERM
# Liveness (/health): the process answers. Readiness (/ready: database reachable, migrations applied,
# not stopping) is for the load balancer; a container should not be restarted because its database
# is briefly away. The first start loads the recommender's index: give it time.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly, not npm: signals reach the server, and no npm cache is written. The compiled build:
# no TypeScript compiler is loaded. `docker exec … node bin/aurora.js <command>` runs the CLI.
CMD ["node", "--max-semi-space-size=64", "--no-allocation-site-pretenuring", "dist/cli.js", "serve"]
