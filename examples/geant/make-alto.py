#!/usr/bin/env python3
"""Builds the GEANT 2009 example's ALTO files from real data.

Inputs (read from ../shared/data, see examples/geant/README.md):
  topologies/zoo/graphml/Geant2009.graphml      (Internet Topology Zoo, CC BY 4.0)
  requests/prefix-maps/country-ip-blocks/ipv4|ipv6/<cc>.cidr   (RIR data, CC0)
  requests/apache-combined/apache_logs           (10,000 real requests, Apache-2.0)

Outputs (in this folder): networkmap.json, costmap-delay-ow.json,
costmap-hopcount.json, propmap.json, demand.json.

Model: each GEANT 2009 point of presence is one national research network;
its PID carries that country's real IPv4/IPv6 blocks.  One-way delay of a
link = great-circle length / 2e8 m/s (light in fibre, about 2/3 c), in
microseconds (the unit of RFC 9439 delay-ow); PID-to-PID delay is the
shortest path by delay.  Demand = requests of the access log whose client
address falls in the PID's prefixes (longest-prefix match).

This script is a stop-gap until the C Topology Zoo importer exists; it only
uses the Python standard library.
"""
import bisect, hashlib, ipaddress, json, math, os, sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("AP_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
NS = "{http://graphml.graphdrawing.org/xmlns}"
SPEED = 2.0e8  # m/s
RID = "geant2009-network-map"
LABEL_TO_CC = {"UK": "gb", "SL": "si"}  # Zoo labels that are not ISO 3166 codes


def load_graph(path):
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(NS + "key")}
    nodes, edges = {}, []
    for n in root.iter(NS + "node"):
        d = {keys[x.get("key")]: x.text for x in n.findall(NS + "data")}
        nodes[n.get("id")] = d
    for e in root.iter(NS + "edge"):
        d = {keys[x.get("key")]: x.text for x in e.findall(NS + "data")}
        edges.append((e.get("source"), e.get("target"), d))
    return nodes, edges


def haversine_m(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def floyd(n, w):
    d = [row[:] for row in w]
    for k in range(n):
        dk = d[k]
        for i in range(n):
            dik = d[i][k]
            if dik == math.inf:
                continue
            di = d[i]
            for j in range(n):
                if dik + dk[j] < di[j]:
                    di[j] = dik + dk[j]
    return d


def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=False)
        f.write("\n")


def main():
    nodes, edges = load_graph(os.path.join(DATA, "topologies/zoo/graphml/Geant2009.graphml"))
    ids = sorted(nodes, key=int)
    pid = {i: nodes[i]["label"] for i in ids}
    n = len(ids)
    idx = {i: k for k, i in enumerate(ids)}
    coord = {i: (float(nodes[i]["Latitude"]), float(nodes[i]["Longitude"])) for i in ids}
    inf = math.inf
    wd = [[0 if a == b else inf for b in range(n)] for a in range(n)]
    wh = [[0 if a == b else inf for b in range(n)] for a in range(n)]
    linkcap = [0.0] * n
    for s, t, d in edges:
        a, b = idx[s], idx[t]
        us = haversine_m(coord[s], coord[t]) / SPEED * 1e6
        wd[a][b] = wd[b][a] = min(wd[a][b], us)
        wh[a][b] = wh[b][a] = 1
        if d.get("LinkSpeedRaw"):
            linkcap[a] += float(d["LinkSpeedRaw"]) / 1e9
            linkcap[b] += float(d["LinkSpeedRaw"]) / 1e9
    dd, hh = floyd(n, wd), floyd(n, wh)

    # real prefixes: each PID gets its country's blocks
    netmap, ranges = {}, []
    for i in ids:
        cc = LABEL_TO_CC.get(pid[i], pid[i].lower())
        grp = {}
        for fam in ("ipv4", "ipv6"):
            p = os.path.join(DATA, "requests/prefix-maps/country-ip-blocks", fam, cc + ".cidr")
            lst = []
            if os.path.exists(p):
                for line in open(p):
                    line = line.strip()
                    if line and not line.startswith("#"):
                        lst.append(line)
                        if fam == "ipv4":
                            net = ipaddress.ip_network(line)
                            ranges.append((int(net.network_address), int(net.broadcast_address), pid[i]))
            grp[fam] = lst
        netmap[pid[i]] = grp
    body = json.dumps(netmap, sort_keys=True).encode()
    tag = hashlib.sha1(body).hexdigest()
    write("networkmap.json", {"meta": {"vtag": {"resource-id": RID, "tag": tag}}, "network-map": netmap})

    def costmap(metric, m, digits):
        cm = {pid[ids[a]]: {pid[ids[b]]: round(m[a][b], digits) if digits else int(m[a][b])
                            for b in range(n) if m[a][b] != inf} for a in range(n)}
        return {"meta": {"dependent-vtags": [{"resource-id": RID, "tag": tag}],
                         "cost-type": {"cost-mode": "numerical", "cost-metric": metric}},
                "cost-map": cm}
    write("costmap-delay-ow.json", costmap("delay-ow", dd, 1))
    write("costmap-hopcount.json", costmap("hopcount", hh, 0))
    props = {}
    for i in ids:
        props[RID + ".pid:" + pid[i]] = {"latitude": coord[i][0], "longitude": coord[i][1],
                                         "link-capacity-gbps": round(linkcap[idx[i]], 3)}
    write("propmap.json", {"meta": {"dependent-vtags": [{"resource-id": RID, "tag": tag}]},
                           "property-map": props})

    # demand from the real access log
    ranges.sort()
    starts = [r[0] for r in ranges]
    count, total, unmatched = {}, 0, 0
    for line in open(os.path.join(DATA, "requests/apache-combined/apache_logs")):
        total += 1
        try:
            ip = int(ipaddress.IPv4Address(line.split()[0]))
        except Exception:
            unmatched += 1
            continue
        k = bisect.bisect_right(starts, ip) - 1
        if k >= 0 and ip <= ranges[k][1]:
            count[ranges[k][2]] = count.get(ranges[k][2], 0) + 1
        else:
            unmatched += 1
    write("demand.json", {"meta": {"source": "requests/apache-combined/apache_logs",
                                   "unit": "requests", "lines": total,
                                   "outside-these-pids": unmatched},
                          "demand": dict(sorted(count.items()))})
    print("%d PIDs, %d edges, %d of %d requests inside GEANT countries" %
          (n, len(edges), total - unmatched, total), file=sys.stderr)


if __name__ == "__main__":
    main()
