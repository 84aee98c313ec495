#!/usr/bin/env bash
# bench/serve: the same files served by `reel serve` and by nginx (sendfile on, 2 workers,
# config generated here) in one run, measured with wrk: requests/s and p99 on the master and a
# media playlist, throughput on a 2 MB segment, random 1 MiB ranges over a ~300 MB source, and
# 1000 and 5000 concurrent connections downloading the segment (throughput, errors, p99, peak
# RSS, and the kernel's TCP retransmissions and time under TCP memory pressure during the run).
# Each figure is the median of ROUNDS (3) alternating runs. Prints Reel/nginx ratios
# (for latencies and RSS, lower is better). The last rows compare Reel with itself: a media
# playlist fetched with a signature (`--secret-file`: checked, rewritten per request, private)
# against the same playlist unsigned. ONLY=signed runs just those rows (no nginx, no source file).
set -euo pipefail
cd "$(dirname "$0")/.."

REEL=${REEL:-.build/release/reel}
DURATION=${DURATION:-10}
# The many-connection runs are longer: at 5000 connections one turn of every client takes ~4 s,
# and wrk records only the responses that end before the run does, so in 10 s the slowest waits
# would not be counted at all and the p99 would be that of the survivors.
MANY_DURATION=${MANY_DURATION:-30}
OUT=$PWD/bench/out/serve
REEL_PORT=18080
NGINX_PORT=18081
SIGNED_PORT=18082
ONLY=${ONLY:-all}
# 5000 clients need more descriptors than the usual 1024, for wrk and both servers (nginx's
# worker_rlimit_nofile below does the same for its workers).
ulimit -n 65536 2>/dev/null || ulimit -n 16384

rm -rf "$OUT/library" "$OUT/media" "$OUT/nginx"
mkdir -p "$OUT/library" "$OUT/media" "$OUT/nginx"

# The files: an ingested asset (playlists), a 2 MB segment, a ~300 MB source.
"$REEL" ingest fixtures/h264-aac-30s.mp4 --library "$OUT/library" --name bench --progress never
head -c 2000000 /dev/urandom > "$OUT/library/bench/copy/seg-2mb.m4s"
(umask 077; head -c 32 /dev/urandom > "$OUT/secret")
source_size=0
if [ "$ONLY" != signed ]; then
  source_file=bench/out/ingest/input-80s.mp4
  source bench/lib/inputs.bash
  generate_1080p_input "$source_file" 80
  cp "$source_file" "$OUT/media/source.mp4"
  source_size=$(stat -c %s "$OUT/media/source.mp4")
fi

