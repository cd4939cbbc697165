#!/usr/bin/env bash
# The review step of action.yml, kept in a script so that it can be run and tested outside GitHub
# (test/unit/githubAction.test.ts runs it against a copy of the example project).
#
# Reads PGREVIEW_PATH, PGREVIEW_FAIL_ON, PGREVIEW_SINCE and PGREVIEW_DB_URL, and GitHub's
# GITHUB_BASE_REF, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and RUNNER_TEMP. Writes the SARIF report,
# appends the markdown review to the job summary, prints the text report to the log, and exits as
# `pgreview check --fail-on` does.
set -euo pipefail

action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="${PGREVIEW_PATH:-.}"
fail_on="${PGREVIEW_FAIL_ON:-error}"
since="${PGREVIEW_SINCE:-}"
report_dir="${RUNNER_TEMP:-$(mktemp -d)}"
sarif="$report_dir/pgreview.sarif"

pgreview() { node "$action_dir/bin/pgreview.js" "$@"; }

# On a pull request the migrations it adds or changes are the pending ones. A shallow checkout
# may lack the base branch: fetch it, and say so if that fails rather than judge every file.
if [ -z "$since" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
  if ! git -C "$project" rev-parse --verify --quiet "origin/$GITHUB_BASE_REF^{commit}" >/dev/null; then
    git -C "$project" fetch --no-tags --quiet origin "$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF" \
      || echo "::warning::pgreview: could not fetch origin/$GITHUB_BASE_REF; checkout with fetch-depth: 0 to judge only this pull request's migrations"
  fi
  if git -C "$project" rev-parse --verify --quiet "origin/$GITHUB_BASE_REF^{commit}" >/dev/null; then since="origin/$GITHUB_BASE_REF"; fi
fi

args=(check "$project")
if [ -n "$since" ]; then args+=(--since "$since"); fi
if [ -n "${PGREVIEW_DB_URL:-}" ]; then args+=(--db "$PGREVIEW_DB_URL"); fi

# The reports never fail the step; the last run, whose text goes to the log, decides.
pgreview "${args[@]}" --fail-on none --format sarif --output "$sarif"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif=$sarif" >> "$GITHUB_OUTPUT"; fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  pgreview "${args[@]}" --fail-on none --format markdown >> "$GITHUB_STEP_SUMMARY"
fi
pgreview "${args[@]}" --fail-on "$fail_on"
