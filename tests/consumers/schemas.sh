#!/bin/sh
# tests/consumers/schemas.sh BUILD -- the JSON Schemas of schemas/ (what
# editors check scenario, fixtures and catalog files with) agree with the
# loaders: every shipped scenario file, suite/fixtures.json, the example
# suite and the catalog validate, and known-bad files (a typo in a key, a
# wrong type, a value outside an enum, a key where the loader forbids it)
# do not. ajv-cli is pinned in schemas/package-lock.json and installed
# from the npm registry into BUILD/consumers/schemas. Needs node and npm;
# `make consumers` runs it, and .ci/run does.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$build/consumers/schemas"
mkdir -p "$work"
work=$(cd "$work" && pwd)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "schemas: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
    exit 2
fi
cp "$here/schemas/package.json" "$here/schemas/package-lock.json" "$work/"
(cd "$work" && npm ci --silent --no-audit --no-fund >/dev/null)
ajv="$work/node_modules/.bin/ajv"
s="$root/schemas"
fail=0

# refs SCHEMA: the -r options for the schemas it refers to.
refs() {
    case $1 in
    scenario.schema.json) echo "-r $s/step.schema.json" ;;
    fixtures.schema.json) echo "-r $s/step.schema.json -r $s/scenario.schema.json" ;;
    esac
}

# valid SCHEMA FILE...: every file must be valid (one ajv run for all).
valid() {
    schema=$1
    shift
    data=""
    for f in "$@"; do data="$data -d $f"; done
    # shellcheck disable=SC2046,SC2086
    if ! "$ajv" validate --spec=draft2020 --strict=true --all-errors -s "$s/$schema" \
        $(refs "$schema") $data >"$work/out" 2>&1; then
        grep -v ' valid$' "$work/out" >&2
        echo "schemas: not every file validates against $schema" >&2
        fail=1
    fi
}

# invalid SCHEMA NAME JSON: the document must be refused.
invalid() {
    printf '%s\n' "$3" >"$work/$2.json"
    # shellcheck disable=SC2046
    if "$ajv" validate --spec=draft2020 --strict=true -s "$s/$1" $(refs "$1") \
        -d "$work/$2.json" >"$work/out" 2>&1; then
        echo "schemas: the bad file $2.json validates against $1" >&2
        fail=1
    elif ! grep -q "$2.json invalid" "$work/out"; then
        # Refused for another reason (a schema that does not compile).
        cat "$work/out" >&2
        fail=1
    fi
    nbad=$((nbad + 1))
}

nbad=0
set -- "$root"/suite/[0-9][0-9]/*.json "$root"/tests/data/suite/example/[0-9][0-9]/*.json
n=$#
valid scenario.schema.json "$@"
valid fixtures.schema.json "$root/suite/fixtures.json" "$root/tests/data/suite/example/fixtures.json"
valid catalog.schema.json "$root/catalog/nce-errors.json"
valid profile.schema.json "$root"/profiles/*.json
valid contract.schema.json "$root/catalog/nce-contract.json" "$root/tests/data/contract2/contract.json"
invalid profile.schema.json profile-unknown-key '{"schema": "apiconform-profile/1", "base_url": "http://x", "jobz": 2}'
invalid profile.schema.json profile-bad-quota '{"schema": "apiconform-profile/1", "quotas": {"loadbalancers": "2"}}'
invalid profile.schema.json profile-secret-inline '{"schema": "apiconform-profile/1", "credentials": {"app_key": "k", "app_secret": "s"}}'
invalid profile.schema.json profile-url-password '{"schema": "apiconform-profile/1", "base_url": "https://u:p@host"}'

# What scenario new prints validates once filled in, and not before.
"$build/apiconform" scenario new 4040402 2>/dev/null >"$work/skeleton.json"
invalid scenario.schema.json skeleton-unfilled "$(cat "$work/skeleton.json")"
sed -e 's#"TODO: GET[^"]*"#"GET"#' -e 's#"TODO: /api[^"]*"#"/api/v1/nlb/loadbalancers/x"#' \
    "$work/skeleton.json" >"$work/skeleton-filled.json"
valid scenario.schema.json "$work/skeleton-filled.json"

ok='"id": "x", "code": 4040402, "title": "t", "class": "stateless"'
req='"request": {"method": "GET", "path": "/a"}'
invalid scenario.schema.json key-typo "{\"scenarios\": [{$ok, $req, \"teardwn\": []}]}"
invalid scenario.schema.json step-key-typo \
    "{\"scenarios\": [{$ok, \"request\": {\"method\": \"GET\", \"path\": \"/a\", \"heaers\": {}}}]}"
invalid scenario.schema.json code-as-string \
    "{\"scenarios\": [{\"id\": \"x\", \"code\": \"4040402\", \"title\": \"t\", \"class\": \"stateless\", $req}]}"
invalid scenario.schema.json class-typo \
    "{\"scenarios\": [{\"id\": \"x\", \"code\": 4040402, \"title\": \"t\", \"class\": \"statefull\", $req}]}"
invalid scenario.schema.json method-lower-case \
    "{\"scenarios\": [{$ok, \"request\": {\"method\": \"get\", \"path\": \"/a\"}}]}"
invalid scenario.schema.json status-on-probe \
    "{\"scenarios\": [{$ok, \"request\": {\"method\": \"GET\", \"path\": \"/a\", \"status\": 200}}]}"
invalid scenario.schema.json capture-in-teardown \
    "{\"scenarios\": [{$ok, $req, \"teardown\": [{\"method\": \"GET\", \"path\": \"/a\", \"capture\": {\"x\": \"/id\"}}]}]}"
invalid scenario.schema.json no-request "{\"scenarios\": [{$ok}]}"
invalid scenario.schema.json no-scenarios '{"scenarios": []}'
invalid fixtures.schema.json fixture-key-typo '{"fixtures": {"ns": {"provide": ["ns"]}}}'
invalid fixtures.schema.json fixture-needs-string '{"fixtures": {"ns": {"needs": "image"}}}'
invalid catalog.schema.json catalog-key-typo '{"entries": [{"code": 4040402, "mesage": "x"}]}'
invalid catalog.schema.json catalog-format '{"format": "something/2", "entries": []}'
invalid catalog.schema.json catalog-code-digits '{"entries": [{"code": 404040, "message": "x"}]}'
c_ok='"format": "apiconform-contract/1", "code_scheme": {"status_digits": 3, "service_digits": 0, "detail_digits": 2}, "auth": {"header": "Authorization", "scheme": "Bearer"}, "token": {"method": "POST", "path": "/t", "token_pointer": "/token"}, "preflight": {"method": "GET", "path": "/p"}'
invalid contract.schema.json contract-pointer \
    "{$c_ok, \"error_body\": {\"code\": \"code\", \"message\": \"/m\", \"media_type\": \"application/json\"}}"
invalid contract.schema.json contract-key-typo \
    "{$c_ok, \"error_body\": {\"code\": \"/c\", \"mesage\": \"/m\", \"media_type\": \"application/json\"}}"

if [ $fail -ne 0 ]; then
    echo "schemas: FAILED" >&2
    exit 1
fi
echo "schemas: $n scenario files, the fixtures, the catalog and the contracts validate; $nbad bad files do not"
