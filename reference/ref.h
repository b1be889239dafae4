/* reference/ref.h -- the reference server: an in-memory implementation of the
 * NetEase Cloud OpenAPI (the endpoints of catalog/routes.json) that answers
 * every code of the catalog the way the shipped suite provokes it.
 *
 * It is a library so that tests can run it in-process on an ephemeral
 * loopback port; reference/main.c is only its command line. It links common/
 * and catalog/ and libmicrohttpd, never runner or check code, so that a bug
 * cannot hide in code both sides share. Every error response comes from one
 * function that takes status and message from the catalog; mutations (the
 * deliberate deviations that prove the runner's checks) are applied there.
 *
 * The configuration is a plain value struct without heap memory: fill it with
 * ref_config_init, change fields or call the setters, pass it to
 * ref_server_start (which copies it). */
#ifndef REF_H
#define REF_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"

#define REF_MAX_ACCOUNTS 16
#define REF_MAX_MUTATIONS 32
#define REF_SLOW_ANSWER_MS 300 /* the delay of the slow-answers mutation */

/* Quotas and size limits. Every one is settable (--quota NAME=N or the
 * config file's "quotas" object); the defaults are small so that a `limit`
 * scenario needs few requests. Names are in ref_quota_name(). */
enum ref_quota {
    REF_Q_SECRET_KEYS,        /* secret keys per account (4030013) */
    REF_Q_REPOSITORIES,       /* repositories per account (4030007) */
    REF_Q_TAGS,               /* tags per repository (4030008) */
    REF_Q_LOADBALANCERS,      /* load balancers per account (4000469) */
    REF_Q_LISTENERS,          /* listeners per load balancer (4000470) */
    REF_Q_CLUSTERS,           /* clusters (forward rules) per listener (4000471) */
    REF_Q_CERTS,              /* certificates per account (4000413) */
    REF_Q_IPS_NCE,            /* nce-type IPs per account (4030302, 4030003) */
    REF_Q_IPS_NLB,            /* nlb-type IPs per account (4030006) */
    REF_Q_SERVICES,           /* microservices + legacy apps per account (4030004) */
    REF_Q_CONTAINERS,         /* containers (replicas x containers + legacy) (4030002) */
    REF_Q_REPLICAS,           /* replicas summed over services and apps (4030005) */
    REF_Q_ENVS,               /* environment variables per container (4000123) */
    REF_Q_COMMAND_LENGTH,     /* bytes of a container command (4000126) */
    REF_Q_LOG_DIRS,           /* log directories per container (4000127) */
    REF_Q_LOG_DIR_LENGTH,     /* bytes of one log directory (4000128) */
    REF_Q_PORT_MAPS,          /* port maps per service (4000139) */
    REF_Q_DESCRIPTION_LENGTH, /* bytes of an LB or container description (4000482, 4000120) */
    REF_Q_COUNT
};

/* The deliberate deviations, applied by the one error-writing function.
 * Those marked legal are variations a conforming client must accept. */
enum ref_mutation_kind {
    REF_MUT_STATUS_MISMATCH,
    REF_MUT_OK_STATUS,
    REF_MUT_CODE_STRING,
    REF_MUT_CODE_SWAP,
    REF_MUT_MESSAGE_FIX_TYPO,
    REF_MUT_MESSAGE_DROP_PERIOD,
    REF_MUT_MESSAGE_ADD_PERIOD,
    REF_MUT_MESSAGE_CASE,
    REF_MUT_MESSAGE_TRAILING_SPACE,
    REF_MUT_NO_REQUEST_ID,
    REF_MUT_BAD_REQUEST_ID,
    REF_MUT_CONTENT_TYPE_HTML,
    REF_MUT_HTML_PAGE,
    REF_MUT_EMPTY_BODY,
    REF_MUT_UNKNOWN_CODE,
    REF_MUT_SLOW_ANSWERS, /* timing, not content: applied by server.c */
    REF_MUT_EXTRA_FIELDS, /* legal */
    REF_MUT_HEADER_CASE,  /* legal */
    REF_MUT_CHARSET,      /* legal */
    REF_MUT_COUNT
};

/* One active mutation. */
struct ref_mutation {
    enum ref_mutation_kind kind;
    long code; /* only responses with this catalog code; 0: every error */
};

/* One account. Keys and secrets are compared byte for byte. */
struct ref_account_config {
    char name[32];       /* "main"; namespaces are named "<display>-<name>" */
    char app_key[72];    /* POST /token credential */
    char app_secret[72]; /* POST /token credential */
    double balance;      /* CNY; 0 or less: the balance codes on paid creates */
    int frozen;          /* 1: every authorized call answers 4030009 */
    long rate_limit;     /* requests per second per token, 0 = unlimited */
};

