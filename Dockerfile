# The loadplan CLI as a container image, for `loadplan k8s` shards and CI runners:
#   docker build -t loadplan:0.1.0 .
#   docker run --rm --network host loadplan:0.1.0 run http://127.0.0.1:8080/ -d 10s
# test/cli/package-install.test.ts runs the production install below and the k8s pod script on it.

# Build: TypeScript to dist/, then the production dependencies alone. The full image has the
# compiler and Python that better-sqlite3 falls back to when no prebuilt binary fits.
FROM node:20-bookworm AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund
WORKDIR /app
RUN cp -r /src/package.json /src/package-lock.json /src/oclif.manifest.json /src/bin /src/dist /src/plans . \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && npm cache clean --force

# Run: the slim image of the same Node.js, so the native module built above loads.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
COPY --from=build /app /opt/loadplan
RUN ln -s /opt/loadplan/bin/run.js /usr/local/bin/loadplan
# uid 1000, as the manifests of `loadplan k8s` run it.
USER node
WORKDIR /plan
ENTRYPOINT ["loadplan"]
CMD ["--help"]
