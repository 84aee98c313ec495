#!/usr/bin/env bash
# bench/ingest: `reel ingest` against `ffmpeg -c copy -f hls` on the same generated 1080p
# inputs (two sizes, to show memory stays flat), both segment formats, medians of RUNS runs.
# Prints wall time, the time ratio (target <= 0.9) and peak RSS (target <= 64 MB) of each.
set -euo pipefail
cd "$(dirname "$0")/.."

REEL=${REEL:-.build/release/reel}
RUNS=${RUNS:-3}
OUT=bench/out/ingest
mkdir -p "$OUT"

# 1080p25 H.264 + AAC (testsrc2 at x264 ultrafast, ~32 Mb/s): 80 s ≈ 320 MB, 160 s ≈ 640 MB.
# Generated once into bench/out, then reused.
source bench/lib/inputs.bash
source bench/lib/measure.bash

printf '%-10s %-6s %10s %10s %8s %12s %12s\n' input format reel_s ffmpeg_s ratio reel_rss_MB ffmpeg_rss_MB
for seconds in 80 160; do
  input="$OUT/input-${seconds}s.mp4"
  generate_1080p_input "$input" "$seconds"
  size=$(( $(stat -c %s "$input") / 1000000 ))
  for format in fmp4 ts; do
    segment_type=$([ "$format" = fmp4 ] && echo fmp4 || echo mpegts)
    extension=$([ "$format" = fmp4 ] && echo m4s || echo ts)
    read -r reel_s reel_kb < <(measure "$OUT/work" "$REEL" ingest "$input" --library "$OUT/work" --name bench \
      --format "$format" --segment-duration 6 --progress never)
    read -r ff_s ff_kb < <(measure "$OUT/work" ffmpeg -hide_banner -loglevel error -nostdin -y -i "$input" -map 0 -c copy \
      -f hls -hls_time 6 -hls_playlist_type vod -hls_segment_type "$segment_type" \
      -hls_segment_filename "$OUT/work/seg-%05d.$extension" "$OUT/work/index.m3u8")
    ratio=$(awk -v a="$reel_s" -v b="$ff_s" 'BEGIN { printf "%.2f", a / b }')
    printf '%-10s %-6s %10s %10s %8s %12d %12d\n' "${size}MB" "$format" "$reel_s" "$ff_s" "$ratio" \
      $((reel_kb / 1024)) $((ff_kb / 1024))
  done
done

# The cost of an option against the default, on the smaller input: `--durable` flushes every
# segment, playlist and manifest to disk before its rename (README, "Durability"); `--encrypt
# aes-128` encrypts every segment (README, "Encryption"; target <= 1.15x). ffmpeg's own AES-128
# (TS only: its muxer cannot encrypt fMP4), with the key given the same way, for comparison.
input="$OUT/input-80s.mp4"
printf '\n%-10s %-6s %-18s %10s %10s %8s\n' input format option plain_s with_s cost
for option in --durable "--encrypt aes-128"; do
  for format in fmp4 ts; do
    read -r plain_s _ < <(measure "$OUT/work" "$REEL" ingest "$input" --library "$OUT/work" --name bench \
      --format "$format" --segment-duration 6 --progress never)
    # shellcheck disable=SC2086 # the option is two words
    read -r with_s _ < <(measure "$OUT/work" "$REEL" ingest "$input" --library "$OUT/work" --name bench \
      --format "$format" --segment-duration 6 --progress never $option)
    cost=$(awk -v a="$with_s" -v b="$plain_s" 'BEGIN { printf "%.2fx", a / b }')
    printf '%-10s %-6s %-18s %10s %10s %8s\n' "$(( $(stat -c %s "$input") / 1000000 ))MB" "$format" "$option" "$plain_s" "$with_s" "$cost"
  done
done
head -c 16 /dev/urandom > "$OUT/bench.key"
printf 'bench.key\n%s\n' "$OUT/bench.key" > "$OUT/bench.keyinfo"
ffmpeg_ts=(ffmpeg -hide_banner -loglevel error -nostdin -y -i "$input" -map 0 -c copy -f hls -hls_time 6 -hls_playlist_type vod
  -hls_segment_type mpegts -hls_segment_filename "$OUT/work/seg-%05d.ts")
read -r plain_s _ < <(measure "$OUT/work" "${ffmpeg_ts[@]}" "$OUT/work/index.m3u8")
read -r with_s _ < <(measure "$OUT/work" "${ffmpeg_ts[@]}" -hls_key_info_file "$OUT/bench.keyinfo" "$OUT/work/index.m3u8")
printf '%-10s %-6s %-18s %10s %10s %8s\n' "ffmpeg" ts "AES-128" "$plain_s" "$with_s" "$(awk -v a="$with_s" -v b="$plain_s" 'BEGIN { printf "%.2fx", a / b }')"

# System calls of one TS ingest each (write(2) count and size, fsync), where strace is installed.
if command -v strace >/dev/null; then
  printf '\n%-8s %8s %10s %8s\n' tool writes avg_bytes fsyncs
  syscalls() {
    local tool=$1; shift
    rm -rf "$OUT/work"; mkdir -p "$OUT/work"
    strace -f -qq -e trace=write,fsync -o "$OUT/strace.txt" "$@" >/dev/null 2>&1
    awk -v tool="$tool" '/ write\(/ { n++; split($0, r, "= "); bytes += r[length(r)] } / fsync\(/ { f++ }
      END { printf "%-8s %8d %10d %8d\n", tool, n, n ? bytes / n : 0, f }' "$OUT/strace.txt"
  }
  syscalls reel "$REEL" ingest "$input" --library "$OUT/work" --name bench --format ts --segment-duration 6 --progress never
  syscalls ffmpeg ffmpeg -hide_banner -loglevel error -nostdin -y -i "$input" -map 0 -c copy -f hls -hls_time 6 \
    -hls_playlist_type vod -hls_segment_type mpegts -hls_segment_filename "$OUT/work/seg-%05d.ts" "$OUT/work/index.m3u8"
fi
rm -rf "$OUT/work"
