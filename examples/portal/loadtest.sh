#!/usr/bin/env bash
# loadtest.sh measures An's "Mijn dossiers" with wrk, in memory and in
# PostgreSQL, on the same binary, and prints one table: requests per second
# and latency with 16 connections, the latency of one request at a time (an
# idle portal), the CPU time per request of the portal and of its database
# server processes, and PostgreSQL's throughput as a fraction of memory's.
# See LOADTEST.md.
#
#   examples/portal/loadtest.sh postgres://postgres@127.0.0.1:5432/portal_load?sslmode=disable
#
# Both portals run at once, each on its own port, and the wrk runs
# alternate between them (memory, PostgreSQL, memory, PostgreSQL, ...:
# ROUNDS rounds, default 3, of DURATION seconds each, default 8), so that
# a machine that gets slower or faster during the measurement (a virtual
# machine's neighbours) weighs on both modes alike. The table sums the
# rounds; a line per round shows how far they agree.
#
# The database must exist (createdb -h 127.0.0.1 -U postgres portal_load);
# the first run files 10,000 demo reports in it (a minute or two), later
# runs find them there. It needs wrk, curl and psql; the CPU columns need
# PostgreSQL on this machine (/proc). PORT (default 18080) sets the first
# port (the second is the next one); BIN=/path/to/portal measures that
# binary instead of building this tree (to compare two commits).
set -euo pipefail
pg=${1:?usage: loadtest.sh POSTGRES_URL}
dur=${DURATION:-8}
rounds=${ROUNDS:-3}
port=${PORT:-18080}
app=portal-loadtest
logs=$(mktemp -d)
bin=${BIN:-}
if [ -z "$bin" ]; then
  bin=$logs/portal
  (cd "$(dirname "$0")/../.." && go build -o "$bin" ./examples/portal)
fi
case $pg in *\?*) pgapp="$pg&application_name=$app" ;; *) pgapp="$pg?application_name=$app" ;; esac

# ticks prints "pid ticks" for each given process: its CPU time so far
# (user + system, in the kernel's 10 ms ticks).
ticks() {
  local p
  for p in "$@"; do
    [ -r /proc/$p/stat ] && echo "$p $(sed 's/.*) //' /proc/$p/stat | awk '{print $12 + $13}')"
  done
  true
}
# used BEFORE AFTER sums, per process, the ticks used between the two
# lists; a process that is new in AFTER counts whole.
used() {
  awk 'NR == FNR {b[$1] = $2; next} {t += $2 - b[$1]} END {print t + 0}' <(echo "$1") <(echo "$2")
}
backends() { psql -X -At "$pg" -c "SELECT pid FROM pg_stat_activity WHERE application_name = '$app'" 2>/dev/null || true; }

# The portals under test are stopped however the script ends.
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done' EXIT

# start MODE PORT [args...]: start a portal, sign An in, check her
# overview; sets pid_MODE, port_MODE and cookie_MODE.
start() {
  local mode=$1 p=$2
  shift 2
  local base=http://127.0.0.1:$p
  "$bin" -addr 127.0.0.1:$p -demo-dossiers 10000 "$@" 2>"$logs/$mode.log" &
  local pid=$!
  pids+=($pid)
  until grep -q "portal listening" "$logs/$mode.log"; do
    kill -0 $pid 2>/dev/null || { cat "$logs/$mode.log"; exit 1; }
    sleep 0.5
  done
  # Sign An in as a citizen does: /aanmelden sends the browser to the
  # demo OpenID provider (/demo-idp/), whose page names the authorization
  # request; choosing "an" there returns to the portal, which sets the
  # session cookie "sessie".
  local jar id cookie
  jar=$(mktemp)
  id=$(curl -s -L -c "$jar" -b "$jar" $base/aanmelden | sed -n 's/.*name="id" value="\([^"]*\)".*/\1/p' | head -n1)
  [ -n "$id" ] || { echo "$mode: the sign-in did not reach the demo provider's page" >&2; exit 1; }
  curl -s -L -c "$jar" -b "$jar" -o /dev/null -d "id=$id" -d sub=an $base/demo-idp/aanmelden
  cookie="Cookie: sessie=$(awk '$6 == "sessie" {print $7}' "$jar")"
  local links
  links=$(curl -s -H "$cookie" $base/mijn-dossiers | grep -c 'href="/mijn-dossiers/' || true)
  [ "$links" = 23 ] || { echo "$mode: An's overview lists $links reports, not 23" >&2; exit 1; }
  eval "pid_$mode=$pid; port_$mode=$p"
  printf -v "cookie_$mode" '%s' "$cookie"
}

