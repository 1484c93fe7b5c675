#!/usr/bin/env bash
# The image's build steps, in one place: deploy/Dockerfile runs them, and CI runs them on a clone
# (deploy/check-build.sh), so they cannot rot. Steps, all three when none is named:
#   install   npm ci: every workspace's dependencies exactly as package-lock.json has them
#   compile   face/ (the worker threads load its JavaScript), web/ (static files), server/
#   prune     only production dependencies stay (no TypeScript, Vite, test or lint tools)
set -euo pipefail
cd "$(dirname "$0")/.."

run_step() {
  case "$1" in
    install) npm ci --no-audit --no-fund ;;
    compile)
      npm run build -w face
      npm run build -w web
      npm run build -w server
      ;;
    prune) npm prune --omit=dev --no-audit --no-fund ;;
    *) echo "deploy/build.sh: unknown step '$1' (install, compile, prune)" >&2; exit 2 ;;
  esac
}

if [ $# -eq 0 ]; then set -- install compile prune; fi
for step in "$@"; do run_step "$step"; done
