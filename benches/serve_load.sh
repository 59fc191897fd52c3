#!/usr/bin/env bash
# `fahras serve` under load: wrk on loopback at 2, 8, 64 and 200 connections (10 s each), over
# an index of one ANT outlet, with Arabic queries rotating through a Lua script. Prints
# requests/s, p50, p99 (over all answers, 503s included), 503s (non-2xx), timeouts, and the
# server's threads and resident memory sampled during each run.
#   benches/serve_load.sh [ANT_OUTLET_FOLDER]     (default ../shared/corpora/ant-v2.1/BBC)
# Needs wrk (apt-get install -y wrk). Extra `fahras serve` flags via SERVE_FLAGS, e.g.
# SERVE_FLAGS="--max-concurrent-searches 1000 --max-queued-searches 0" for an unbounded server.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${FAHRAS_SHARED:-../shared}/corpora/ant-v2.1/BBC}
port=${PORT:-18767}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/fahras
work=$(mktemp -d /tmp/fahras-serve-load.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

"$bin" index "$corpus" --index "$work/index" --quiet
cat > "$work/search.lua" <<'LUA'
local queries = {"بوتين", "الانتخابات الرئاسية", "كرة القدم", "الاقتصاد المصري",
  "\"الأمم المتحدة\"", "سوريا OR العراق", "النفط*", "الرئيس الأمريكي ترامب"}
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local paths = {}
for i, q in ipairs(queries) do paths[i] = "/api/search?q=" .. encode(q) .. "&limit=10" end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
LUA
# shellcheck disable=SC2086
"$bin" serve --index "$work/index" --addr "127.0.0.1:$port" ${SERVE_FLAGS:-} > "$work/serve.log" &
server=$!
for _ in $(seq 50); do grep -q serving "$work/serve.log" 2>/dev/null && break; sleep 0.1; done

printf '%-12s %10s %8s %10s %10s %10s %9s %8s %9s\n' connections requests/s 2xx/s p50 p99 non-2xx timeouts threads rss_MB
for c in 2 8 64 200; do
  wrk -t2 -c"$c" -d10s --timeout 10s --latency -s "$work/search.lua" "http://127.0.0.1:$port" \
    > "$work/wrk-$c.txt" 2>&1 &
  wrk_pid=$!
  sleep 7
  threads=$(awk '/^Threads/ {print $2}' "/proc/$server/status")
  rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
  wait "$wrk_pid"
  out="$work/wrk-$c.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$out")
  timeouts=$(awk '/Socket errors/ {gsub(",", "", $NF); print $NF}' "$out")
  ok_rps=$(awk -v non2xx="${non2xx:-0}" '/requests in/ {sub("s,", "", $4); printf "%.0f", ($1 - non2xx) / $4}' "$out")
  printf '%-12s %10s %8s %10s %10s %10s %9s %8s %9s\n' "$c" "$rps" "$ok_rps" "$p50" "$p99" \
    "${non2xx:-0}" "${timeouts:-0}" "$threads" "$rss"
done
