#!/usr/bin/env bash
# CI: the image's build, without a container engine. On a clone of the committed tree: run
# deploy/build.sh (npm ci, build, prune; with CHECK_BUILD_REUSE_NODE_MODULES=1, a copy of the
# checkout's node_modules instead of npm ci when the lock files are the same), lay out the files the Dockerfile's runtime stage copies
# (its `COPY --from=build` lines, read from the Dockerfile itself), and from that layout alone run
# `migrate`, then `serve`, until /readyz answers 200; then SIGTERM, and it must exit 0.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/pinokio-build-check.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet --no-hardlinks "$repo" "$work/build"
if [ "${CHECK_BUILD_REUSE_NODE_MODULES:-}" = 1 ] && cmp -s "$repo/package-lock.json" "$work/build/package-lock.json" && [ -d "$repo/node_modules" ]; then
  # CI has just run `npm ci` from this same lock file in the checkout: a copy of its node_modules
  # stands in for the install step (a copy, not hard links: prune rewrites files in place)
  cp -a "$repo/node_modules" "$work/build/node_modules"
  for nested in "$repo"/*/node_modules; do
    if [ -d "$nested" ]; then cp -a "$nested" "$work/build/$(basename "$(dirname "$nested")")/node_modules"; fi
  done
  (cd "$work/build" && deploy/build.sh compile prune)
else
  (cd "$work/build" && deploy/build.sh)
fi

# the runtime stage: exactly the paths the Dockerfile copies
runtime="$work/runtime"
mkdir -p "$runtime"
grep -E '^COPY --from=build ' "$repo/deploy/Dockerfile" | while read -r _ _ source target; do
  source="${source#/app/}"
  # "dir/" copies into that folder; "dir/name" copies as that name (Docker's COPY rules for one source)
  case "$target" in
    */) mkdir -p "$runtime/$target" ;;
    *) mkdir -p "$(dirname "$runtime/$target")" ;;
  esac
  cp -a "$work/build/$source" "$runtime/$target"
done
echo "runtime layout: $(du -sh "$runtime" | cut -f1) ($(du -sh "$runtime/node_modules" | cut -f1) of production dependencies)"

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export DATA_DIR="$work/data" HOST=127.0.0.1 PORT="$port" DEVICE_GRPC_PORT=0 SEED_DEMO=never DRAIN_DELAY_SECONDS=1 NODE_ENV=production
cd "$runtime"
node server/dist/main.js migrate
node server/dist/main.js serve > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/serve.log"; echo "serve exited while starting" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" || { cat "$work/serve.log"; echo "/readyz did not answer 200 within 60 s" >&2; exit 1; }
echo
curl -fsS -o /dev/null "http://127.0.0.1:$port/login" || { echo "the web app is not served" >&2; exit 1; }
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" -ne 0 ]; then cat "$work/serve.log"; echo "serve exited with $status after SIGTERM" >&2; exit 1; fi
echo "the pruned runtime layout migrates, serves /readyz and stops cleanly on SIGTERM"
