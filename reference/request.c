/* reference/request.c -- what the router and the handlers may ask of a
 * request beyond struct ref_req's fields: its headers, its query arguments
 * and the fields of a multipart form body. They read libmicrohttpd's
 * connection (ref_req.conn) and nothing of the server, so that router.c and
 * the handlers depend on this file and not on server.c, which calls them. */
#include <microhttpd.h>
#include <string.h>

#include "internal.h"

const char *ref_req_header(const struct ref_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *ref_req_query(const struct ref_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct form_scan {
    const char *field;
    int found;
    size_t size;
};

static enum MHD_Result form_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
    struct form_scan *s = cls;

    (void)kind;
    (void)filename;
    (void)content_type;
    (void)transfer_encoding;
    (void)data;
    (void)off;
    if (key && strcmp(key, s->field) == 0) {
        s->found = 1;
        s->size += size;
    }
    return MHD_YES;
}

int ref_req_form_field(const struct ref_req *r, const char *field, size_t *size)
{
    struct form_scan s = {field, 0, 0};
    struct MHD_PostProcessor *pp = MHD_create_post_processor(r->conn, 4096, form_iter, &s);
    enum MHD_Result ok;

    if (!pp)
        return -1;
    ok = MHD_post_process(pp, r->body, r->body_len);
    if (MHD_destroy_post_processor(pp) != MHD_YES || ok != MHD_YES)
        return -1;
    *size = s.size;
    return s.found;
}
