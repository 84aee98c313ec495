#!/usr/bin/env bash
# bench/serve: the same files served by `reel serve` and by nginx (sendfile on, 2 workers,
# config generated here) in one run, measured with wrk: requests/s on a playlist, throughput
# on a 2 MB segment, random 1 MB ranges over a ~300 MB source, and the server's peak RSS
# with 1000 concurrent connections downloading segments. Prints Reel/nginx ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

REEL=${REEL:-.build/release/reel}
DURATION=${DURATION:-10}
OUT=$PWD/bench/out/serve
REEL_PORT=18080
NGINX_PORT=18081
ulimit -n 65536 2>/dev/null || ulimit -n 4096

rm -rf "$OUT/library" "$OUT/media" "$OUT/nginx"
mkdir -p "$OUT/library" "$OUT/media" "$OUT/nginx"

# The files: an ingested asset (playlists), a 2 MB segment, a ~300 MB source.
"$REEL" ingest fixtures/h264-aac-30s.mp4 --library "$OUT/library" --name bench --progress never
head -c 2000000 /dev/urandom > "$OUT/library/bench/copy/seg-2mb.m4s"
source_file=bench/out/ingest/input-80s.mp4
if [ ! -s "$source_file" ]; then
  echo "generating a 1080p source (80 s)..." >&2
  mkdir -p bench/out/ingest
  ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=80" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=80" -c:v libx264 -preset ultrafast -g 50 \
    -b:v 40M -maxrate 40M -bufsize 40M -c:a aac -movflags +faststart "$source_file"
fi
cp "$source_file" "$OUT/media/source.mp4"
source_size=$(stat -c %s "$OUT/media/source.mp4")

cat > "$OUT/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 4096; }
http {
  sendfile on;
  tcp_nopush on;
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $OUT/nginx/tmp;
  proxy_temp_path $OUT/nginx/tmp;
  fastcgi_temp_path $OUT/nginx/tmp;
  uwsgi_temp_path $OUT/nginx/tmp;
  scgi_temp_path $OUT/nginx/tmp;
  types {
    application/vnd.apple.mpegurl m3u8;
    video/iso.segment m4s;
    video/mp4 mp4;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /hls/ { alias $OUT/library/; }
    location /media/ { alias $OUT/media/; }
  }
}
CONF
mkdir -p "$OUT/nginx/tmp"

cat > "$OUT/ranges.lua" <<LUA
math.randomseed(42)
request = function()
  local start = math.random(0, $source_size - 1048576)
  return wrk.format("GET", "/media/source.mp4", { ["Range"] = "bytes=" .. start .. "-" .. (start + 1048575) })
end
LUA

cleanup() {
  [ -n "${reel_pid:-}" ] && kill "$reel_pid" 2>/dev/null || true
  [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

REEL_LOG_LEVEL=warning "$REEL" serve --library "$OUT/library" --media "$OUT/media" --port $REEL_PORT 2>"$OUT/reel.log" &
reel_pid=$!
nginx -c "$OUT/nginx/nginx.conf" -g "daemon off;" &
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$REEL_PORT/healthz" >/dev/null && curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/hls/bench/master.m3u8" && break
  sleep 0.1
done

# wrk's summary → "requests_per_second bytes_per_second errors"
run_wrk() {
  local output
  output=$(wrk "$@" 2>&1)
  local rps bps errors
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$output")
  bps=$(awk '/Transfer\/sec/ { v=$2; u=substr(v, length(v)-1); n=v+0; if (u=="GB") n*=1073741824; else if (u=="MB") n*=1048576; else if (u=="KB") n*=1024; print n }' <<<"$output")
  errors=$(awk '/Socket errors/ { gsub(",", ""); print $4+$6+$8+$10; found=1 } /Non-2xx/ { non=$4 } END { if (!found) print 0+non; }' <<<"$output")
  echo "$rps $bps ${errors:-0}"
}

peak_rss_during() {
  local pid=$1; shift
  local peak=0
  ( "$@" > "$OUT/wrk-rss.txt" ) &
  local load=$!
  while kill -0 "$load" 2>/dev/null; do
    for p in $pid $(pgrep -P "$pid" || true); do
      rss=$(awk '/VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    done
    sleep 0.2
  done
  wait "$load" || true
  echo $((peak / 1024))
}

printf '%-34s %14s %14s %8s\n' test reel nginx ratio
report() {
  printf '%-34s %14s %14s %8s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
}

read -r r_rps _ r_err < <(run_wrk -t2 -c64 -d"${DURATION}s" "http://127.0.0.1:$REEL_PORT/hls/bench/copy/index.m3u8")
read -r n_rps _ n_err < <(run_wrk -t2 -c64 -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/hls/bench/copy/index.m3u8")
report "playlist requests/s (64 conns)" "$r_rps" "$n_rps"

read -r _ r_bps _ < <(run_wrk -t2 -c16 -d"${DURATION}s" "http://127.0.0.1:$REEL_PORT/hls/bench/copy/seg-2mb.m4s")
read -r _ n_bps _ < <(run_wrk -t2 -c16 -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/hls/bench/copy/seg-2mb.m4s")
report "2 MB segment GB/s (16 conns)" "$(awk -v v="$r_bps" 'BEGIN { printf "%.3f", v / 1e9 }')" "$(awk -v v="$n_bps" 'BEGIN { printf "%.3f", v / 1e9 }')"

read -r r_rps _ _ < <(run_wrk -t2 -c16 -d"${DURATION}s" -s "$OUT/ranges.lua" "http://127.0.0.1:$REEL_PORT")
read -r n_rps _ _ < <(run_wrk -t2 -c16 -d"${DURATION}s" -s "$OUT/ranges.lua" "http://127.0.0.1:$NGINX_PORT")
report "random 1 MB ranges req/s (16 conns)" "$r_rps" "$n_rps"

# 1000 clients share ~3 GB/s, so a 2 MB download can take seconds: wrk's timeout is raised
# from its 2 s default so that slowness is not counted as an error.
count_errors() { awk '/Socket errors/ { gsub(",", ""); print $4+$6+$8+$10; f=1 } /Non-2xx/ { n=$4 } END { if (!f) print 0+n }' "$1"; }
reel_rss=$(peak_rss_during "$reel_pid" wrk -t2 -c1000 -d"${DURATION}s" --timeout 15s "http://127.0.0.1:$REEL_PORT/hls/bench/copy/seg-2mb.m4s")
r_err=$(count_errors "$OUT/wrk-rss.txt")
r_gbps=$(awk '/Transfer\/sec/ { print $2 }' "$OUT/wrk-rss.txt")
nginx_master=$(cat "$OUT/nginx/nginx.pid")
nginx_rss=$(peak_rss_during "$nginx_master" wrk -t2 -c1000 -d"${DURATION}s" --timeout 15s "http://127.0.0.1:$NGINX_PORT/hls/bench/copy/seg-2mb.m4s")
n_err=$(count_errors "$OUT/wrk-rss.txt")
n_gbps=$(awk '/Transfer\/sec/ { print $2 }' "$OUT/wrk-rss.txt")
printf '%-34s %14s %14s\n' "1000 conns on segment: transfer/s" "$r_gbps" "$n_gbps"
printf '%-34s %14s %14s\n' "1000 conns on segment: errors" "$r_err" "$n_err"
printf '%-34s %14s %14s\n' "1000 conns: peak RSS MB" "$reel_rss" "$nginx_rss (largest process)"
