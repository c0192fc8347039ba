#!/bin/sh
# Rebuilds this example's ALTO files and demand from the real data in
# ../shared/data with altoplace's own importers (run from anywhere).
set -e
cd "$(dirname "$0")"
DATA=${AP_DATA:-../../../shared/data}
BIN=${AP_BIN:-../../build/altoplace}
FLOWS=$DATA/alto/openalto-lhcone-cms/flows.json
"$BIN" import wlcg "$DATA/alto/openalto-alto/wlcg-cric.rcsite.json" --flows "$FLOWS" \
    --resource-id wlcg-cms-network-map -o .
"$BIN" demand --flows "$FLOWS" --sites sites.json -n networkmap.json --weight bytes \
    --bucket 1d -o demand.json
"$BIN" demand --flows "$FLOWS" --sites sites.json -n networkmap.json --weight bytes \
    --bucket 1d --forecast --season 7 -o demand-forecast.json
