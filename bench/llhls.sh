#!/usr/bin/env bash
# bench/llhls: Low-Latency HLS end to end on one machine: `reel ingest --realtime
# --part-duration 0.5 --segment-duration 2` of a 60 s 720p input while `reel serve` answers
# a client blocked on each next part, the same client on whole segments, and 1000 clients
# parked on one part; then the same input fed as MPEG-TS to `reel ingest -` at 1x
# (bench/llhls_client.py). Prints publication latency, live distance and the server's RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

REEL=${REEL:-.build/release/reel}
OUT=bench/out/llhls
PORT=18090
mkdir -p "$OUT"
rm -rf "$OUT/library" "$OUT/media"
mkdir -p "$OUT/library" "$OUT/media"
input="$OUT/input-60s.mp4"
source bench/lib/inputs.bash
generate_input "$input" 60 1280x720 "" -c:v libx264 -preset veryfast -g 50 -keyint_min 50 -sc_threshold 0 \
  -b:v 3M -maxrate 3M -bufsize 6M -c:a aac -b:a 128k
# The same input as MPEG-TS, for the feeder that plays a live encoder on `reel ingest -`.
[ -s "$OUT/input-60s.ts" ] || ffmpeg -hide_banner -loglevel error -nostdin -y -i "$input" -c copy -f mpegts "$OUT/input-60s.ts"
ulimit -n 65536 2>/dev/null || ulimit -n 16384
"$REEL" serve --library "$OUT/library" --media "$OUT/media" --port "$PORT" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
SERVER_PID=$server python3 bench/llhls_client.py "$REEL" "$PORT" "$OUT/library" "$input" "$OUT/input-60s.ts"
