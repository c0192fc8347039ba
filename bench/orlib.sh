#!/bin/sh
# bench/orlib.sh - every OR-Library instance through `altoplace import` +
# `altoplace plan`, against the published optimum and, in the same run, the
# textbook model (models/placement.mod) solved by glpsol.
#
#   make bench-orlib                 all instances, textbook limit 120 s each
#   TB_LIMIT=60 sh bench/orlib.sh    another textbook time limit (seconds)
#   TB_LIMIT=0 sh bench/orlib.sh     skip the textbook runs
#   ONLY="pmed6 cap41" sh bench/orlib.sh
#
# Columns: instance, published optimum, altoplace objective, status, time (s),
# greedy objective, greedy gap to the optimum (%), greedy time (s), textbook
# time (s; ">T" = stopped at the limit, "-" = not run), ratio textbook/altoplace.
set -u
cd "$(dirname "$0")/.."
DATA=${AP_DATA:-../shared/data}/orlib
BIN=${BIN:-build/altoplace}
TB_LIMIT=${TB_LIMIT:-120}
PLAN_LIMIT=${PLAN_LIMIT:-600}
W=$(mktemp -d /tmp/altoplace-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x $BIN ] || { echo "build first: make" >&2; exit 2; }

now() { date +%s.%N; }
. bench/lib.sh

instances() {
    for i in $(seq 1 20); do echo "pmed$i pmed $DATA/pmed/pmed$i.txt -"; done
    for f in 41 42 43 44 51 61 62 63 64 71 72 73 74 81 82 83 84 91 92 93 94 \
             101 102 103 104 111 112 113 114 121 122 123 124 131 132 133 134; do
        echo "cap$f cap $DATA/cap/cap$f.txt -"
    done
    for q in 8000 10000 12000 14000; do echo "capa$q cap $DATA/cap/capa_expanded/capa$q.txt -"; done
    # capb and capc: the UflLib copies (capacity column 0) with each
    # published capacity put back (OR-Library Table 1; optima in capopt.txt)
    for x in b5000 b6000 b7000 b8000 c5000 c5750 c6500 c7250; do
        src=$DATA/ufl/ORLIB-uncap/a-c/cap${x%????}.txt
        [ -f "$src" ] || continue
        awk -v q="${x#?}" 'NR >= 2 && NR <= 101 {$1 = q} {print}' "$src" > "$W/cap$x.txt"
        echo "cap$x cap $W/cap$x.txt -"
    done
    for i in $(seq 1 10); do echo "pmedcap$i pmedcap $DATA/pmedcap/pmedcap$i.txt -"; done
}

optimum() {
    case $1 in
    pmed*cap*) head -1 "$2" | awk '{print $2}' ;;
    pmed*) awk -v n="$1" '$1 == n {print $2}' $DATA/pmed/pmedopt.txt ;;
    capa8000) echo 19240822.449 ;; capa10000) echo 18438046.543 ;;
    capa12000) echo 17765201.949 ;; capa14000) echo 17160439.012 ;;
    capb5000) echo 13656379.578 ;; capb6000) echo 13361927.449 ;;
    capb7000) echo 13198556.434 ;; capb8000) echo 13082516.496 ;;
    capc5000) echo 11646596.974 ;; capc5750) echo 11570340.289 ;;
    capc6500) echo 11518743.744 ;; capc7250) echo 11505767.394 ;;
    cap*) awk -v n="$1" '$1 == n {print $2}' $DATA/cap/capopt.txt ;;
    esac
}

printf "%-10s %14s %16s %-9s %8s %16s %7s %7s %9s %7s\n" instance published altoplace status time \
    greedy "gap%" gtime textbook ratio
n=0; good=0; RATIOS=$W/ratios
: > $RATIOS
instances | while read -r name kind file _; do
    if [ -n "${ONLY:-}" ]; then
        case " $ONLY " in *" $name "*) ;; *) continue ;; esac
    fi
    d=$W/$name
    $BIN import orlib-$kind "$file" -o "$d" -q || { echo "$name: import failed"; continue; }
    opt=$(optimum "$name" "$file")
    t0=$(now); $BIN plan "$d/problem.json" -q -o "$d/plan.json" --time-limit $PLAN_LIMIT; t1=$(now)
    obj=$(jnum objective "$d/plan.json"); st=$(jstr status "$d/plan.json")
    tp=$(echo "$t1 - $t0" | bc -l)
    t0=$(now); $BIN plan "$d/problem.json" -q --solver greedy -o "$d/greedy.json"; t1=$(now)
    gobj=$(jnum objective "$d/greedy.json"); tg=$(echo "$t1 - $t0" | bc -l)
    ggap=$(echo "100 * ($gobj - $opt) / $opt" | bc -l)
    tb="-"; ratio="-"
    if [ "$TB_LIMIT" != 0 ]; then
        $BIN export mathprog "$d/problem.json" -o "$d/problem.dat"
        t0=$(now)
        glpsol --math models/placement.mod --data "$d/problem.dat" --tmlim "$TB_LIMIT" > "$d/glpsol.out" 2>&1
        t1=$(now)
        if grep -q "INTEGER OPTIMAL SOLUTION FOUND" "$d/glpsol.out"; then
            tb=$(printf "%.2f" "$(echo "$t1 - $t0" | bc -l)")
            ratio=$(printf "%.1f" "$(echo "$tb / $tp" | bc -l)")
        else
            tb=">$TB_LIMIT"
            ratio=">$(printf "%.1f" "$(echo "$TB_LIMIT / $tp" | bc -l)")"
        fi
        case $name in pmed6|pmed7|pmed8|pmed9|pmed1[0-9]|pmed20) echo "$name $ratio" >> $RATIOS ;; esac
    fi
    ok=no
    if [ "$st" = optimal ] && [ "$(echo "($obj - $opt) < 0.0015 && ($opt - $obj) < 0.0015" | bc -l)" = 1 ]; then ok=yes; fi
    printf "%-10s %14s %16s %-9s %8.2f %16s %7.3f %7.2f %9s %7s %s\n" "$name" "$opt" "$obj" "$st" "$tp" \
        "$gobj" "$ggap" "$tg" "$tb" "$ratio" "$([ $ok = yes ] || echo MISMATCH)"
    echo "$ok" >> $W/results
done
n=$(wc -l < $W/results); good=$(grep -c yes $W/results)
if [ -s $RATIOS ]; then
    med=$(sed 's/>//' $RATIOS | awk '{print $2}' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
    echo "median textbook/altoplace time ratio over pmed6..20: $med (a '>' entry counts its lower bound)"
fi
echo "$good/$n instances optimal and equal to the published value"
