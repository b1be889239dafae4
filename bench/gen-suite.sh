#!/bin/sh
# bench/gen-suite.sh N DIR -- writes a suite of N stateless scenarios into
# DIR, cycling over ten stateless requests of the real suite (unknown API,
# no token, bad limits, unknown ids, ...), so that every scenario is one
# request the reference server answers with a catalog error.
set -eu
n=$1; dir=$2
rm -rf "$dir"
mkdir -p "$dir/00" "$dir/01" "$dir/02" "$dir/03" "$dir/04"
# code|service|method|path|auth
set -- \
  "4040006|00|GET|/api/v1/cf-no-such-api|token" \
  "4010001|00|GET|/api/v1/secret-keys|none" \
  "4000001|00|GET|/api/v1/repositories?limit=31|token" \
  "4040005|00|GET|/api/v1/secret-keys/999999999|token" \
  "4050001|00|PATCH|/api/v1/secret-keys|token" \
  "4040141|01|GET|/api/v1/microservices/999999999|token" \
  "4000213|02|GET|/api/v1/cloud-volumes?limit=21|token" \
  "4040201|02|DELETE|/api/v1/cloud-volumes/999999999|token" \
  "4040302|03|GET|/api/v1/ips/999999999|token" \
  "4000401|04|GET|/api/v1/nlb/loadbalancers?limit=200|token"
k=0
for row in "$@"; do
    code=${row%%|*}; rest=${row#*|}
    svc=${rest%%|*}; rest=${rest#*|}
    method=${rest%%|*}; rest=${rest#*|}
    path=${rest%%|*}; auth=${rest#*|}
    query=""
    case "$path" in *\?*) q=${path#*\?}; path=${path%%\?*}
        query=", \"query\": {\"${q%%=*}\": \"${q#*=}\"}";; esac
    file="$dir/$svc/$code.json"
    count=$(( (n - k + 9) / 10 ))
    {
        printf '{"scenarios": [\n'
        i=0
        while [ $i -lt $count ]; do
            [ $i -gt 0 ] && printf ',\n'
            printf '{"id": "bench-%s-%d", "code": %s, "title": "bench", "class": "stateless", "request": {"method": "%s", "path": "%s", "auth": "%s"%s}}' \
                "$code" $i "$code" "$method" "$path" "$auth" "$query"
            i=$((i + 1))
        done
        printf '\n]}\n'
    } >"$file"
    k=$((k + 1))
done
