/* prefixes.c - address prefixes for the PoPs of an imported topology: real
 * country blocks (RIR delegations) or the prefixes an AS originates
 * (prefix-to-AS tables), dealt over the PoPs. */
#include "inputs_int.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- country prefixes */

/* Country names used in the Topology Zoo -> ISO 3166-1 alpha-2. */
static const char *const COUNTRIES[][2] = {
    {"Albania", "al"}, {"Algeria", "dz"}, {"Antigua and Barbuda", "ag"}, {"Argentina", "ar"},
    {"Armenia", "am"}, {"Australia", "au"}, {"Austria", "at"}, {"Bahamas", "bs"},
    {"Barbados", "bb"}, {"Belarus", "by"}, {"Belgium", "be"}, {"Belize", "bz"},
    {"Bolivia", "bo"}, {"Bonaire, Saint Eustatius and Saba", "bq"},
    {"Bosnia and Herzegovina", "ba"}, {"Brazil", "br"}, {"Brunei", "bn"}, {"Bulgaria", "bg"},
    {"Canada", "ca"}, {"Cayman Islands", "ky"}, {"Chile", "cl"}, {"China", "cn"},
    {"Colombia", "co"}, {"Costa Rica", "cr"}, {"Croatia", "hr"}, {"Curacao", "cw"},
    {"Cyprus", "cy"}, {"Czech Republic", "cz"}, {"Denmark", "dk"}, {"Dominica", "dm"},
    {"Dominican Republic", "do"}, {"Ecuador", "ec"}, {"Egypt", "eg"}, {"El Salvador", "sv"},
    {"Estonia", "ee"}, {"Fiji", "fj"}, {"Finland", "fi"}, {"France", "fr"}, {"Gambia", "gm"},
    {"Georgia", "ge"}, {"Germany", "de"}, {"Gibraltar", "gi"}, {"Greece", "gr"},
    {"Grenada", "gd"}, {"Guadeloupe", "gp"}, {"Guam", "gu"}, {"Guatemala", "gt"},
    {"Guyana", "gy"}, {"Honduras", "hn"}, {"Hong Kong", "hk"}, {"Hungary", "hu"},
    {"Iceland", "is"}, {"India", "in"}, {"Indonesia", "id"}, {"Ireland", "ie"},
    {"Israel", "il"}, {"Italy", "it"}, {"Jamaica", "jm"}, {"Japan", "jp"}, {"Kosovo", "xk"},
    {"Latvia", "lv"}, {"Lebanon", "lb"}, {"Libya", "ly"}, {"Liechtenstein", "li"},
    {"Lithuania", "lt"}, {"Luxembourg", "lu"}, {"Macau", "mo"}, {"Macedonia", "mk"},
    {"Malaysia", "my"}, {"Malta", "mt"}, {"Martinique", "mq"}, {"Mexico", "mx"},
    {"Moldova", "md"}, {"Montenegro", "me"}, {"Morocco", "ma"}, {"Myanmar [Burma]", "mm"},
    {"Netherlands", "nl"}, {"New Zealand", "nz"}, {"Nicaragua", "ni"}, {"Nigeria", "ng"},
    {"Norway", "no"}, {"Pakistan", "pk"}, {"Panama", "pa"}, {"Peru", "pe"},
    {"Philippines", "ph"}, {"Poland", "pl"}, {"Portugal", "pt"}, {"Puerto Rico", "pr"},
    {"Romania", "ro"}, {"Russia", "ru"}, {"Saint Martin", "mf"},
    {"Saint Vincent and the Grenadines", "vc"}, {"Saudi Arabia", "sa"}, {"Serbia", "rs"},
    {"Singapore", "sg"}, {"Slovakia", "sk"}, {"Slovenia", "si"}, {"South Africa", "za"},
    {"South Korea", "kr"}, {"Spain", "es"}, {"Sri Lanka", "lk"}, {"Suriname", "sr"},
    {"Svalbard and Jan Mayen", "sj"}, {"Sweden", "se"}, {"Switzerland", "ch"}, {"Syria", "sy"},
    {"Taiwan", "tw"}, {"Thailand", "th"}, {"Trinidad and Tobago", "tt"}, {"Turkey", "tr"},
    {"Turks and Caicos Islands", "tc"}, {"U.S. Virgin Islands", "vi"}, {"Ukraine", "ua"},
    {"United Arab Emirates", "ae"}, {"United Kingdom", "gb"}, {"United States", "us"},
    {"Uruguay", "uy"}, {"Venezuela", "ve"}, {"Vietnam", "vn"}, {"Zambia", "zm"},
};

const char *ap__country_code(const char *name)
{
    size_t i;
    if (!name)
        return NULL;
    for (i = 0; i < sizeof COUNTRIES / sizeof COUNTRIES[0]; i++)
        if (strcmp(COUNTRIES[i][0], name) == 0)
            return COUNTRIES[i][1];
    return NULL;
}

/* Deals a country's real blocks over its PoPs: each block goes to the PoP
 * with the least address space so far (largest blocks first keeps it even).
 * Which PoP gets which block is this importer's assumption, not data. */
