#!/bin/sh
# bench/demand.sh - ingest rate and memory of `altoplace demand` on a
# 10-million-line combined-format log built from the real access log's lines
# (its address mix), spread over 4 days like the real log whatever the
# number of lines (memory grows with PIDs x time buckets, not with lines;
# an earlier version of this script stretched the time span with the line
# count and so measured bucket growth), with a network map of the 633,831 RouteViews prefixes
# (IPv4 + IPv6, one PID per origin AS), against `wc -l` and a straightforward
# Python baseline (ipaddress + one dict per prefix length) in the same run.
#
#   make bench-demand            LINES=10000000 by default
#   LINES=2000000 sh bench/demand.sh
set -eu
cd "$(dirname "$0")/.."
DATA=${AP_DATA:-../shared/data}
LINES=${LINES:-10000000}
BIN=${BIN:-build/altoplace}
W=$(mktemp -d /tmp/altoplace-bench-demand.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x $BIN ] || { echo "build first: make" >&2; exit 2; }

python3 bench/demand_gen.py netmap $DATA/requests/prefix-maps/routeviews-pfx2as/ipasn6_20151101.dat.gz $W/nm.json
python3 bench/demand_gen.py log $DATA/requests/apache-combined/apache_logs "$LINES" $W/big.log
SMALL=$((LINES / 10))
head -n $SMALL $W/big.log > $W/small.log
head -n 1 $W/big.log > $W/one.log

now() { date +%s.%N; }
rate() { echo "$1 / $2" | bc -l | xargs printf "%.0f"; }

t0=$(now); wc -l $W/big.log > /dev/null; t1=$(now); twc=$(echo "$t1 - $t0" | bc -l)
/usr/bin/time -f "%e %M" -o $W/t.one $BIN demand $W/one.log -n $W/nm.json -o /dev/null -q
/usr/bin/time -f "%e %M" -o $W/t.small $BIN demand $W/small.log -n $W/nm.json -o /dev/null -q
/usr/bin/time -f "%e %M" -o $W/t.big $BIN demand $W/big.log -n $W/nm.json -o $W/demand.json -q
read tone mone < $W/t.one
read tsmall msmall < $W/t.small
read tbig mbig < $W/t.big
ingest=$(echo "$tbig - $tone" | bc -l)
py=$(python3 bench/demand_gen.py baseline $W/nm.json $W/big.log)
pyrate=$(echo "$py" | sed -n 's/.* s, \([0-9]*\) lines\/s.*/\1/p')

echo "network map: 633,831 prefixes; load + one line: ${tone} s, peak RSS $((mone / 1024)) MiB"
echo "wc -l:             $LINES lines in $(printf %.2f $twc) s ($(rate $LINES $twc) lines/s)"
echo "altoplace demand:  $LINES lines in $(printf %.2f $tbig) s, of which ingest $(printf %.2f $ingest) s ($(rate $LINES $ingest) lines/s on one core)"
echo "$py"
echo "ratio altoplace ingest / python baseline: $(echo "$(rate $LINES $ingest) / $pyrate" | bc -l | xargs printf %.1f)x"
echo "ratio altoplace ingest / wc -l time: $(echo "$ingest / $twc" | bc -l | xargs printf %.1f)"
echo "peak RSS: $((msmall / 1024)) MiB for the first $SMALL lines, $((mbig / 1024)) MiB for all $LINES lines"
