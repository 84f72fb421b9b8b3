# Permitwatch: the API server with its embedded libSQL database.
#   docker build -t permitwatch .
#   docker run -p 8080:8080 -v permitwatch-data:/data permitwatch

# --- build: install every dependency, compile TypeScript to dist/ (npm ci runs `prepare`) ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY src ./src
COPY fixtures ./fixtures
RUN npm ci && npm prune --omit=dev

# --- run: the compiled code and production dependencies only, as an unprivileged user ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    PERMITWATCH_HOST=0.0.0.0 \
    PERMITWATCH_DATABASE_URL=file:/data/permitwatch.db \
    PERMITWATCH_DEMO_DATABASE_URL=file:/data/demo.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /readyz checks the database and its migrations; /healthz only that the process answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/permitwatch.mjs", "serve"]
