/* test_invalid.c - invalid documents kept as data: every folder
 * fixtures/invalid/<kind>-<case>/ holds one document and `expect` (the
 * error code and a part of the message).  Loading it must fail with that
 * code and message, naming the file.  Folders starting with "_" hold the
 * valid maps the cases refer to. */
#include "test.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#define DIR_INVALID "fixtures/invalid"

static int code_of(const char *name)
{
#define AP__XX(c, text) if (!strcmp(name, #c)) return c;
    AP_ERRNO_MAP(AP__XX)
#undef AP__XX
    return -1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads expect: "code AP_X", "message TEXT" and, optionally, "source
 * SUFFIX" (the end of the file the error must name). */
static int read_expect(const char *dir, int *code, char *msg, size_t cap, char *src, size_t scap)
{
    char path[600], line[512];
    FILE *f;
    int got = 0;
    snprintf(path, sizeof path, "%s/expect", dir);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "code ", 5))
            *code = code_of(line + 5), got |= 1;
        else if (!strncmp(line, "message ", 8))
            snprintf(msg, cap, "%s", line + 8), got |= 2;
        else if (!strncmp(line, "source ", 7))
            snprintf(src, scap, "%s", line + 7);
    }
    fclose(f);
    return got == 3 && *code >= 0 ? 0 : -1;
}

/* Loads the case's document as its kind says; 1 when loading failed as
 * expected is for the caller to check: returns whether an object came back. */
static int load_case(const char *name, const char *dir, ap_error *e, char *doc, size_t cap)
{
    ap_netmap *nm3;
    int got = 0;
    ap_error_clear(e);
    if (!strncmp(name, "netmap-", 7)) {
        ap_netmap *nm;
        snprintf(doc, cap, "%s/networkmap.json", dir);
        nm = ap_netmap_load(doc, e);
        got = nm != NULL;
        ap_netmap_free(nm);
    } else if (!strncmp(name, "costmap-", 8)) {
        ap_costmap *cm;
        nm3 = ap_netmap_load(DIR_INVALID "/_net3/networkmap.json", NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(nm3);
        snprintf(doc, cap, "%s/costmap.json", dir);
        cm = ap_costmap_load(doc, nm3, e);
        got = cm != NULL;
        ap_costmap_free(cm);
        ap_netmap_free(nm3);
    } else if (!strncmp(name, "problem-", 8)) {
        ap_problem *p;
        snprintf(doc, cap, "%s/problem.json", dir);
        p = ap_problem_load(doc, e);
        got = p != NULL;
        ap_problem_free(p);
    } else {
        fprintf(stderr, "\n  %s: unknown kind of invalid document\n", name);
        CU_FAIL("unknown kind");
    }
    return got;
}

static void test_invalid_documents(void)
{
    DIR *d = opendir(DIR_INVALID);
    struct dirent *de;
    char *names[512];
    size_t n = 0, i, kinds[3] = {0, 0, 0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    while ((de = readdir(d)) && n < 512)
        if (de->d_name[0] != '.' && de->d_name[0] != '_' && strcmp(de->d_name, "README.md"))
            names[n++] = strdup(de->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    for (i = 0; i < n; i++) {
        char dir[400], msg[600], doc[500], src[520] = "";
        int code = -1;
        ap_error e;
        snprintf(dir, sizeof dir, DIR_INVALID "/%s", names[i]);
        if (read_expect(dir, &code, msg, sizeof msg, src, sizeof src)) {
            fprintf(stderr, "\n  %s: expect needs 'code AP_...' and 'message ...' lines\n", dir);
            CU_FAIL("bad expect file");
            continue;
        }
        CU_ASSERT_FALSE(load_case(names[i], dir, &e, doc, sizeof doc));
        if (e.code != code || !strstr(e.text, msg))
            fprintf(stderr, "\n  %s: got %s \"%s\", expected %s \"%s\"\n", names[i], ap_strerror(e.code), e.text,
                    ap_strerror(code), msg);
        CU_ASSERT_EQUAL(e.code, code);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.text, msg));
        /* the error names the document (or, for a problem, a file it uses) */
        CU_ASSERT(e.source[0] != '\0');
        if (strncmp(names[i], "problem-", 8))
            CU_ASSERT_STRING_EQUAL(e.source, doc);
        if (src[0]) {
            size_t ls = strlen(e.source), lx = strlen(src);
            int ends = ls >= lx && !strcmp(e.source + ls - lx, src);
            if (!ends)
                fprintf(stderr, "\n  %s: the error names %s, expected ...%s\n", names[i], e.source, src);
            CU_ASSERT(ends);
        }
        kinds[names[i][0] == 'n' ? 0 : names[i][0] == 'c' ? 1 : 2]++;
        free(names[i]);
    }
    /* the cases are all there: 14 network maps, 13 cost maps, 17 problems */
    CU_ASSERT(kinds[0] >= 14);
    CU_ASSERT(kinds[1] >= 13);
    CU_ASSERT(kinds[2] >= 17);
}

void suite_invalid(void)
{
    CU_pSuite s = CU_add_suite("invalid", NULL, NULL);
    CU_add_test(s, "invalid documents (fixtures/invalid): code, message, file", test_invalid_documents);
}
