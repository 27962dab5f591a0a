# syntax=docker/dockerfile:1
# Build stage: install every package (better-sqlite3 compiles from source here), compile src/ and flows/
# to JavaScript in dist/ with tsc (`npm run build`, the same build CI tests), then drop the development
# packages (TypeScript, vitest, Biome) so that only what the bot runs on is copied on.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY flows ./flows
RUN npm run build && npm prune --omit=dev

# Run stage: the built JavaScript, run by plain node (no tsx, no TypeScript source), the production
# packages, and the data files it reads at run time (content/, locales/), as a non-root user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY content ./content
COPY locales ./locales
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness (/healthz), not readiness (/readyz): an orchestrator restarts an unhealthy container, and a
# restart does not bring back a database that is down; a process that cannot start exits 1 on its own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Stack traces point at the TypeScript lines (dist/ carries source maps).
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