typedef struct {
    char *s;
    int plen;
} cblock;

static int cmp_block(const void *a, const void *b)
{
    const cblock *x = a, *y = b;
    if (x->plen != y->plen)
        return x->plen - y->plen;
    return strcmp(x->s, y->s);
}

/* Deals `nb` blocks of one family over the PoPs `who`: each block goes to
 * the PoP with the least address space so far, largest blocks first. */
static int deal_blocks(ap_topo *t, const size_t *who, size_t nw, cblock *bl, size_t nb, int fam)
{
    double *load = calloc(nw ? nw : 1, sizeof *load);
    size_t i, k;
    if (!load)
        return -1;
    qsort(bl, nb, sizeof *bl, cmp_block);
    for (i = 0; i < nb; i++) {
        size_t best = 0;
        for (k = 1; k < nw; k++)
            if (load[k] < load[best])
                best = k;
        load[best] += ldexp(1.0, (fam == 4 ? 32 : 64) - (bl[i].plen > 64 ? 64 : bl[i].plen));
        if (ap__topo_add_prefix(&t->node[who[best]], bl[i].s)) {
            free(load);
            return -1;
        }
    }
    free(load);
    return 0;
}

static int push_block(cblock **bl, size_t *nb, size_t *cb, const char *s, int plen)
{
    cblock *q = ap__grow(*bl, cb, *nb + 1, sizeof *q, 256, 0);
    if (!q)
        return -1;
    *bl = q;
    if (!((*bl)[*nb].s = ap__strdup(s)))
        return -1;
    (*bl)[(*nb)++].plen = plen;
    return 0;
}

static void free_blocks(cblock *bl, size_t nb)
{
    size_t i;
    for (i = 0; i < nb; i++)
        free(bl[i].s);
    free(bl);
}

static int deal_country(ap_topo *t, const char *cc, const char *dir, const ap_topo_opts *o,
                        ap_error *err)
{
    size_t *who = NULL, nw = 0, i, k;
    int fam, rc = 0;
    for (i = 0; i < t->n; i++)
        if (t->node[i].cc && strcmp(t->node[i].cc, cc) == 0)
            nw++;
    if (!nw)
        return 0;
    if (!(who = malloc(nw * sizeof *who))) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    for (i = 0, k = 0; i < t->n; i++)
        if (t->node[i].cc && strcmp(t->node[i].cc, cc) == 0)
            who[k++] = i;
    for (fam = 4; fam <= 6 && rc == 0; fam += 2) {
        char path[4096], line[256];
        FILE *f;
        cblock *bl = NULL;
        size_t cb = 0, nb = 0;
        snprintf(path, sizeof path, "%s/ipv%d/%s.cidr", dir, fam, cc);
        if (!(f = fopen(path, "r"))) {
            tlog(o, AP_LOG_WARN, "%s: no IPv%d blocks for country %s (%s)", path, fam, cc, "file missing");
            continue;
        }
        while (rc == 0 && fgets(line, sizeof line, f)) {
            uint8_t a[16];
            int plen;
            char *e = line + strlen(line);
            while (e > line && isspace((unsigned char)e[-1]))
                *--e = '\0';
            if (!line[0] || line[0] == '#')
                continue;
            if (ap__cidr_parse(line, fam, a, &plen) != 0) {
                tlog(o, AP_LOG_WARN, "%s: skipping \"%s\" (not an IPv%d prefix)", path, line, fam);
                continue;
            }
            rc = push_block(&bl, &nb, &cb, line, plen);
        }
        fclose(f);
        if (rc == 0)
            rc = deal_blocks(t, who, nw, bl, nb, fam);
        free_blocks(bl, nb);
    }
    if (rc)
        ap__err(err, AP_ENOMEM, dir, "out of memory");
    else if (nw > 1)
        tlog(o, AP_LOG_INFO, "country %s: its blocks are dealt over %zu PoPs (assumed split)", cc, nw);
    free(who);
    return rc;
}

/* The prefixes that AS `asn` originates in prefix-to-AS tables (pyasn
 * IPASN-DAT: "prefix<TAB>asn" lines, ';' comments; gzip allowed), dealt over
 * every PoP of the network. */