# idle MODE: the p50 latency of one request at a time.
idle() {
  local p c
  eval "p=\$port_$1"
  c=cookie_$1
  wrk -t1 -c1 -d3s --latency -H "${!c}" http://127.0.0.1:$p/mijn-dossiers | awk '$1 == "50%" {print $2}'
}

# load MODE: one wrk run of 16 connections, with the CPU time of the portal
# and of its database server processes around it; appends "mode requests
# seconds p50 p99 portal-ticks db-ticks" to the rounds file.
load() {
  local mode=$1 pid p c db0 db1 p0 p1 out
  eval "pid=\$pid_$mode; p=\$port_$mode"
  c=cookie_$mode
  db0=$(ticks $(backends))
  p0=$(ticks $pid)
  out=$(wrk -t2 -c16 -d"${dur}s" --latency -H "${!c}" http://127.0.0.1:$p/mijn-dossiers)
  p1=$(ticks $pid)
  db1=$(ticks $(backends))
  if echo "$out" | grep -q "Non-2xx"; then echo "$mode: wrk saw errors" >&2; echo "$out" >&2; exit 1; fi
  [ $mode = memory ] && db1=$db0
  printf '%s %s %s %s %s %s %s\n' "$mode" \
    "$(echo "$out" | awk '/requests in/ {print $1}')" \
    "$(echo "$out" | awk '/requests in/ {sub(/s,$/, "", $4); print $4}')" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "99%" {print $2}')" \
    "$(used "$p0" "$p1")" "$(used "$db0" "$db1")" >>"$logs/rounds"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
start memory $port
start postgres $((port + 1)) -postgres "$pgapp"
idle_memory=$(idle memory)
idle_postgres=$(idle postgres)
for r in $(seq 1 "$rounds"); do
  load memory
  load postgres
  tail -n2 "$logs/rounds" | awk -v r=$r '{n[$1] = $2 / $3} END {printf "round %d: memory %.0f req/s, postgres %.0f req/s, postgres/memory %.2f\n", r, n["memory"], n["postgres"], n["postgres"] / n["memory"]}'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# ms converts wrk's latency (850.00us, 2.31ms, 1.02s) to milliseconds.
ms() { awk '{v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[0-9]s$/ && $1 !~ /ms$/) v *= 1000; print v}' <<<"$1"; }
printf '%-9s %9s %9s %9s %10s %13s %13s\n' mode req/s p50 p99 idle-p50 cpu-ms/req db-cpu-ms/req
for mode in memory postgres; do
  # Requests and seconds and ticks summed over the rounds; the p50 and p99
  # are the medians of the rounds'.
  awk -v m=$mode '$1 == m {n += $2; s += $3; pt += $6; dt += $7} END {printf "%s %.2f %.2f %.2f\n", n, n / s, pt * 10 / n, dt * 10 / n}' "$logs/rounds" >"$logs/sum"
  read -r n rps cpu db <"$logs/sum"
  p50=$(awk -v m=$mode '$1 == m {print $4}' "$logs/rounds" | while read -r v; do ms "$v"; done | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)] "ms"}')
  p99=$(awk -v m=$mode '$1 == m {print $5}' "$logs/rounds" | while read -r v; do ms "$v"; done | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)] "ms"}')
  i=idle_$mode
  [ $mode = memory ] && db=-
  printf '%-9s %9s %9s %9s %10s %13s %13s\n' "$mode" "$rps" "$p50" "$p99" "${!i}" "$cpu" "$db"
  echo "$mode $rps" >>"$logs/table"
done
awk '{r[$1] = $2} END {printf "postgres/memory: %.2f\n", r["postgres"] / r["memory"]}' "$logs/table"
