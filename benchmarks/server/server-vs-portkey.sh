#!/usr/bin/env bash
# Switchboard's server mode side by side with calling the upstream directly and (optionally) with
# Portkey 1.15.2, on the same machine, the same stub upstream (stub.mjs) and the same load tool (wrk):
# requests per second and p50/p99 latency at concurrency 1, 32 and 256, for whole answers and for
# streams (a stream's time is the whole stream: five events from the stub).
#
#   mvn -q install -DskipTests                     # builds gateway-server/target/switchboard-server.jar
#   bash benchmarks/server/server-vs-portkey.sh [path/to/portkey/start.sh]
#
# Needs Node (the stub) and wrk (installed with apt-get when missing). Portkey runs only when the path
# of a script that starts it on a given port is passed (its first argument is the port). DURATION
# (seconds per cell, default 10) and CONCURRENCY (default "1 32 256") can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=benchmarks/server
jar=gateway-server/target/switchboard-server.jar
portkey_start="${1:-}"
duration="${DURATION:-10}"
levels="${CONCURRENCY:-1 32 256}"
[ -f "$jar" ] || { echo "missing $jar: run 'mvn -q install -DskipTests' first" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "wrk is not installed and apt-get failed" >&2; exit 1; }; }
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

node "$here/stub.mjs" >"$tmp/stub.port" & pids+=($!)
for _ in $(seq 1 50); do [ -s "$tmp/stub.port" ] && break; sleep 0.1; done
stub="$(cat "$tmp/stub.port")"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

sb="$(free_port)"
echo "{\"provider\": \"openai\", \"api_key\": \"sk-bench\", \"custom_host\": \"http://127.0.0.1:$stub/v1\"}" >"$tmp/gateway.json"
java -jar "$jar" --config "$tmp/gateway.json" --open --port "$sb" >"$tmp/switchboard.log" 2>&1 & pids+=($!)
wait_port "$sb" || { echo "Switchboard did not start: $(cat "$tmp/switchboard.log")" >&2; exit 1; }

pk=""
if [ -n "$portkey_start" ]; then
  pk="$(free_port)"
  pk_pid="$(bash "$portkey_start" "$pk")"; pids+=("$pk_pid")
fi

echo '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}' >"$tmp/chat.json"
echo '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hello"}]}' >"$tmp/stream.json"

# one cell: prints "rps p50 p99" (latencies in ms)
cell() { # url body headers concurrency
  local out threads=$(( $4 < 2 ? 1 : 2 ))
  # warm-up, then the measured run
  BODY_FILE="$2" HEADERS="$3" wrk -t"$threads" -c"$4" -d2s -s "$here/post.lua" "$1" >/dev/null 2>&1 || true
  out="$(BODY_FILE="$2" HEADERS="$3" wrk -t"$threads" -c"$4" -d"${duration}s" --latency -s "$here/post.lua" "$1")"
  local rps p50 p99 non2xx
  non2xx="$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" | grep -o '[0-9]*$' || echo 0)"
  [ "$non2xx" = "0" ] || echo "warning: $non2xx non-2xx answers from $1" >&2
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  echo "$rps $(ms "$p50") $(ms "$p99")"
}
ms() { # wrk prints 512.00us / 1.20ms / 1.01s
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'
}

printf '| kind | concurrency | target | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n'
for kind in chat stream; do
  body="$tmp/$kind.json"
  for c in $levels; do
    read -r r50 <<<"$(cell "http://127.0.0.1:$stub/v1/chat/completions" "$body" "Authorization: Bearer sk-bench" "$c")"
    printf '| %s | %s | direct | %s | %s | %s |\n' "$kind" "$c" $r50
    read -r s50 <<<"$(cell "http://127.0.0.1:$sb/v1/chat/completions" "$body" "" "$c")"
    printf '| %s | %s | Switchboard | %s | %s | %s |\n' "$kind" "$c" $s50
    if [ -n "$pk" ]; then
      read -r p50 <<<"$(cell "http://127.0.0.1:$pk/v1/chat/completions" "$body" "x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$stub/v1|Authorization: Bearer sk-bench" "$c")"
      printf '| %s | %s | Portkey 1.15.2 | %s | %s | %s |\n' "$kind" "$c" $p50
    fi
  done
done
