#!/bin/sh
# Rebuilds this example's ALTO files and demand from the real data in
# ../shared/data with altoplace's own importers (run from anywhere).
set -e
cd "$(dirname "$0")"
DATA=${AP_DATA:-../../../shared/data}
BIN=${AP_BIN:-../../build/altoplace}
"$BIN" import zoo "$DATA/topologies/zoo/graphml/Kdl.graphml" \
    --prefixes "$DATA/requests/prefix-maps/country-ip-blocks" --resource-id kdl-network-map -o .
rm -f costmap-hopcount.json   # 9.7 MB that the example does not use
"$BIN" demand "$DATA/requests/apache-combined/apache_logs" -n networkmap.json \
    --bucket 1d -o demand.json
