# Sourced by the benchmark scripts. Needs $work (a scratch folder).
# measure NAME CMD...: runs CMD under /usr/bin/time -v; prints "NAME seconds peakMB cpuSeconds"
# (cpu = user + system of CMD and its children).
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || { echo "$name failed:" >&2; tail -5 "$work/out" "$work/time" >&2; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time")
  cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$work/time")
  echo "$name $wall $rss $cpu"
}
# ratio A B: A/B as "1.23x".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "-" }'; }
# verdict VALUE TARGET: PASS when VALUE <= TARGET.
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { printf (v + 0 <= t + 0 ? "PASS" : "MISS") }'; }