/* Everything the server can be told. */
struct ref_config {
    char host[64];                 /* address to bind, "127.0.0.1" */
    int port;                      /* 0: an ephemeral port (ref_server_port) */
    unsigned latency_ms;           /* added to every response, 0 */
    unsigned async_ms;             /* CREATING/building time of async resources, 200 */
    unsigned read_timeout_ms;      /* stalled request body -> 408 4080001, 1000 */
    unsigned connection_timeout_s; /* idle connection closed (libmicrohttpd), 30 */
    unsigned connection_limit;     /* concurrent connections, 256 */
    size_t body_limit;             /* request body bytes, 1 MiB */
    int faults;                    /* 1: honour X-Fault-Code */
    int strict;                    /* 1: only documented endpoints (see ref_config_strict) */
    int quiet;                     /* 1: no request log on stderr */
    long rate_limit;               /* -1: per account; else every account (0 = none) */
    long quotas[REF_Q_COUNT];      /* see enum ref_quota */
    struct ref_account_config accounts[REF_MAX_ACCOUNTS];
    size_t n_accounts;
    struct ref_mutation mutations[REF_MAX_MUTATIONS];
    size_t n_mutations;
};

/* Fills cfg with the defaults: accounts main (conformance-key /
 * conformance-secret), other, broke (balance 0), frozen, limited (20
 * requests/s); quotas as documented in reference/README.md. */
void ref_config_init(struct ref_config *cfg);

/* Applies a JSON configuration (see reference/README.md) on top of cfg.
 * name is used in error messages. Unknown keys are errors, so that a typo
 * does not silently leave a default in place. 0, or -1 with err set. */
int ref_config_load_json(struct ref_config *cfg, const char *name, const char *text, size_t len,
                         struct ac_error *err);

/* Same, from a file. */
int ref_config_load_file(struct ref_config *cfg, const char *path, struct ac_error *err);

/* Strict mode: a deployment as the documentation describes it. The
 * extension endpoints (reference/README.md "Extensions") answer as an
 * unknown route does (404 4040006, or 405 4050001 where the path has other
 * methods), and the quotas become the small ones of a real account
 * (loadbalancers 2, services 3, replicas 4, repositories 3, certs 3,
 * ips-nce 2, ips-nlb 2, secret-keys 3, containers 5); set afterwards, a
 * quota overrides its strict value. /__ref/ stays, for tests. */
void ref_config_strict(struct ref_config *cfg);

/* "NAME=N" sets one quota. 0, or -1 with err set (AC_ERR_USAGE). */
int ref_config_set_quota(struct ref_config *cfg, const char *spec, struct ac_error *err);

/* "NAME" or "NAME:CODE" adds a mutation. The code is checked against the
 * catalog only by ref_server_start. 0, or -1 with err set (AC_ERR_USAGE). */
int ref_config_add_mutation(struct ref_config *cfg, const char *spec, struct ac_error *err);

/* The account called name; when there is none and there is room, a new
 * normal account of that name (key "<name>-key", secret "<name>-secret").
 * NULL when the table is full or the name is too long. Borrowed from cfg. */
struct ref_account_config *ref_config_account(struct ref_config *cfg, const char *name);

/* Quota names ("secret-keys") and one-line descriptions. Static strings. */
const char *ref_quota_name(enum ref_quota q);
const char *ref_quota_help(enum ref_quota q);

/* Mutation names ("status-mismatch") and one-line descriptions. Static. */
const char *ref_mutation_name(enum ref_mutation_kind k);
const char *ref_mutation_help(enum ref_mutation_kind k);
/* 1 for the legal variations (extra-fields, header-case, charset). */
int ref_mutation_is_legal(enum ref_mutation_kind k);

struct ref_server; /* opaque */

/* Starts the server in its own threads. cfg is copied; cat is borrowed and
 * must outlive the server. Returns the server, or NULL with err set (bind
 * failure, a mutation scoped to a code the catalog lacks, no memory). */
struct ref_server *ref_server_start(const struct ref_config *cfg, const struct catalog *cat,
                                    struct ac_error *err);

/* The port the server listens on (the bound one when cfg.port was 0). */
int ref_server_port(const struct ref_server *srv);

/* Stops accepting, closes every connection (also stalled and suspended
 * ones), joins the threads and frees everything. NULL is a no-op. */
void ref_server_stop(struct ref_server *srv);

#endif
