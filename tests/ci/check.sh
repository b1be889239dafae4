#!/bin/sh
# tests/ci/check.sh BUILD -- proves the CI integrations that can run here:
#  1. ci/image.sh (the Dockerfile's build steps) installs a working program
#     under a prefix: it finds its own catalog and suite there, not the
#     source tree's or the working directory's, and its man page and
#     documents are installed;
#  2. ci/action.sh (the GitHub action's steps) runs the suite against the
#     reference server from the action's inputs, with the credentials in
#     the environment only, writes the four reports, appends the summary to
#     $GITHUB_STEP_SUMMARY and the exit code to $GITHUB_OUTPUT, and exits
#     with apiconform's status; a missing input is exit 2.
# `make integrations` runs it, and .ci/run does.
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/$build/ci-check"
rm -rf "$work"
mkdir -p "$work"
fail=0
say() { echo "integrations: $*"; }
bad() { echo "integrations: FAILED: $*" >&2; fail=1; }

# 1. The image's build steps, into a prefix outside the source tree.
sh "$root/ci/image.sh" build "$root" "$work/prefix" >"$work/image.log" 2>&1 ||
    { cat "$work/image.log" >&2; bad "ci/image.sh failed"; }
prog="$work/prefix/bin/apiconform"
for f in bin/apiconform share/apiconform/nce-errors.json share/apiconform/suite/fixtures.json \
         share/man/man1/apiconform.1 share/doc/apiconform/README.md \
         share/doc/apiconform/suite-README.md share/doc/apiconform/reports-README.md \
         share/bash-completion/completions/apiconform share/zsh/site-functions/_apiconform \
         share/apiconform/schemas/scenario.schema.json share/apiconform/nce-contract.json; do
    [ -e "$work/prefix/$f" ] || bad "the install lacks $f"
done
mkdir -p "$work/elsewhere/catalog"
echo '{}' >"$work/elsewhere/catalog/nce-errors.json"
out=$(cd "$work/elsewhere" && "$prog" catalog lint 2>&1) || bad "installed catalog lint: $out"
case "$out" in
*"$work/prefix/share/apiconform/nce-errors.json: 159 codes, valid"*) ;;
*) bad "the installed program did not use its installed catalog: $out" ;;
esac
n=$(cd "$work/elsewhere" && "$prog" run --list | tail -n 1)
[ "$n" = "209 scenarios planned" ] || bad "the installed suite: '$n'"
"$prog" --help >/dev/null || bad "apiconform --help"
[ $fail -eq 0 ] && say "ci/image.sh installs a working program with its data, man page and docs"

# 2. The action's run step against the reference server.
portfile="$work/.ref-port"
"$root/$build/apiconform-ref" --port 0 --quiet >"$portfile" 2>/dev/null &
ref=$!
trap 'kill $ref 2>/dev/null || true' EXIT INT TERM
i=0
while [ ! -s "$portfile" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(head -n 1 "$portfile")
summary="$work/step-summary.md"
output="$work/github-output"
: >"$summary"
: >"$output"
set +e
(cd "$work" && env -u APICONFORM_APP_KEY -u APICONFORM_APP_SECRET -u APICONFORM_TOKEN \
    GITHUB_ACTION_PATH="$root" GITHUB_STEP_SUMMARY="$summary" GITHUB_OUTPUT="$output" \
    INPUT_BASE_URL="http://127.0.0.1:$port" INPUT_APP_KEY=conformance-key \
    INPUT_APP_SECRET=conformance-secret INPUT_OUTPUT_DIR=reports \
    INPUT_EXTRA_ARGS="--code 4040006 --code 4150001" \
    sh "$root/ci/action.sh" run >"$work/action.log" 2>&1)
rc=$?
set -e
[ $rc -eq 0 ] || { cat "$work/action.log" >&2; bad "the action's run step exited $rc"; }
for f in junit.xml report.html summary.md results.json; do
    [ -s "$work/reports/$f" ] || bad "the action did not write $f"
done
grep -q '^## apiconform: ' "$summary" || bad "no summary in GITHUB_STEP_SUMMARY"
grep -q '^exit-code=0$' "$output" || bad "no exit-code=0 in GITHUB_OUTPUT"
if grep -q 'conformance-secret' "$work/action.log" "$summary" "$work/reports/"*; then
    bad "the app secret reached an output"
fi
# A mutated target: the action fails with apiconform's status.
kill $ref 2>/dev/null || true
wait $ref 2>/dev/null || true
rm -f "$portfile"
"$root/$build/apiconform-ref" --port 0 --quiet --mutate message-drop-period >"$portfile" 2>/dev/null &
ref=$!
i=0
while [ ! -s "$portfile" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(head -n 1 "$portfile")
set +e
(cd "$work" && GITHUB_ACTION_PATH="$root" GITHUB_OUTPUT="$output" \
    INPUT_BASE_URL="http://127.0.0.1:$port" INPUT_APP_KEY=conformance-key \
    INPUT_APP_SECRET=conformance-secret INPUT_OUTPUT_DIR=reports2 \
    INPUT_EXTRA_ARGS="--code 4150001" sh "$root/ci/action.sh" run >/dev/null 2>&1)
rc=$?
(cd "$work" && env -u INPUT_BASE_URL GITHUB_ACTION_PATH="$root" sh "$root/ci/action.sh" run \
    >/dev/null 2>"$work/usage.err")
rc2=$?
set -e
[ $rc -eq 1 ] || bad "against a mutated target the action exited $rc, expected 1"
[ $rc2 -eq 2 ] && grep -q 'base-url input is required' "$work/usage.err" ||
    bad "a missing base-url input: exit $rc2"
[ $fail -eq 0 ] && say "ci/action.sh runs, reports, summarises and gates like apiconform"
if [ $fail -ne 0 ]; then
    exit 1
fi
echo "integrations: all passed"
