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
#endif
