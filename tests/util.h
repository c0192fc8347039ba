/* util.h - scenario helpers for tests. */
#ifndef AP_TEST_UTIL_H
#define AP_TEST_UTIL_H
/* Writes content to dir/name; returns the path (valid for 8 calls). */
char *write_file(const char *dir, const char *name, const char *content);
const char *line_network(void);
#endif
