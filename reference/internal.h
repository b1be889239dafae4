/* reference/internal.h -- what the reference server's own files share:
 * replies (and the one error function), requests, the in-memory state, the
 * call context handed to every endpoint handler, and the handlers.
 *
 * Calls between the files point one way, downwards in this list; nothing
 * calls back up (mk/circles.sh build/obj/reference checks it):
 *
 *   main.c      the command line: config, server (and reply.c's names)
 *   server.c    libmicrohttpd and the watcher; fills a struct ref_req and
 *               hands it to the router
 *   router.c    route table and defect order; a function of the request,
 *               the state, the configuration and the catalog. It calls the
 *               handlers, never server.c
 *   h_*.c       the handlers; among them h_nlb -> h_micro_ns, h_micro_create
 *               and h_micro_svc -> h_micro_shared, h_legacy, h_storage,
 *               h_platform, and h_legacy -> h_platform
 *   call.c      ref_fail, ref_ok: how a handler answers
 *   request.c   headers, query and form fields of a request (libmicrohttpd's
 *               connection only, nothing of server.c)
 *   state.c, config.c, then reply.c (the one error function), util.c
 *
 * Threading: all requests are handled on libmicrohttpd's single polling
 * thread, so the state needs no lock. The only other thread (the watcher in
 * server.c) touches connection contexts under its own mutex and builds error
 * replies, which read the catalog and the configuration only. */
#ifndef REF_INTERNAL_H
#define REF_INTERNAL_H

#include <jansson.h>

#include "ref.h"

/* ---- time and randomness (util.c) ---- */

/* Monotonic milliseconds, for deadlines and asynchronous states. */
long long ref_now_ms(void);
/* Wall-clock time as ISO-8601 UTC, "2016-12-22T13:03:00Z", or with
 * milliseconds ("2016-12-29T07:20:26.000Z") when millis is 1. */
void ref_timestamp(char out[32], int millis);
/* n random bytes from the kernel (getrandom, else /dev/urandom). */
void ref_random_bytes(void *buf, size_t n);
/* A random version-4 UUID, 36 lower-case characters and a NUL. */
void ref_uuid(char out[37]);
/* nhex random lower-case hex digits and a NUL (out holds nhex + 1). */
void ref_random_hex(char *out, size_t nhex);

/* ---- replies (reply.c) ---- */

/* A response before it goes on the wire. Embedded: _init/_release. */
struct ref_reply {
    int status;            /* HTTP status */
    long code;             /* catalog code of an error reply, 0 for success */
    char content_type[64]; /* "" sends no Content-Type */
    char rid_name[16];     /* "Request-Id", or "" to send none */
    char rid_value[48];    /* the header's value */
    int ready;             /* 1 once a reply function filled it */
    struct ac_buf body;    /* may be empty */
};

void ref_reply_init(struct ref_reply *r);
void ref_reply_release(struct ref_reply *r);

/* THE error function: every error response of the server is made here, from
 * a catalog code. Status and message come from the catalog entry; the active
 * mutations (those unscoped or scoped to this code) are applied in order.
 * A code missing from the catalog (a foreign --catalog) is sent with status
 * catalog_code_status(code) and an empty message. Replaces what r held. */
void ref_reply_error(struct ref_reply *r, const struct catalog *cat,
                     const struct ref_mutation *muts, size_t n_muts, long code);

/* The delay, in ms, that the slow-answers mutation adds to an answer with
 * this catalog code (0: a success): REF_SLOW_ANSWER_MS when an unscoped one
 * or one scoped to code is active, else 0. */
unsigned ref_mutation_delay_ms(const struct ref_mutation *muts, size_t n_muts, long code);

/* A JSON success reply; body is stolen (NULL: an empty body). */
void ref_reply_json(struct ref_reply *r, int status, json_t *body);
/* A text success reply (PEM key) with the given Content-Type. */
void ref_reply_text(struct ref_reply *r, int status, const char *content_type, const char *text);

/* Appends the reply as raw HTTP/1.1 bytes ending the connection
 * ("Connection: close"), for the timeout path that writes to the socket
 * itself. 0 or -1 (no memory). */
int ref_reply_serialize(const struct ref_reply *r, struct ac_buf *out);

/* ---- requests (request.c; server.c fills the struct) ---- */

/* One request as the router sees it. */
struct ref_req {
    const char *method; /* "GET" */
    const char *path;   /* decoded path without the query string */
    const char *body;   /* the body bytes (may hold NULs), never NULL */
    size_t body_len;    /* bytes in body */
    int has_body;       /* 1 when the request declared or sent a body */
    void *conn;         /* struct MHD_Connection *, for the accessors */
};

