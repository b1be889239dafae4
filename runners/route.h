/* runners/route.h -- the API's endpoints as data, and which one a request hit.
 *
 * Passive judging (HAR files, the proxy) groups answers by route template
 * ("/api/v1/nlb/loadbalancers/{lb_name}"), so that names and ids in paths
 * do not explode a report. The table is a data file shipped beside the
 * catalog (catalog/routes.json, format "apiconform-routes/1", taken from
 * api/REFERENCE.md section 6); it is loaded and validated once and is
 * read-only afterwards. Matching is a pure function of a method and a URL:
 * it never sends anything and never keeps a pointer to its input. */
#ifndef ROUTE_H
#define ROUTE_H

#include <stddef.h>

#include "../common/ac.h"

/* The routes file's format string. */
#define ROUTE_FORMAT "apiconform-routes/1"

/* Routes files larger than this are refused (the shipped one is 8 KiB). */
#define ROUTE_FILE_MAX (1024u * 1024u)

/* The label of answers whose path matches no template is
 * "(unknown route) /<seg1>/<seg2>": the first two segments, each cut at
 * ROUTE_UNKNOWN_SEG_CAP bytes, bytes outside printable ASCII as '?'. */
#define ROUTE_UNKNOWN "(unknown route)"
#define ROUTE_UNKNOWN_SEG_CAP 24

struct route_table; /* opaque */

/* Loads and validates a routes file: the format string, a "routes" array
 * of objects {method, path, service, source (optional)}; a method is one of
 * GET HEAD POST PUT DELETE PATCH OPTIONS; a path starts with '/', has no
 * empty segment, and its parameters are whole segments "{name}" (one
 * segment) or "{name+}" (one or more); service is 0..99; no (method, path)
 * twice; no other key. NULL with err naming the file and the member
 * ("catalog/routes.json: routes[3].path: ..."). */
struct route_table *route_table_load(const char *path, struct ac_error *err);

/* Same from memory; name is used in error messages. */
struct route_table *route_table_load_buffer(const char *name, const char *data, size_t len,
                                            struct ac_error *err);

/* $AC_ROUTES, else the shipped table (see ac_data_path). Static buffer. */
const char *route_table_default_path(void);

void route_table_free(struct route_table *t);

size_t route_table_count(const struct route_table *t);

/* How a request relates to the table. */
enum route_kind {
    ROUTE_MATCHED,      /* a template of this method matches the path */
    ROUTE_OTHER_METHOD, /* a template matches the path, but for other methods */
    ROUTE_UNMATCHED,    /* no template matches the path */
};

/* The route of one request. */
struct route_match {
    enum route_kind kind;
    char label[128]; /* the template ("/api/v1/ips/{id}"), or for ROUTE_UNMATCHED
                        "(unknown route) /api/v9" as described above */
    int service;     /* the template's catalog service, -1 when unmatched */
};

/* Maps a request to its route. url may be absolute ("http://h:1/api/v1/ips?x=1")
 * or a path; the query and fragment are ignored, and so is one trailing
 * '/'. When several templates match, the one with more literal segments
 * wins ("/ips/quota" over "/ips/{id}"), then the first in the file. When
 * method is unusual or NULL, a match is ROUTE_OTHER_METHOD. Never fails. */
void route_table_match(const struct route_table *t, const char *method, const char *url,
                       struct route_match *out);

#endif
