# Sourced by the benchmarks (bench/*.sh); not a benchmark itself.
#
# measure DIR COMMAND...: empties DIR, runs COMMAND RUNS times (DIR emptied before each run) and
# prints "median_seconds max_rss_kb". Needs OUT (scratch directory) and RUNS.
measure() {
  local dir=$1 times=() rss=0
  shift
  for _ in $(seq "$RUNS"); do
    rm -rf "$dir"; mkdir -p "$dir"
    sync
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/stderr.txt" || { cat "$OUT/stderr.txt" >&2; return 1; }
    read -r seconds kb < "$OUT/time.txt"
    times+=("$seconds")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")" "$rss"
}
