#!/bin/sh
# bench/fetch.sh - fetch + parse of an N x N cost map over loopback through
# the library, against `curl -s URL > /dev/null` of the same document in the
# same run; memory against the dense matrix (N*N doubles).
#   make bench-fetch        (N = 1000 and 3000)
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
W=$(mktemp -d /tmp/altoplace-bench-fetch.XXXXXX)
trap 'if [ -n "$SRV" ]; then kill $SRV 2>/dev/null || true; fi; rm -rf "$W"' EXIT
SRV=
for N in ${SIZES:-1000 3000}; do
    python3 - "$W" "$N" <<'PY'
import json, random, sys
w, n = sys.argv[1], int(sys.argv[2])
random.seed(1)
pids = ["P%d" % i for i in range(n)]
nm = {"meta": {"vtag": {"resource-id": "nm", "tag": "t"}},
      "network-map": {p: {"ipv4": ["10.%d.%d.0/24" % (i // 256, i % 256)]} for i, p in enumerate(pids)}}
json.dump(nm, open(w + "/nm.json", "w"))
with open(w + "/cm.json", "w") as f:
    f.write('{"meta":{"dependent-vtags":[{"resource-id":"nm","tag":"t"}],'
            '"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}},"cost-map":{')
    for i, s in enumerate(pids):
        f.write(("," if i else "") + json.dumps(s) + ":{" +
                ",".join('"%s":%d' % (d, random.randint(1, 999)) for d in pids) + "}")
    f.write("}}")
json.dump({"meta": {"cost-types": {"r": {"cost-mode": "numerical", "cost-metric": "routingcost"}}},
           "resources": {"nm": {"uri": "{{BASE}}/nm", "media-type": "application/alto-networkmap+json"},
                         "cm": {"uri": "{{BASE}}/cm", "media-type": "application/alto-costmap+json",
                                "capabilities": {"cost-type-names": ["r"]}, "uses": ["nm"]}}},
          open(w + "/dir.json", "w"))
open(w + "/media.txt", "w").write("/directory dir.json application/alto-directory+json\n"
                                  "/nm nm.json application/alto-networkmap+json\n"
                                  "/cm cm.json application/alto-costmap+json\n")
PY
    FIFO=$W/fifo; rm -f "$FIFO"; mkfifo "$FIFO"
    "$B/alto-test-server" "$W" ok > "$FIFO" & SRV=$!
    read PORT < "$FIFO"
    SIZE=$(stat -c %s "$W/cm.json")
    t0=$(date +%s.%N); curl -s "http://127.0.0.1:$PORT/cm" > /dev/null; t1=$(date +%s.%N)
    tcurl=$(echo "$t1 - $t0" | bc -l)
    set -- $("$B/bench-fetch" "http://127.0.0.1:$PORT/directory")
    tlib=$1; rss=$2
    dense=$((N * N * 8 / 1024))
    printf "N=%-5d cost map %6.1f MB: curl %.3f s, altoplace fetch+parse %.3f s (%.1fx curl); peak RSS %d MiB = %.1fx the dense matrix (%d MiB)\n" \
        "$N" "$(echo "$SIZE / 1000000" | bc -l)" "$tcurl" "$tlib" "$(echo "$tlib / $tcurl" | bc -l)" \
        $((rss / 1024)) "$(echo "$rss / $dense" | bc -l)" $((dense / 1024))
    kill $SRV; wait $SRV 2>/dev/null || true; SRV=
done