/* A request header (case-insensitive name) or query argument; NULL when
 * absent. Borrowed: valid during the request. */
const char *ref_req_header(const struct ref_req *r, const char *name);
const char *ref_req_query(const struct ref_req *r, const char *name);
/* Looks for a multipart/form-data field in the body: 1 present (its size in
 * *size), 0 absent, -1 when the body is not a readable form. */
int ref_req_form_field(const struct ref_req *r, const char *field, size_t *size);

/* ---- state (state.c) ---- */

/* Resource kinds: one JSON array of objects per kind per account. Objects
 * carry their public fields plus internal ones whose keys start with '_'
 * (never shown: ref_public strips them). */
enum ref_kind {
    REF_K_SECRET_KEYS,
    REF_K_REPOSITORIES, /* each with "tags": [...] */
    REF_K_FAVORITES,    /* {repo_id}: repositories of other accounts */
    REF_K_CONTAINERS,   /* legacy Beta containers */
    REF_K_APPS,         /* legacy Beta apps (clusters) */
    REF_K_NAMESPACES,   /* the default one included */
    REF_K_SERVICES,
    REF_K_VOLUMES,
    REF_K_IPS,
    REF_K_LOADBALANCERS, /* each with "_listeners": [...] */
    REF_K_CERTS,
    REF_K_RDS,
    REF_K_COUNT
};

struct ref_account {
    struct ref_account_config cfg; /* as configured */
    long rate_limit;               /* effective per-token limit, 0 = none */
    json_t *res[REF_K_COUNT];      /* owned arrays */
};

struct ref_token {
    struct ref_token *next;
    char token[33];            /* 32 lower-case hex */
    struct ref_account *acct;  /* borrowed from the state */
    long long expires_ms;      /* monotonic */
    long long *ring;           /* times of the last rate_limit requests */
    size_t ring_len, ring_pos; /* ring capacity, next slot */
};

struct ref_state {
    const struct ref_config *cfg; /* borrowed */
    struct ref_account accounts[REF_MAX_ACCOUNTS];
    size_t n_accounts;
    struct ref_token *tokens; /* newest first */
    size_t n_tokens;
    long next_id;      /* integer ids, never reused */
    unsigned next_ip;  /* public address pool cursor */
    unsigned next_vip; /* internal LB address pool cursor */
};

int ref_state_init(struct ref_state *st, const struct ref_config *cfg);
void ref_state_release(struct ref_state *st);
/* Finishes every asynchronous transition due by now (CREATING -> WORKING,
 * building -> built, DELETING -> gone). */
void ref_state_tick(struct ref_state *st, long long now);
/* {"accounts": {name: {kind: count}}, "total": n} for GET /__ref/state. */
json_t *ref_state_counts(struct ref_state *st);
/* Issues a token for acct (evicts the oldest beyond a fixed cap). */
const struct ref_token *ref_state_token_new(struct ref_state *st, struct ref_account *acct,
                                            long long now);
/* The token's record, or NULL when unknown or expired. */
struct ref_token *ref_state_token_find(struct ref_state *st, const char *token, long long now);
/* 1 when one more request on t exceeds its account's per-second limit (the
 * request is then not counted), else 0 (counted). */
int ref_state_rate_exceeded(struct ref_token *t, long long now);
/* The account with these credentials, or NULL. */
struct ref_account *ref_state_login(struct ref_state *st, const char *key, const char *secret);
/* The account called name, or NULL. */
struct ref_account *ref_state_account(struct ref_state *st, const char *name);
/* The next integer id. */
long ref_state_id(struct ref_state *st);

struct ref_call;

/* JSON helpers over resource arrays. Borrowed results; *index gets the
 * position when index is not NULL. */
json_t *ref_find_int(json_t *arr, const char *key, long value, size_t *index);
json_t *ref_find_str(json_t *arr, const char *key, const char *value, size_t *index);
/* The resource of the caller's account of that kind whose integer member
 * key equals the numeric path parameter c->p[0]. Borrowed; NULL with *code
 * set to bad_code when the parameter is not a number, to missing_code when
 * no such resource exists. */
json_t *ref_find_by_path_id(struct ref_call *c, enum ref_kind kind, const char *key, long bad_code,
                            long missing_code, size_t *index, long *code);
