#!/bin/sh
# Rebuilds this example's ALTO files and demand from the real data in
# ../shared/data with altoplace's own importers (run from anywhere).
set -e
cd "$(dirname "$0")"
HERE=.
DATA=${AP_DATA:-../../../shared/data}
BIN=${AP_BIN:-../../build/altoplace}
# The Zoo geocodes two GEANT 2009 PoPs in the wrong country (NO in Finland,
# LT in Belarus); --country puts their prefixes right.
"$BIN" import zoo "$DATA/topologies/zoo/graphml/Geant2009.graphml" \
    --prefixes "$DATA/requests/prefix-maps/country-ip-blocks" \
    --country NO=no --country LT=lt --resource-id geant2009-network-map -o "$HERE"
"$BIN" demand "$DATA/requests/apache-combined/apache_logs" -n "$HERE/networkmap.json" \
    --bucket 1d -o "$HERE/demand.json"
