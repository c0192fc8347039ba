/* placement.mod - the textbook placement model in GNU MathProg.
 *
 * Covers every altoplace model: p-median (k > 0, no opening costs),
 * uncapacitated facility location (opening costs f), capacitated facility
 * location with split demand, or single-source when single = 1; coverage,
 * bandwidth limits and weighted metrics arrive already folded into the
 * allowed pairs A and the costs c; re-placement adds pinned sites, a limit on
 * new sites and migration costs (in f).  This is the
 * classical "strong" formulation (x_ij <= y_j): the baseline that
 * altoplace's built-in solver is measured against, and a cross-check of it.
 *
 * Data: `altoplace export mathprog PROBLEM.json -o DATA.dat`, then
 *   glpsol --math models/placement.mod --data DATA.dat
 */

set I;                          /* clients (PIDs with demand) */
set J;                          /* candidate sites */
set A within I cross J;         /* allowed pairs: cost known */

param d{I} >= 0;                /* demand */
param c{A} >= 0;                /* cost per unit of demand, site j -> client i */
param f{J} >= 0, default 0;     /* opening cost */
param Q{J} >= 0, default sum{i in I} d[i];  /* capacity (default: unlimited) */
param k integer >= 0, default 0;            /* sites to open; 0 = free */
param single binary, default 0;             /* 1: single-source assignment */
param pinned{J} binary, default 0;          /* re-placement: must stay open */
param existing{J} binary, default 0;        /* re-placement: already running */
param maxchg integer, default -1;           /* at most this many new sites; -1: no limit */

var y{J} binary;
var x{A} >= 0, <= 1;
var xs{(i, j) in A: single = 1} binary;

minimize total_cost:
    sum{j in J} f[j] * y[j] + sum{(i, j) in A} d[i] * c[i, j] * x[i, j];

s.t. assign{i in I}: sum{(i, j) in A} x[i, j] = 1;
s.t. link{(i, j) in A}: x[i, j] <= y[j];
s.t. capacity{j in J}: sum{(i, j) in A} d[i] * x[i, j] <= Q[j] * y[j];
s.t. count{t in 1..1: k > 0}: sum{j in J} y[j] = k;
s.t. single_source{(i, j) in A: single = 1}: x[i, j] = xs[i, j];
s.t. pin{j in J: pinned[j] = 1}: y[j] = 1;
s.t. changes{t in 1..1: maxchg >= 0}: sum{j in J: existing[j] = 0} y[j] <= maxchg;

solve;

printf "objective %.6f\n", total_cost;
printf{j in J: y[j] > 0.5} "site %s\n", j;

end;