/* A deep copy without the '_' keys (at any depth). New reference. */
json_t *ref_public(const json_t *obj);
/* Sets obj's key "status" to next after ms milliseconds (at once when ms is
 * 0); next NULL removes obj from its array then. next is stolen. */
void ref_schedule(json_t *obj, long long now, unsigned ms, json_t *next);
/* Convenience getters: the member's value, or 0 / "" when absent or of
 * another type. */
long ref_int(const json_t *obj, const char *key);
const char *ref_str(const json_t *obj, const char *key);

/* ---- calls (call.c) ---- */

/* What a handler gets (router.c fills it). */
struct ref_call {
    const struct ref_config *cfg;
    const struct catalog *cat;
    struct ref_state *st;
    const struct ref_req *req;
    struct ref_reply *reply;  /* the handler fills it */
    struct ref_account *acct; /* NULL on unauthenticated endpoints */
    json_t *body;             /* parsed JSON object (borrowed) or NULL */
    const char *p[3];         /* path parameters, in pattern order */
    long long now;            /* monotonic ms at dispatch */
};

/* Error reply through ref_reply_error. Returns -1. */
int ref_fail(struct ref_call *c, long code);
/* Success reply; body stolen (NULL: empty body). Returns 0. */
int ref_ok(struct ref_call *c, int status, json_t *body);

typedef int (*ref_handler)(struct ref_call *c);

/* ---- routing (router.c; server.c calls it) ---- */

/* What the router decided from the request line and headers alone; kept
 * per request so that the checks (and the rate limit count) run once. */
struct ref_dispatch {
    const void *route; /* struct route *, NULL when unmatched */
    struct ref_account *acct;
    char params[3][512]; /* path parameters */
    int n_params;
    long code; /* 0, or the error the request already earned */
};

/* Routing, authentication, frozen account, rate limit, fault injection and
 * media type, in that order; needs headers only. Fills d. */
void ref_route_precheck(struct ref_state *st, const struct ref_config *cfg,
                        const struct catalog *cat, const struct ref_req *req,
                        struct ref_dispatch *d);
/* The rest: body parsing and the handler. too_large: the body went over the
 * limit. Fills reply. */
void ref_route_finish(struct ref_state *st, const struct ref_config *cfg, const struct catalog *cat,
                      const struct ref_req *req, const struct ref_dispatch *d, int too_large,
                      struct ref_reply *reply);
/* The code for a body that cannot be read on the route's service (4220001,
 * or 4000403 on the NLB service). */
long ref_route_body_error(const struct ref_dispatch *d);

/* ---- validation helpers (util.c) ---- */

/* 1 when a request member is missing or null: both count as not sent. */
int ref_absent(const json_t *v);

/* Integer from a JSON integer or a decimal string (the documentation's
 * examples send numbers as strings). 1 and *out set, or 0. */
int ref_json_long(const json_t *v, long *out);
/* Integer from a query or path string: optional '-', 1-18 digits. */
int ref_parse_long(const char *s, long *out);
/* 1 when s is 1..max characters of [a-z0-9-], starting with a letter and
 * ending with a letter or digit (the documented volume/listener rule). */
int ref_name_ok(const char *s, size_t max);
/* 1 when every byte of s is in the set (and s is 1..max bytes long). */
int ref_chars_ok(const char *s, const char *set, size_t max);
/* 1 when s is an IPv4 dotted quad. */
int ref_ipv4_ok(const char *s);

/* ---- handlers (h_*.c) ---- */

/* h_platform.c: token, secret keys, repositories, images, favourites */
int ref_h_token(struct ref_call *c);
int ref_h_key_create(struct ref_call *c);
int ref_h_key_list(struct ref_call *c);
int ref_h_key_get(struct ref_call *c);
int ref_h_key_delete(struct ref_call *c);
int ref_h_repo_create(struct ref_call *c);
int ref_h_repo_list(struct ref_call *c);
int ref_h_repo_get(struct ref_call *c);
int ref_h_repo_update(struct ref_call *c);
int ref_h_repo_delete(struct ref_call *c);
int ref_h_tag_delete(struct ref_call *c);
int ref_h_tag_build(struct ref_call *c);
int ref_h_favorite_add(struct ref_call *c);
int ref_h_favorite_delete(struct ref_call *c);
/* GET /microservices/images (service 01, but a view of the repositories) */
int ref_h_svc_images(struct ref_call *c);
/* Resolves an image path for acct: 0 usable, else the error code
 * (4040129, 4030140, 4030012). *repo_key receives "owner/repo". */
