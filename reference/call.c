/* reference/call.c -- the two ways a handler answers a call: an error from
 * the catalog (through the one error function, ref_reply_error) or a JSON
 * success. They live apart from router.c so that the handlers, which the
 * router's table calls, never call back into the router. */
#include "internal.h"

int ref_fail(struct ref_call *c, long code)
{
    ref_reply_error(c->reply, c->cat, c->cfg->mutations, c->cfg->n_mutations, code);
    return -1;
}

int ref_ok(struct ref_call *c, int status, json_t *body)
{
    ref_reply_json(c->reply, status, body);
    return 0;
}
