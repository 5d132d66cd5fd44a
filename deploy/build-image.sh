#!/usr/bin/env bash
# Build kpi-bot's image (the Dockerfile at the project's root) as localhost/kpi-bot:latest, or the tag
# in KPI_IMAGE. Node.js 24 and npm come from the npm registry (`npm pack`, checked against its
# integrity hashes) into deploy/.node/, which the image's first stage installs. Extra arguments go to
# the build (e.g. --build-arg BASE=debian:bookworm-slim). Uses podman, or docker where podman is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE="${KPI_IMAGE:-localhost/kpi-bot:latest}"
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) echo "no Node.js build for $(uname -m)" >&2; exit 1 ;; esac
mkdir -p deploy/.node
if [ ! -f deploy/.node/node.tgz ] || [ ! -f deploy/.node/npm.tgz ]; then
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "node-linux-$arch@${KPI_NODE_MAJOR:-24}" "npm@11" >/dev/null)
  mv "$work"/node-linux-*.tgz deploy/.node/node.tgz
  mv "$work"/npm-*.tgz deploy/.node/npm.tgz
  rm -rf "$work"
fi
# The CA bundle this machine trusts (npm's cafile, else the system's), for the image's `npm ci` where a
# TLS-inspecting proxy stands before the registry (KPI_NPM_CAFILE to choose another).
ca="${KPI_NPM_CAFILE:-$(npm config get cafile 2>/dev/null || true)}"
if [ -z "$ca" ] || [ "$ca" = null ]; then ca=/etc/ssl/certs/ca-certificates.crt; fi
secret=()
if [ -n "$ca" ] && [ "$ca" != null ] && [ -f "$ca" ]; then secret=(--secret "id=npm_ca,src=$ca"); fi
if command -v podman >/dev/null; then
  # The Docker format keeps the HEALTHCHECK (OCI images have none).
  podman build --format docker --network host "${secret[@]}" -t "$IMAGE" "$@" .
else
  DOCKER_BUILDKIT=1 docker build "${secret[@]}" -t "$IMAGE" "$@" .
fi
