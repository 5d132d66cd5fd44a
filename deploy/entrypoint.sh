#!/bin/sh
# The image's entrypoint. Secrets from files: each NAME_FILE in the environment (a compose or Kubernetes
# secret mounted as a file) becomes NAME, read from that file (its trailing newline dropped), so no
# secret has to sit in the environment of the compose file. Then the command runs.
set -eu
for name in $(env | sed -n 's/^\([A-Z][A-Z0-9_]*\)_FILE=.*/\1/p'); do
  file="$(printenv "${name}_FILE")"
  if [ ! -r "$file" ]; then
    echo "kpi-bot: ${name}_FILE names ${file}, which cannot be read" >&2
    exit 1
  fi
  value="$(cat "$file")"
  export "$name=$value"
  unset "${name}_FILE"
done
exec "$@"
