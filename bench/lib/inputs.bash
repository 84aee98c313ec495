# Sourced by the benchmarks (bench/*.sh); not a benchmark itself.
#
# generate_input FILE SECONDS SIZE FILTER ENCODER_OPTIONS...: FILE, made once (then reused) from
# ffmpeg's lavfi sources: testsrc2 at 25 fps (FILTER appended to it, e.g. ",noise=alls=12:allf=t")
# and a 440 Hz sine at 48 kHz, encoded with ENCODER_OPTIONS, moov first.
generate_input() {
  local file=$1 seconds=$2 size=$3 filter=$4
  shift 4
  [ -s "$file" ] && return
  echo "generating $file ($seconds s of $size)..." >&2
  mkdir -p "$(dirname "$file")"
  ffmpeg -hide_banner -loglevel error -nostdin -y \
    -f lavfi -i "testsrc2=size=$size:rate=25:duration=$seconds$filter" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$seconds" \
    "$@" -movflags +faststart "$file"
}

# The 1080p input of bench/ingest.sh and bench/serve.sh (~32 Mb/s, a keyframe every 2 s).
generate_1080p_input() {
  generate_input "$1" "$2" 1920x1080 "" -c:v libx264 -preset ultrafast -g 50 -keyint_min 50 -sc_threshold 0 \
    -b:v 40M -maxrate 40M -bufsize 40M -c:a aac -b:a 128k
}
