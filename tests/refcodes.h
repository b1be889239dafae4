/* tests/refcodes.h -- the rows of tests/reference-codes/: for every code of
 * TRIGGERS.md, the request that earns it from the reference server, with
 * named fields (the format is in tests/reference-codes/README.md). The
 * loader checks every member and names the file, the row and what was
 * expected in its errors; the test binary stops with exit 2 on bad data.
 *
 * A row names its setup and scripted scenario by name; refsetups.c holds
 * those functions and the tables below. */
#ifndef REFCODES_H
#define REFCODES_H

#include <jansson.h>

#include "../common/ac.h"
#include "refclient.h"

/* A setup by name: prepares what the row's request needs. 0 or -1. */
struct rt_setup {
    const char *name; /* "lb0_svc" */
    int (*fn)(struct ctx *x);
};
/* A scripted scenario by name: sends what one templated request cannot
 * (a burst, a stalled body, a huge body) and leaves the answer in r. */
struct rt_run {
    const char *name; /* "rate_limit" */
    int (*fn)(struct ctx *x, struct resp *r);
};
/* Both end with a NULL name. */
extern const struct rt_setup rt_setups[];
extern const struct rt_run rt_runs[];

/* How a row's body is made. */
enum rt_body {
    RT_BODY_TEXT,     /* "body" as written (templated), or none */
    RT_BODY_SERVICE,  /* SVC0 with the service_info and container patches */
    RT_BODY_STATEFUL, /* the stateful SVC0, same patches */
    RT_BODY_CERT,     /* the certificate "cf-cert" */
    RT_BODY_BAD_CERT, /* the same certificate named "bad name/!" */
};

/* One row. Strings are owned by the set (rt_codes_release frees them). */
struct rt_code_row {
    long code;
    char where[320];             /* "tests/reference-codes/04-nlb.json: codes[3]" */
    char test_name[300];         /* the CUnit test: "code 4000403: POST /api/v1/nlb/..." */
    char *account;               /* NULL: the main account; "": no token; else a name */
    int at_once;                 /* 1: async time AT_ONCE for this row's server */
    int (*setup)(struct ctx *x); /* NULL: none */
    int (*run)(struct ctx *x, struct resp *r); /* NULL: method and path */
    char *method, *path;                       /* with run NULL */
    char *hdrs;                                /* header lines joined with '\n', or NULL */
    enum rt_body body_kind;
    char *body;    /* RT_BODY_TEXT: the body or NULL */
    char *si, *c0; /* service patches as JSON text, or NULL */
};

/* A set of rows, in file order. Initialise with {0}. */
struct rt_codes {
    struct rt_code_row *rows;
    size_t n, cap;
};

/* Adds the rows of one file (path read from disk, shown as file in
 * messages). 0, or -1 with err set; a code already in the set is an error. */
int rt_codes_load_file(struct rt_codes *c, const char *path, const char *file,
                       struct ac_error *err);
/* Every *.json of dir, in name order (shown as shown/NAME). An empty
 * directory is an error. */
int rt_codes_load_dir(struct rt_codes *c, const char *dir, const char *shown, struct ac_error *err);
/* The row whose test_name is name, or NULL. */
const struct rt_code_row *rt_codes_find(const struct rt_codes *c, const char *name);
/* Frees every row; the set is empty afterwards. */
void rt_codes_release(struct rt_codes *c);

#endif
