#!/usr/bin/env bash
# Builds the same synthetic corpus with Hugo, Eleventy and broadsheet in one
# run (../shared/bench/compare.sh), with broadsheet's hooks filled in:
# cold build, rebuild with the output kept, and watch mode, whose rebuild
# line compare.sh waits for.
#
#   npm run bench:compare -- [N]        (default N=4000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PROJECT_NAME=broadsheet
export PROJECT_WATCH='node bin/broadsheet.js watch --content {content} --out {out}'
export PROJECT_WATCH_DONE='^\[broadsheet\] rebuilt '
export PROJECT_WATCH_READY='^\[broadsheet\] watching for changes'
exec bash ../shared/bench/compare.sh "${1:-4000}" 'node bin/broadsheet.js build --content {content} --out {out}'
