#!/usr/bin/env bash
# Real non-Java clients against the server jar: npm `openai` and `portkey-ai` (clients.test.mjs),
# curl for a multipart upload and a byte-for-byte download, and Python `openai` when it installs here.
# Builds nothing: needs gateway-server/target/switchboard-server.jar (mvn -q install -DskipTests, or
# the CI's mvn verify). Starts a Node stub upstream and the server on free ports; exits non-zero on
# any failure.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
JAR="$ROOT/gateway-server/target/switchboard-server.jar"
[ -f "$JAR" ] || { echo "run.sh: $JAR is missing: run 'mvn -q install -DskipTests' first" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: node is not on PATH (Node 20+ needed)" >&2; exit 2; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$HERE"
npm install --no-audit --no-fund --loglevel=error >/dev/null

# the stub upstream prints its port
node "$HERE/stub.mjs" > "$WORK/stub.port" 2> "$WORK/stub.log" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/stub.port" ] && break; sleep 0.1; done
STUB_PORT="$(head -1 "$WORK/stub.port")"
STUB="http://127.0.0.1:$STUB_PORT/v1"

export SB_SERVER_KEY="sb-node-server-key-$RANDOM$RANDOM$RANDOM"
export SB_UPSTREAM_KEY="sk-node-upstream-$RANDOM$RANDOM"
cat > "$WORK/gateway.json" <<JSON
{"provider": "openai", "api_key": "\${SB_UPSTREAM_KEY}", "custom_host": "$STUB"}
JSON
cat > "$WORK/keys.json" <<'JSON'
{"api_keys": {"node-tests": {"key": "${SB_SERVER_KEY}", "metadata": {"team": "node"}}}}
JSON
mkdir -p "$WORK/configs"
cat > "$WORK/configs/saved.json" <<JSON
{"provider": "openai", "api_key": "sk-node-saved-1", "custom_host": "$STUB"}
JSON

PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
java -jar "$JAR" --config "$WORK/gateway.json" --keys "$WORK/keys.json" --config-dir "$WORK/configs" \
  --port "$PORT" > "$WORK/server.out" 2> "$WORK/server.log" &
PIDS+=($!)
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 150); do curl -sf "$BASE/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "$BASE/health" >/dev/null || { echo "server did not start:"; cat "$WORK/server.out" "$WORK/server.log"; exit 1; }
grep -q "listening on http://127.0.0.1:$PORT" "$WORK/server.out" || { echo "no start-up line naming the URL"; exit 1; }

echo "== npm openai and portkey-ai"
SB_URL="$BASE" SB_KEY="$SB_SERVER_KEY" SB_STUB_URL="$STUB" node "$HERE/clients.test.mjs"

echo "== curl: multipart upload, byte-for-byte download"
head -c 2500000 /dev/urandom > "$WORK/upload.bin"
UP="$(curl -sS -f "$BASE/v1/files" -H "Authorization: Bearer $SB_SERVER_KEY" -F purpose=batch -F "file=@$WORK/upload.bin")"
echo "$UP" | grep -q '"bytes":2500000' || { echo "FAIL curl upload: $UP"; exit 1; }
curl -sS -f "$BASE/v1/files/file-node-1/content" -H "Authorization: Bearer $SB_SERVER_KEY" -o "$WORK/download.bin"
cmp "$WORK/upload.bin" "$WORK/download.bin" || { echo "FAIL curl: the download differs from the upload"; exit 1; }
echo "ok   curl multipart upload and download (2500000 bytes, identical)"
CODE="$(curl -s -o /dev/null -w '%{http_code}' "$BASE/v1/chat/completions" -H 'content-type: application/json' -d '{}')"
[ "$CODE" = 401 ] || { echo "FAIL curl without a key: $CODE"; exit 1; }
echo "ok   curl without a key: 401"
curl -sf "$BASE/metrics" | grep -q '^switchboard_requests_total' || { echo "FAIL /metrics"; exit 1; }
echo "ok   /metrics"

echo "== python openai"
if python3 -m pip install --quiet --disable-pip-version-check --target "$WORK/py" openai >/dev/null 2>&1; then
  SB_URL="$BASE" SB_KEY="$SB_SERVER_KEY" PYTHONPATH="$WORK/py" python3 - <<'PY'
import os
from openai import OpenAI, RateLimitError
c = OpenAI(base_url=os.environ["SB_URL"] + "/v1", api_key=os.environ["SB_KEY"], max_retries=0)
r = c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
assert r.choices[0].message.content == "Hello from the node stub", r
text = "".join((ch.choices[0].delta.content or "") for ch in c.chat.completions.create(
    model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True) if ch.choices)
assert text == "Hello", text
vector = c.embeddings.create(model="text-embedding-3-small", input="x").data[0].embedding
assert [round(v, 3) for v in vector] == [0.1, 0.2, 0.3], vector
try:
    c.chat.completions.create(model="error-429", messages=[{"role": "user", "content": "hi"}])
    raise AssertionError("no 429")
except RateLimitError:
    pass
print("ok   python openai: chat, stream, embeddings, 429")
PY
else
  echo "SKIP python openai: 'pip install openai' failed here (no package index reachable or pip missing)"
fi

# graceful stop: SIGTERM, the server drains and exits
SERVER_PID="${PIDS[1]}"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || true
grep -q "stopped" "$WORK/server.log" || { echo "FAIL: no shutdown line"; cat "$WORK/server.log"; exit 1; }
if grep -q "$SB_SERVER_KEY\|$SB_UPSTREAM_KEY" "$WORK/server.log" "$WORK/server.out"; then
  echo "FAIL: a secret reached the server's log"; exit 1
fi
echo "all client checks passed"