static int deal_as(ap_topo *t, const ap_topo_opts *o, ap_error *err)
{
    size_t *who = malloc((t->n ? t->n : 1) * sizeof *who), i, f, total = 0;
    int fam, rc = 0;
    cblock *bl[2] = {NULL, NULL};
    size_t nb[2] = {0, 0}, cb[2] = {0, 0};
    if (!who) {
        ap__err(err, AP_ENOMEM, t->source, "out of memory");
        return -1;
    }
    for (i = 0; i < t->n; i++)
        who[i] = i;
    for (f = 0; f < o->nas_tables && rc == 0; f++) {
        ap__lines *lr = ap__lines_open(o->as_tables[f], (size_t)1 << 20, err);
        char *line;
        long got = 0, bad = 0;
        if (!lr) {
            rc = -2;
            break;
        }
        while (rc == 0 && (got = ap__lines_next(lr, &line, err)) >= 0) {
            char *tab = strchr(line, '\t'), *end;
            long asn;
            uint8_t a[16];
            int plen, fm;
            if (line[0] == ';' || line[0] == '\0')
                continue;
            if (!tab) {
                bad++;
                continue;
            }
            *tab = '\0';
            asn = strtol(tab + 1, &end, 10);
            if (end == tab + 1) {
                bad++;
                continue;
            }
            if (asn != o->asn)
                continue;
            fm = strchr(line, ':') ? 6 : 4;
            if (ap__cidr_parse(line, fm, a, &plen) != 0) {
                tlog(o, AP_LOG_WARN, "%s:%ld: skipping \"%s\" (not an IPv%d prefix)", o->as_tables[f],
                     ap__lines_lineno(lr), line, fm);
                continue;
            }
            rc = push_block(&bl[fm == 6], &nb[fm == 6], &cb[fm == 6], line, plen);
        }
        if (rc == 0 && got == -2)
            rc = -2;
        ap__lines_close(lr);
        if (bad)
            tlog(o, AP_LOG_WARN, "%s: %ld lines are not \"prefix<TAB>asn\"", o->as_tables[f], bad);
    }
    for (fam = 0; fam < 2 && rc == 0; fam++) {
        /* the same prefix in two tables (e.g. IPv4 in both dumps) once */
        size_t w = 0;
        qsort(bl[fam], nb[fam], sizeof *bl[fam], cmp_block);
        for (i = 0; i < nb[fam]; i++) {
            if (w && !strcmp(bl[fam][w - 1].s, bl[fam][i].s)) {
                free(bl[fam][i].s);
                continue;
            }
            bl[fam][w++] = bl[fam][i];
        }
        nb[fam] = w;
        total += nb[fam];
        rc = deal_blocks(t, who, t->n, bl[fam], nb[fam], fam ? 6 : 4);
    }
    if (rc == -1)
        ap__err(err, AP_ENOMEM, t->source, "out of memory");
    if (rc == 0) {
        if (total == 0)
            tlog(o, AP_LOG_WARN, "AS %ld originates no prefix in the given tables: PIDs have no prefixes", o->asn);
        else
            tlog(o, AP_LOG_INFO, "AS %ld: %zu IPv4 and %zu IPv6 prefixes dealt over %zu PoPs (assumed split)",
                 o->asn, nb[0], nb[1], t->n);
    }
    free_blocks(bl[0], nb[0]);
    free_blocks(bl[1], nb[1]);
    free(who);
    return rc ? -1 : 0;
}

int ap__topo_assign_prefixes(ap_topo *t, const ap_topo_opts *o, ap_error *err)
{
    size_t i, j, nocc = 0;
    if (o && o->asn > 0 && o->nas_tables) {
        if (o->prefixes) {
            ap__err(err, AP_EINVAL, t->source, "give country prefixes or an AS's prefixes, not both");
            return -1;
        }
        return deal_as(t, o, err);
    }
    if (!o || !o->prefixes)
        return 0;
    for (i = 0; i < o->ncountries; i++) {
        const char *eq = strchr(o->countries[i], '=');
        char pid[128];
        long at;
        if (!eq || eq == o->countries[i] || (size_t)(eq - o->countries[i]) >= sizeof pid || strlen(eq + 1) != 2) {
            ap__err(err, AP_EINVAL, t->source, "country override \"%s\": expected PID=cc (ISO 3166 alpha-2)",
                    o->countries[i]);
            return -1;
        }
        memcpy(pid, o->countries[i], (size_t)(eq - o->countries[i]));
        pid[eq - o->countries[i]] = '\0';
        if ((at = ap_topo_find(t, pid)) < 0) {
            ap__err(err, AP_EINVAL, t->source, "country override \"%s\": no PoP %s", o->countries[i], pid);
            return -1;
        }
        free(t->node[at].cc);
        if (!(t->node[at].cc = ap__strdup(eq + 1))) {
            ap__err(err, AP_ENOMEM, t->source, "out of memory");
            return -1;
        }
        for (j = 0; t->node[at].cc[j]; j++)
            t->node[at].cc[j] = (char)tolower((unsigned char)t->node[at].cc[j]);
        tlog(o, AP_LOG_INFO, "PoP %s: country set to %s", pid, t->node[at].cc);
    }
    for (i = 0; i < t->n; i++) {
        int seen = 0;
        if (!t->node[i].cc) {
            nocc++;
            continue;
        }
        for (j = 0; j < i && !seen; j++)
            seen = t->node[j].cc && strcmp(t->node[j].cc, t->node[i].cc) == 0;
        if (!seen && deal_country(t, t->node[i].cc, o->prefixes, o, err))
            return -1;
    }
    if (nocc)
        tlog(o, AP_LOG_WARN, "%zu PoPs have no known country: their PIDs have no prefixes", nocc);
    return 0;
}
