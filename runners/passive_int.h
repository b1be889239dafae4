/* runners/passive_int.h -- what the files of passive conformance
 * (passive.c, passive_keep.c, passive_results.c) share and nobody else
 * sees: the groups answers are aggregated into, the example kept of each,
 * and the helpers that keep it. passive.h is the contract; this header
 * promises nothing outside those three files. */
#ifndef PASSIVE_INT_H
#define PASSIVE_INT_H

#include "passive.h"

#define NBUCKETS 4096u
#define MAX_REASONS 6

/* One answer kept as the example of its group: raw (unredacted) copies,
 * capped; redacted when results are built. */
struct example {
    char *source;
    char *method;
    char *url;
    char *req_headers; /* "Name: value\n" lines, credentials already masked by name */
    char *req_body;    /* capped, or NULL */
    int status;
    char *content_type, *request_id;
    char *excerpt; /* first bytes of the body, or NULL */
    int has_code;
    long long code;
    char *message;
};

/* The first failure of one check within a group. */
struct first_failure {
    char *expected, *actual, *detail, *source;
};

struct reason {
    char *text;
    size_t count;
};

struct group {
    char *method;
    char route[128];
    int service; /* the route's, -1 when unmatched */
    long code;   /* the answers' code, -1 when none */
    size_t seen, judged, failed, not_judged;
    size_t check_failed[CHECK_COUNT];
    struct first_failure first[CHECK_COUNT];
    struct reason reasons[MAX_REASONS];
    size_t nreasons;
    struct example ex;
    int ex_kind;        /* 0 none, 1 not judged, 2 judged, 3 failed: a worse
                           answer replaces the example */
    struct group *next; /* hash chain */
};

struct passive {
    const struct catalog *cat;
    const struct route_table *routes;
    struct redactor *red;
    struct passive_options opt;
    struct group *buckets[NBUCKETS];
    struct group **v; /* insertion order */
    size_t n, cap;
    struct passive_stats st;
};

/* A copy of url without user information and with the values of
 * sensitive query parameters as "***"; capped at PASSIVE_URL_CAP. Heap,
 * NULL on no memory. */
char *passive_mask_url(const char *url);

/* A NUL-terminated heap copy of the first min(n, cap) bytes of s; NULL
 * when s is NULL or on no memory. */
char *passive_dup_cap(const char *s, size_t n, size_t cap);

/* Frees what e holds and zeroes it. */
void passive_example_release(struct example *e);

/* Replaces e with a capped, unredacted copy of a (request headers with
 * credentials masked by name; the URL masked as passive_mask_url does);
 * o, when not NULL, gives the code and message the answer carried.
 * 0 or -1 on no memory. */
int passive_set_example(struct example *e, const struct passive_answer *a,
                        const struct observed *o);

#endif
