/* vtag.c - RFC 7285 version tags: a map's meta.dependent-vtags checked
 * against the network map it depends on. */
#include "alto_int.h"
#include <stdlib.h>
#include <string.h>

/* Checks meta.dependent-vtags against the network map: an entry for nm's
 * resource id must carry nm's vtag.  `required` (cost maps): the entry must
 * exist and every entry be well formed; otherwise (property maps) only a
 * mismatching entry is an error.  rid/tag (may be NULL) get the entry. */
int ap__check_dep_vtags(json_t *meta, const char *src, const ap_netmap *nm, int required,
                        char **rid, char **tag, ap_error *err)
{
    json_t *dv = json_object_get(meta, "dependent-vtags"), *e;
    size_t k;
    if (!json_is_array(dv) || json_array_size(dv) == 0) {
        if (!required)
            return 0;
        ap__err(err, AP_EFORMAT, src, "meta.dependent-vtags: missing or not a non-empty array "
                "(a cost map must name the network map it depends on)");
        return -1;
    }
    json_array_foreach(dv, k, e) {
        json_t *r = json_object_get(e, "resource-id"), *t = json_object_get(e, "tag");
        if (!json_is_string(r) || !json_is_string(t)) {
            if (!required)
                continue;
            ap__err(err, AP_EFORMAT, src, "meta.dependent-vtags[%zu]: needs string resource-id and tag", k);
            return -1;
        }
        if (strcmp(json_string_value(r), nm->resource_id) == 0) {
            if (rid && tag) {
                *rid = ap__strdup(json_string_value(r));
                *tag = ap__strdup(json_string_value(t));
                if (!*rid || !*tag) {
                    free(*rid);
                    free(*tag);
                    *rid = *tag = NULL;
                    ap__err(err, AP_ENOMEM, src, "out of memory");
                    return -1;
                }
            }
            if (strcmp(json_string_value(t), nm->vtag) != 0) {
                ap__err(err, AP_EVTAG, src, "meta.dependent-vtags[%zu]: depends on %s version %s, "
                        "but the network map has version %s", k, nm->resource_id,
                        json_string_value(t), nm->vtag);
                return -1;
            }
            return 0;
        }
    }
    if (!required)
        return 0;
    ap__err(err, AP_EVTAG, src, "meta.dependent-vtags: does not name network map \"%s\"", nm->resource_id);
    return -1;
}
