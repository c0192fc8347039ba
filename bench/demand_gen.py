#!/usr/bin/env python3
"""Inputs for bench/demand.sh (Python standard library only).

  demand_gen.py netmap PFX2AS.gz OUT.json   network map: one PID per origin AS
  demand_gen.py log REAL_LOG N OUT.log      N combined-format lines cycling through the
                                            real log's lines (its address mix), with
                                            increasing timestamps spread over 4 days
                                            (like the real log), whatever N
  demand_gen.py baseline NETMAP.json LOG    the straightforward Python baseline:
                                            ipaddress + one dict per prefix length
"""
import gzip, ipaddress, json, re, sys, time


def netmap(src, out):
    groups = {}
    seen = set()
    with gzip.open(src, "rt") as f:
        for line in f:
            if line.startswith(";"):
                continue
            pfx, asn = line.split()
            if pfx in seen:
                continue
            seen.add(pfx)
            fam = "ipv6" if ":" in pfx else "ipv4"
            pid = "AS" + re.sub(r"[^0-9A-Za-z_]", "_", asn)
            groups.setdefault(pid, {}).setdefault(fam, []).append(pfx)
    doc = {"meta": {"vtag": {"resource-id": "routeviews-pfx2as", "tag": "20151101"}},
           "network-map": groups}
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print("%d prefixes in %d PIDs" % (len(seen), len(groups)), file=sys.stderr)


def log(real, n, out):
    lines = [l.rstrip("\n") for l in open(real, encoding="latin-1")]
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    t0 = 1431856800  # 17 May 2015 10:00 UTC
    SPAN = 4 * 86400
    pat = re.compile(r"\[[^\]]*\]")
    with open(out, "w", encoding="latin-1", buffering=1 << 20) as f:
        for i in range(n):
            t = time.gmtime(t0 + (i * SPAN) // n)
            stamp = "[%02d/%s/%d:%02d:%02d:%02d +0000]" % (t.tm_mday, months[t.tm_mon - 1], t.tm_year,
                                                           t.tm_hour, t.tm_min, t.tm_sec)
            f.write(pat.sub(stamp, lines[i % len(lines)], count=1))
            f.write("\n")


def baseline(nm_path, log_path):
    doc = json.load(open(nm_path))
    tables = {}
    for pid, grp in doc["network-map"].items():
        for p in grp.get("ipv4", []):
            net = ipaddress.ip_network(p)
            tables.setdefault(net.prefixlen, {})[int(net.network_address)] = pid
    lens = sorted(tables, reverse=True)
    counts = {}
    n = 0
    t = time.time()
    with open(log_path, encoding="latin-1") as f:
        for line in f:
            n += 1
            ip = int(ipaddress.IPv4Address(line.split(" ", 1)[0]))
            for L in lens:
                pid = tables[L].get(ip >> (32 - L) << (32 - L))
                if pid is not None:
                    counts[pid] = counts.get(pid, 0) + 1
                    break
    dt = time.time() - t
    print("python baseline: %d lines in %.2f s, %.0f lines/s, %d PIDs with demand" %
          (n, dt, n / dt, len(counts)))


if __name__ == "__main__":
    if sys.argv[1] == "netmap":
        netmap(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "log":
        log(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        baseline(sys.argv[2], sys.argv[3])