cat > "$OUT/nginx/nginx.conf" <<CONF
worker_processes 2;
worker_rlimit_nofile 65536;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 16384; }
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
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
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
  [ -n "${signed_pid:-}" ] && kill "$signed_pid" 2>/dev/null || true
  [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

REEL_LOG_LEVEL=warning "$REEL" serve --library "$OUT/library" --media "$OUT/media" --port $REEL_PORT 2>"$OUT/reel.log" &
reel_pid=$!
REEL_LOG_LEVEL=warning "$REEL" serve --library "$OUT/library" --media "$OUT/media" --port $SIGNED_PORT --secret-file "$OUT/secret" 2>"$OUT/reel-signed.log" &
signed_pid=$!
[ "$ONLY" != signed ] && nginx -c "$OUT/nginx/nginx.conf" -g "daemon off;" &
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$REEL_PORT/healthz" >/dev/null && curl -sf "http://127.0.0.1:$SIGNED_PORT/healthz" >/dev/null \
    && { [ "$ONLY" = signed ] || curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/hls/bench/master.m3u8"; } && break
  sleep 0.1
done

# wrk's summary → "requests_per_second bytes_per_second errors p99_ms"
run_wrk() {
  local output
  output=$(wrk --latency "$@" 2>&1)
  awk '
    /Requests\/sec/ { rps = $2 }
    /Transfer\/sec/ { v = $2; u = substr(v, length(v) - 1); n = v + 0
      if (u == "GB") n *= 1073741824; else if (u == "MB") n *= 1048576; else if (u == "KB") n *= 1024; bps = n }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx/ { errors += $4 }
    $1 == "99%" { v = $2; n = v + 0
      if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; p99 = n }
    END { printf "%s %s %d %.2f\n", rps, bps, errors, p99 }' <<<"$output"
}

# The kernel's TCP counters: "retransmitted-segments milliseconds-under-memory-pressure".
# Loopback loses nothing on the wire, but under TCP memory pressure (net.ipv4.tcp_mem) the
# receiving socket drops what it cannot be charged for, and the sender must send it again.
# The counters are the whole machine's: run the bench on an otherwise idle machine.
tcp_counters() {
  awk '$1 == "Tcp:" { if (!r) { for (i = 2; i <= NF; i++) if ($i == "RetransSegs") r = i } else retrans = $r }
       $1 == "TcpExt:" { if (!m) { for (i = 2; i <= NF; i++) if ($i == "TCPMemoryPressuresChrono") m = i } else ms = $m }
       END { printf "%.0f %.0f\n", retrans, ms }' /proc/net/snmp /proc/net/netstat
}

# Runs wrk while sampling the server's resident memory (its processes' largest sum, MB), then
# adds the run's retransmissions and time under memory pressure.
wrk_with_rss() {
  local pids=$1; shift
  local peak=0 before after
  before=$(tcp_counters)
  run_wrk "$@" > "$OUT/wrk.txt" &
  local load=$!
  while kill -0 "$load" 2>/dev/null; do
    local total=0
    for p in $pids; do total=$(( total + $(awk '/VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0) )); done
    [ "$total" -gt "$peak" ] && peak=$total
    sleep 0.2
  done
  wait "$load" || true
  after=$(tcp_counters)
  echo "$(cat "$OUT/wrk.txt") $((peak / 1024)) $(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.0f %.0f\n", y[1] - x[1], y[2] - x[2] }')"
}

printf '%-44s %16s %16s %8s\n' test reel nginx ratio
report() {
  printf '%-44s %16s %16s %8s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
}

R=http://127.0.0.1:$REEL_PORT
N=http://127.0.0.1:$NGINX_PORT
reel_pids() { echo "$reel_pid"; }
nginx_pids() { echo "$(cat "$OUT/nginx/nginx.pid") $(pgrep -P "$(cat "$OUT/nginx/nginx.pid")" | tr '\n' ' ')"; }

# Reel and nginx share two cores with wrk, so one run of each differs by ±10 % from the
# next. Each figure is the median of ROUNDS runs, Reel and nginx alternating; every run is
# kept in rounds.txt.
ROUNDS=${ROUNDS:-3}
: > "$OUT/rounds.txt"
# measure LABEL [--rss] WRK-ARGUMENTS... ({} in an argument stands for the server's URL):
# leaves each server's runs, one "rps bps errors p99 [rss retransmits pressure-ms]" line each, in $OUT/{reel,nginx}.runs.
measure() {
  local label=$1; shift
  local rss=false
  if [ "$1" = --rss ]; then rss=true; shift; fi
  : > "$OUT/reel.runs"; : > "$OUT/nginx.runs"
  for _ in $(seq "$ROUNDS"); do
    for server in reel nginx; do
      local base=$R pids
      [ "$server" = nginx ] && base=$N
      pids=$("${server}_pids")
      local args=("${@//\{\}/$base}")
      if $rss; then wrk_with_rss "$pids" "${args[@]}"; else run_wrk "${args[@]}"; fi | tee -a "$OUT/$server.runs" \
        | awk -v prefix="$label $server: " '{ print prefix $0 }' >> "$OUT/rounds.txt"
    done
  done
}
# median SERVER COLUMN: the median of one column of the server's runs.
median() {
  sort -g -k"$2","$2" "$OUT/$1.runs" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}
gbps() { awk -v v="$1" 'BEGIN { printf "%.3f", v / 1e9 }'; }

if [ "$ONLY" != signed ]; then
for playlist in master.m3u8 copy/index.m3u8; do
  measure "$playlist" -t2 -c64 -d"${DURATION}s" "{}/hls/bench/$playlist"
  report "$playlist requests/s (64 conns)" "$(median reel 1)" "$(median nginx 1)"
  report "$playlist p99 ms (64 conns)" "$(median reel 4)" "$(median nginx 4)"
done

measure segment -t2 -c16 -d"${DURATION}s" "{}/hls/bench/copy/seg-2mb.m4s"
report "2 MB segment GB/s (16 conns)" "$(gbps "$(median reel 2)")" "$(gbps "$(median nginx 2)")"

measure ranges -t2 -c16 -d"${DURATION}s" -s "$OUT/ranges.lua" "{}"
report "random 1 MiB ranges req/s (16 conns)" "$(median reel 1)" "$(median nginx 1)"

# Many clients share ~3 GB/s, so a 2 MB download can take seconds: wrk's timeout is raised
# from its 2 s default to the run's length so that slowness is not counted as an error (it
# shows in p99). Errors are the sum over the rounds, RSS the largest.
for clients in 1000 5000; do
  measure "$clients-conns" --rss -t2 -c"$clients" -d"${MANY_DURATION}s" --timeout "${MANY_DURATION}s" "{}/hls/bench/copy/seg-2mb.m4s"
  total() { awk -v c="$2" '{ s += $c } END { print s + 0 }' "$OUT/$1.runs"; }
  largest() { awk -v c="$2" '$c > m { m = $c } END { print m + 0 }' "$OUT/$1.runs"; }
  report "$clients conns on segment: GB/s" "$(gbps "$(median reel 2)")" "$(gbps "$(median nginx 2)")"
  report "$clients conns on segment: errors" "$(total reel 3)" "$(total nginx 3)"
  report "$clients conns on segment: p99 ms" "$(median reel 4)" "$(median nginx 4)"
  report "$clients conns: peak RSS MB (nginx: all)" "$(largest reel 5)" "$(largest nginx 5)"
  report "$clients conns: TCP retransmits (kernel)" "$(median reel 6)" "$(median nginx 6)"
  report "$clients conns: ms under TCP mem pressure" "$(median reel 7)" "$(median nginx 7)"
done
fi

# Signed against unsigned, both Reel (the second column is the unsigned server's, in the
# "nginx" runs file): the signed URL is checked (one HMAC-SHA256), and the playlist rewritten
# with the signature in every URI and sent private, per request.
signed=$("$REEL" sign /hls/bench/copy/index.m3u8 --expires 86400 --secret-file "$OUT/secret")
curl -sf -o /dev/null "http://127.0.0.1:$SIGNED_PORT$signed"
S=http://127.0.0.1:$SIGNED_PORT
: > "$OUT/reel.runs"; : > "$OUT/nginx.runs"
for _ in $(seq "$ROUNDS"); do
  run_wrk -t2 -c64 -d"${DURATION}s" "$S$signed" | tee -a "$OUT/reel.runs" | awk '{ print "signed: " $0 }' >> "$OUT/rounds.txt"
  run_wrk -t2 -c64 -d"${DURATION}s" "$R/hls/bench/copy/index.m3u8" | tee -a "$OUT/nginx.runs" | awk '{ print "unsigned: " $0 }' >> "$OUT/rounds.txt"
done
printf '%-44s %16s %16s %8s\n' "(Reel against itself)" signed unsigned ratio
report "signed index.m3u8 requests/s (64 conns)" "$(median reel 1)" "$(median nginx 1)"
report "signed index.m3u8 p99 ms (64 conns)" "$(median reel 4)" "$(median nginx 4)"
report "signed index.m3u8: errors and non-2xx" "$(awk '{ s += $3 } END { print s + 0 }' "$OUT/reel.runs")" "$(awk '{ s += $3 } END { print s + 0 }' "$OUT/nginx.runs")"
echo "every run: $OUT/rounds.txt"
