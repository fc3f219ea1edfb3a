#!/usr/bin/env bash
# loadtest.sh measures An's "Mijn dossiers" with wrk, in memory and in
# PostgreSQL, one after the other on the same binary, and prints one table:
# requests per second and latency with 16 connections, the latency of one
# request at a time (an idle portal), the CPU time per request of the portal
# and of its database server processes, and PostgreSQL's throughput as a
# fraction of memory's. See LOADTEST.md.
#
#   examples/portal/loadtest.sh postgres://postgres@127.0.0.1:5432/portal_load?sslmode=disable
#
# The database must exist (createdb -h 127.0.0.1 -U postgres portal_load);
# the first run files 10,000 demo reports in it (a minute or two), later
# runs find them there. It needs wrk, curl and psql; the CPU columns need
# PostgreSQL on this machine (/proc). DURATION (default 8 s) sets each wrk
# run's length, PORT (default 18080) the port; BIN=/path/to/portal measures
# that binary instead of building this tree (to compare two commits).
set -euo pipefail
pg=${1:?usage: loadtest.sh POSTGRES_URL}
dur=${DURATION:-8}
port=${PORT:-18080}
app=portal-loadtest
base=http://127.0.0.1:$port
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

# The portal under test is stopped however the script ends.
pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null || true' EXIT

# run MODE [args...]: start the portal, sign An in, measure, stop it.
run() {
  local mode=$1
  shift
  "$bin" -addr 127.0.0.1:$port -demo-dossiers 10000 "$@" 2>"$logs/$mode.log" &
  pid=$!
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
  # One request at a time: the latency of an idle portal.
  local idle
  idle=$(wrk -t1 -c1 -d3s --latency -H "$cookie" $base/mijn-dossiers | awk '$1 == "50%" {print $2}')
  # 16 connections, with the CPU time of the portal and its database
  # server processes around it.
  local db0 db1 p0 p1 out
  db0=$(ticks $(backends))
  p0=$(ticks $pid)
  out=$(wrk -t2 -c16 -d"${dur}s" --latency -H "$cookie" $base/mijn-dossiers)
  p1=$(ticks $pid)
  db1=$(ticks $(backends))
  p1=$(used "$p0" "$p1")
  db1=$(used "$db0" "$db1")
  kill $pid
  wait $pid 2>/dev/null || true
  pid=
  local n rps p50 p99
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  if echo "$out" | grep -q "Non-2xx"; then echo "$mode: wrk saw errors" >&2; echo "$out" >&2; exit 1; fi
  printf '%s %s %s %s %s %s %s\n' "$mode" "$rps" "$p50" "$p99" "$idle" \
    "$(awk -v t="$p1" -v n="$n" 'BEGIN {printf "%.2f", t * 10 / n}')" \
    "$(awk -v t="$db1" -v n="$n" 'BEGIN {printf "%.2f", t * 10 / n}')" >>"$logs/table"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
run memory
run postgres -postgres "$pgapp"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf '%-9s %9s %9s %9s %10s %13s %13s\n' mode req/s p50 p99 idle-p50 cpu-ms/req db-cpu-ms/req
while read -r mode rps p50 p99 idle cpu db; do
  [ $mode = memory ] && db=-
  printf '%-9s %9s %9s %9s %10s %13s %13s\n' "$mode" "$rps" "$p50" "$p99" "$idle" "$cpu" "$db"
done <"$logs/table"
awk '{r[$1] = $2} END {printf "postgres/memory: %.2f\n", r["postgres"] / r["memory"]}' "$logs/table"