long ref_image_resolve(struct ref_state *st, struct ref_account *acct, const char *path,
                       char *repo_key, size_t repo_key_size);
/* Adds a built tag to repo (container commit). */
void ref_repo_add_tag(json_t *repo, const char *tag, long long now);

/* h_legacy.c: Beta containers and apps */
int ref_h_legacy_images(struct ref_call *c);
int ref_h_container_create(struct ref_call *c);
int ref_h_container_list(struct ref_call *c);
int ref_h_container_get(struct ref_call *c);
int ref_h_container_update(struct ref_call *c);
int ref_h_container_delete(struct ref_call *c);
int ref_h_container_restart(struct ref_call *c);
int ref_h_container_tag(struct ref_call *c);
int ref_h_container_flow(struct ref_call *c);
int ref_h_app_create(struct ref_call *c);
int ref_h_app_list(struct ref_call *c);
int ref_h_app_get(struct ref_call *c);
int ref_h_app_update(struct ref_call *c);
int ref_h_app_delete(struct ref_call *c);
int ref_h_app_resize(struct ref_call *c);
int ref_h_app_watch(struct ref_call *c);
int ref_h_app_hook(struct ref_call *c);
/* Usage counts shared by the quota checks of several areas. */
long ref_count_containers(struct ref_account *a);
long ref_count_replicas(struct ref_account *a);
long ref_count_services(struct ref_account *a);

/* h_micro_ns.c: namespaces */
int ref_h_ns_create(struct ref_call *c);
int ref_h_ns_list(struct ref_call *c);
int ref_h_ns_delete(struct ref_call *c);
int ref_h_ns_services(struct ref_call *c);
/* The namespace of acct with this name ("namespace" field), or NULL. */
json_t *ref_ns_by_name(struct ref_account *a, const char *name);

/* h_micro_create.c, h_micro_svc.c: microservices (what the two share is in
 * h_micro.h, defined in h_micro_shared.c) */
int ref_h_svc_create(struct ref_call *c);
int ref_h_svc_get(struct ref_call *c);
int ref_h_svc_delete(struct ref_call *c);
int ref_h_svc_update_stateful(struct ref_call *c);
int ref_h_svc_update_stateless(struct ref_call *c);
int ref_h_svc_update_port(struct ref_call *c);
int ref_h_svc_scale(struct ref_call *c);
int ref_h_svc_update_image(struct ref_call *c);
int ref_h_svc_spec(struct ref_call *c);
int ref_h_svc_restart(struct ref_call *c);
int ref_h_svc_container_restart(struct ref_call *c);

/* h_storage.c: cloud volumes, IPs, RDS (service 05) */
int ref_h_vol_create(struct ref_call *c);
int ref_h_vol_list(struct ref_call *c);
int ref_h_vol_get(struct ref_call *c);
int ref_h_vol_resize(struct ref_call *c);
int ref_h_vol_delete(struct ref_call *c);
int ref_h_ip_create(struct ref_call *c);
int ref_h_ip_list(struct ref_call *c);
int ref_h_ip_quota(struct ref_call *c);
int ref_h_ip_get(struct ref_call *c);
int ref_h_ip_cost(struct ref_call *c);
int ref_h_ip_delete(struct ref_call *c);
int ref_h_rds_create(struct ref_call *c);
int ref_h_rds_list(struct ref_call *c);
int ref_h_rds_get(struct ref_call *c);
int ref_h_rds_delete(struct ref_call *c);
/* Allocates one IP of type ("nce"/"nlb") for acct; the new object is
 * borrowed from the account's array. */
json_t *ref_ip_new(struct ref_state *st, struct ref_account *a, const char *type);
/* Counts acct's IPs of one type. */
long ref_ip_count(struct ref_account *a, const char *type);

/* h_nlb.c: load balancers, listeners, certificates */
int ref_h_lb_create(struct ref_call *c);
int ref_h_lb_list(struct ref_call *c);
int ref_h_lb_get(struct ref_call *c);
int ref_h_lb_update(struct ref_call *c);
int ref_h_lb_delete(struct ref_call *c);
int ref_h_ls_create(struct ref_call *c);
int ref_h_ls_list(struct ref_call *c);
int ref_h_ls_update(struct ref_call *c);
int ref_h_ls_delete(struct ref_call *c);
int ref_h_cert_create(struct ref_call *c);
int ref_h_cert_list(struct ref_call *c);
int ref_h_cert_update(struct ref_call *c);
int ref_h_cert_delete(struct ref_call *c);

#endif
