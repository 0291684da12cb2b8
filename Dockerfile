# The delivery job (docs/deploy.md): `dienhinh deliver --all-campaigns` as a Cloud Run job, with
# Debian's Chromium for the PDFs. scripts/deploy builds it with `gcloud builds submit`.

# Build: all dependencies, TypeScript compiled, then the devDependencies removed.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# puppeteer-core never downloads a browser; this keeps anything else from trying.
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json ./
# --ignore-scripts: the package's "prepare" script runs tsc, and the sources are not here yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY functions/src functions/src
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Run: Node, Chromium and what the program reads at run time. No font packages: the documents
# inline Tinos from @fontsource/tinos (functions/src/infra/fonts.ts).
FROM node:22-bookworm-slim
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  CHROMIUM_PATH=/usr/bin/chromium \
  PUPPETEER_SKIP_DOWNLOAD=true
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/functions/lib functions/lib
COPY functions/data functions/data
COPY templates templates
COPY sheets-config sheets-config
# The default output folder (--out out), writable by the user the job runs as.
RUN mkdir out && chown node:node out
USER node
ENTRYPOINT ["node", "functions/lib/cli/main.js"]
CMD ["deliver", "--all-campaigns"]
