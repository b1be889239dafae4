#!/bin/sh
# ci/action.sh install|run -- the steps of the GitHub composite action
# (action.yml at the repository root), kept in one script so that they can
# be run, and tested, outside GitHub: tests/ci/check.sh runs them against
# the reference server.
#
# install: Debian packages (mk/deps.sh) and the programs, in the action's
#          own checkout ($GITHUB_ACTION_PATH, default: this repository).
# run:     one apiconform run from the INPUT_* variables GitHub sets for
#          the action's inputs; appends the Markdown summary to
#          $GITHUB_STEP_SUMMARY when that is set; writes exit-code to
#          $GITHUB_OUTPUT; exits with apiconform's own status.
set -eu
root=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}

case "${1:-}" in
install)
    sh "$root/mk/deps.sh"
    make -C "$root" --no-print-directory build/apiconform
    ;;
run)
    base_url=${INPUT_BASE_URL:-}
    if [ -z "$base_url" ]; then
        echo "apiconform action: the base-url input is required" >&2
        exit 2
    fi
    out=${INPUT_OUTPUT_DIR:-apiconform-reports}
    mkdir -p "$out"
    # Credentials travel in the environment only, under the names the
    # runner reads by default; never on the command line.
    if [ -n "${INPUT_TOKEN:-}" ]; then
        APICONFORM_TOKEN=$INPUT_TOKEN
        export APICONFORM_TOKEN
    fi
    if [ -n "${INPUT_APP_KEY:-}" ]; then
        APICONFORM_APP_KEY=$INPUT_APP_KEY
        APICONFORM_APP_SECRET=${INPUT_APP_SECRET:-}
        export APICONFORM_APP_KEY APICONFORM_APP_SECRET
    fi
    set -- run --junit "$out/junit.xml" --html "$out/report.html" \
        --markdown "$out/summary.md" --json "$out/results.json"
    set -- "$@" --base-url "$base_url"
    [ -n "${INPUT_ALLOW:-}" ] && set -- "$@" --allow "$INPUT_ALLOW"
    [ "${INPUT_FAIL_ON_SKIP:-false}" = true ] && set -- "$@" --fail-on-skip
    if [ -z "${INPUT_TOKEN:-}" ] && [ -z "${INPUT_APP_KEY:-}" ]; then
        echo "apiconform action: give the app-key and app-secret inputs, or token" >&2
        exit 2
    fi
    set +e
    # shellcheck disable=SC2086 # extra-args are words by design
    "$root/build/apiconform" "$@" ${INPUT_EXTRA_ARGS:-}
    rc=$?
    set -e
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/summary.md" ]; then
        cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
    fi
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        echo "exit-code=$rc" >>"$GITHUB_OUTPUT"
        echo "report-dir=$out" >>"$GITHUB_OUTPUT"
    fi
    exit $rc
    ;;
*)
    echo "usage: ci/action.sh install|run" >&2
    exit 2
    ;;
esac
