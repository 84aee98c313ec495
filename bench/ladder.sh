#!/usr/bin/env bash
# bench/ladder: Reel's 1080p -> 720p/480p/360p ladder (fMP4, AAC audio group) against the
# equivalent single ffmpeg command line on the same 60 s 1080p input: same x264 preset and
# profile, bit rates, maxrate (110%) and bufsize (2 x maxrate), GOP length, IDRs forced every
# segment duration, bicubic scaling, AAC 128 kb/s stereo, 6 s fMP4 segments.
# Prints wall time (median of RUNS), the ratio (target <= 1.05), peak RSS, and the fairness
# check: each rung's PSNR against the source scaled to the rung's size (Reel within 0.5 dB of ffmpeg).
set -euo pipefail
cd "$(dirname "$0")/.."

REEL=${REEL:-.build/release/reel}
RUNS=${RUNS:-3}
PRESET=${PRESET:-veryfast}
OUT=bench/out/ladder
mkdir -p "$OUT"
input="$OUT/input-1080p-60s.mp4"

# Camera-like enough for rate control to matter: testsrc2 moves, plus film grain noise.
source bench/lib/inputs.bash
generate_input "$input" 60 1920x1080 ",noise=alls=12:allf=t" -c:v libx264 -preset veryfast -crf 18 -g 50 -c:a aac -b:a 192k

# Rungs as Reel plans them: height, width (source aspect, even), default kb/s.
RUNGS=("720 1280 3000" "480 854 1400" "360 640 730")
SEGMENT=6
GOP=$((SEGMENT * 25))

source bench/lib/measure.bash

# The ffmpeg command line doing the same work.
split="[0:v]split=${#RUNGS[@]}"
filters=""
maps=()
streams=""
for i in "${!RUNGS[@]}"; do
  read -r height width kbps <<< "${RUNGS[$i]}"
  split+="[s$i]"
  filters+=";[s$i]scale=$width:$height:flags=bicubic,format=yuv420p[v$i]"
  maxrate=$((kbps * 11 / 10))
  maps+=(-map "[v$i]" "-c:v:$i" libx264 "-b:v:$i" "${kbps}k" "-maxrate:v:$i" "${maxrate}k" "-bufsize:v:$i" "$((maxrate * 2))k")
  streams+="v:$i,agroup:audio "
done
ffmpeg_ladder=(ffmpeg -hide_banner -loglevel error -nostdin -y -i "$input"
  -filter_complex "$split$filters" "${maps[@]}" -map 0:a -c:a aac -b:a 128k -ac 2
  -preset "$PRESET" -profile:v high -g "$GOP" -keyint_min $((GOP / 10)) -flags +cgop
  -force_key_frames "expr:gte(t,n_forced*$SEGMENT)"
  -f hls -hls_time "$SEGMENT" -hls_playlist_type vod -hls_segment_type fmp4
  -var_stream_map "${streams}a:0,agroup:audio" -master_pl_name master.m3u8
  -hls_fmp4_init_filename init.mp4 -hls_segment_filename "$OUT/work-ffmpeg/%v/seg-%05d.m4s" "$OUT/work-ffmpeg/%v/index.m3u8")

read -r reel_s reel_kb < <(measure "$OUT/work-reel" "$REEL" ingest "$input" --library "$OUT/work-reel" --name bench \
  --renditions 720p,480p,360p --preset "$PRESET" \
  --segment-duration "$SEGMENT" --progress never)
read -r ff_s ff_kb < <(measure "$OUT/work-ffmpeg" "${ffmpeg_ladder[@]}")
ratio=$(awk -v a="$reel_s" -v b="$ff_s" 'BEGIN { printf "%.2f", a / b }')

printf '%-26s %10s %10s %8s %12s %14s\n' work reel_s ffmpeg_s ratio reel_rss_MB ffmpeg_rss_MB
printf '%-26s %10s %10s %8s %12d %14d\n' "1080p 60s -> 720/480/360p" "$reel_s" "$ff_s" "$ratio" $((reel_kb / 1024)) $((ff_kb / 1024))

# Quality: PSNR of each rung against the source scaled to its size, Reel vs ffmpeg.
psnr() {
  ffmpeg -hide_banner -nostdin -i "$1" -i "$input" \
    -lavfi "[1:v]scale=$2:$3:flags=bicubic,format=yuv420p[ref];[0:v][ref]psnr" -f null - 2>&1 |
    sed -n 's/.*PSNR.* average:\([0-9.inf]*\).*/\1/p' | tail -1
}
printf '%-8s %10s %10s %8s %12s %12s\n' rung reel_dB ffmpeg_dB diff reel_kbps ffmpeg_kbps
for i in "${!RUNGS[@]}"; do
  read -r height width kbps <<< "${RUNGS[$i]}"
  reel_db=$(psnr "$OUT/work-reel/bench/${height}p/index.m3u8" "$width" "$height")
  ff_db=$(psnr "$OUT/work-ffmpeg/$i/index.m3u8" "$width" "$height")
  reel_rate=$(du -cb "$OUT/work-reel/bench/${height}p/"*.m4s "$OUT/work-reel/bench/${height}p/init.mp4" | tail -1 | awk '{ printf "%d", $1 * 8 / 60 / 1000 }')
  ff_rate=$(du -cb "$OUT/work-ffmpeg/$i/"*.m4s "$OUT/work-ffmpeg/$i/"init*.mp4 | tail -1 | awk '{ printf "%d", $1 * 8 / 60 / 1000 }')
  diff=$(awk -v a="$reel_db" -v b="$ff_db" 'BEGIN { printf "%+.2f", a - b }')
  printf '%-8s %10s %10s %8s %12s %12s\n' "${height}p" "$reel_db" "$ff_db" "$diff" "$reel_rate" "$ff_rate"
done
