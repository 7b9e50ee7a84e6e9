#!/usr/bin/env bash
# Builds the same synthetic corpus with Hugo, Eleventy and broadsheet in one
# run (../shared/bench/compare.sh), with broadsheet's hooks filled in:
#   cold   — a build with an empty cache (the cache folder is removed first);
#   warm   — a one-shot build in a new process with the output and cache kept,
#            after one article was edited;
#   watch  — `broadsheet watch`, whose one line per rebuild compare.sh waits for;
#   template — the article template edited while `broadsheet watch` runs.
# The shipped broadsheet.yaml is used as it is (search on, three editions).
# Every command is given a copy of the templates ({templates}), so the
# template phase never edits the project's own.
#
#   npm run bench:compare -- [N]        (default N=4000; RUNS, WARMUP… as in compare.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PROJECT_NAME=broadsheet
export PROJECT_TEMPLATES=templates
export PROJECT_TEMPLATE_FILE=article.njk
export PROJECT_REBUILD='node bin/broadsheet.js build --cache-dir {out}.cache --content {content} --templates {templates} --out {out}'
export PROJECT_WATCH='node bin/broadsheet.js watch --cache-dir {out}.cache --content {content} --templates {templates} --out {out}'
export PROJECT_WATCH_DONE='^\[broadsheet\] rebuilt '
export PROJECT_WATCH_READY='^\[broadsheet\] watching for changes'
exec bash ../shared/bench/compare.sh "${1:-4000}" 'rm -rf {out}.cache && node bin/broadsheet.js build --cache-dir {out}.cache --content {content} --templates {templates} --out {out}'
