/* glpk_int.h - what the solver's two GLPK users (ilp.c: the compact
 * models; benders.c: the Benders decomposition) share: a guard that turns
 * GLPK's internal errors into AP_ESOLVER instead of abort(), and a simplex
 * that sees cancellation.  Implemented in ilp.c. */
#ifndef AP_GLPK_INT_H
#define AP_GLPK_INT_H
#include "solver.h"
#include <glpk.h>
#include <setjmp.h>

typedef struct {
    jmp_buf jb;
    char last[256];         /* last line GLPK tried to print */
    char prev[256];         /* the line before it */
} ap__glpk_guard;

/* Routes GLPK's errors to a longjmp to g->jb and swallows its output
 * (remembering the last two lines).  Call after setjmp(g->jb). */
void ap__glpk_hook(ap__glpk_guard *g);
/* Removes the hooks. */
void ap__glpk_unhook(void);
/* After the longjmp: frees GLPK's environment (and every problem object it
 * held), removes the hooks, fills err from the last lines GLPK printed. */
void ap__glpk_failed(ap__glpk_guard *g, ap_error *err);
/* glp_simplex on the scaled problem (GLP_SF_AUTO, as glpsol does), in
 * slices of at most a second, so that a cancellation is seen within a
 * second; GLP_ETMLIM at the deadline or when cancelled. */
int ap__glpk_simplex(glp_prob *P, glp_smcp *smcp, double deadline);

/* Lagrangian bounds at the nodes of the single-source capacitated
 * branch-and-cut (ss_node.c). */
typedef struct ap__ssnode ap__ssnode;
/* For the model whose x_ij columns are xcol[i * ns + j] (0: none) and whose
 * assignment row of client i is first_row + i.  NULL when the problem does
 * not suit (not single source, demands or capacities not integers,
 * capacities above 8,192) or out of memory. */
ap__ssnode *ap__ssnode_new(const ap_problem *p, const int *xcol, int first_row);
/* At GLP_IROWGEN: once per node, the node's Lagrangian bound against
 * GLPK's incumbent; drops the node (a row making its LP infeasible) when the
 * bound reaches the incumbent, else fixes sites and client-site pairs in the
 * node (column bounds, and an empty row so that GLPK re-solves the node's
 * LP when they change its solution).  Before GLPK has an incumbent (the
 * root), the Lagrangian cuts of the seeded multipliers that its LP solution
 * violates.  1 when rows were added. */
int ap__ssnode_cut(ap__ssnode *s, glp_tree *T, int integral);
/* At GLP_IBRANCH: branches on the fractional site variable of the best
 * pseudocost product (the LP values its earlier branches added; the most
 * fractional until both sides have some).  0 when no site is fractional. */
int ap__ssnode_branch(ap__ssnode *s, glp_tree *T);
/* The node data ap__ssnode_cut keeps its bounds in (iocp.cb_size). */
size_t ap__ssnode_data_size(void);
/* The search's lower bound: over GLPK's active nodes, the least of each
 * node's LP bound or the Lagrangian bound of the node or of its nearest
 * ancestor that has one, whichever is larger (INFINITY: no active node). */
double ap__ssnode_global_bound(glp_tree *T);
/* Starts the search's multipliers at lam (nc; the root Lagrangian's best,
 * in demand-weighted costs): the root's Lagrangian cuts come from them. */
void ap__ssnode_seed(ap__ssnode *s, const double *lam);
/* Nodes seen, nodes dropped, sites and pairs fixed, cuts added, seconds spent. */
void ap__ssnode_counts(const ap__ssnode *s, long *calls, long *pruned, long *fixed, long *pairs, long *cuts,
                       double *secs);
void ap__ssnode_free(ap__ssnode *s);
#endif
