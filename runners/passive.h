/* runners/passive.h -- judging traffic nobody wrote for us.
 *
 * An answer seen in recorded (HAR) or live (proxy) traffic is judged by the
 * checks of check.h that need no scenario: those of the table
 * (runners/checks.def) but status, code and the ones an option turns on,
 * with message against the catalog's message of the code the answer
 * carries. Answers are aggregated per distinct (method, route template,
 * code); each such group becomes one result of the results model
 * (reports/results.h), so the existing writers give the JUnit, HTML,
 * Markdown and JSON reports.
 *
 * This module never sends anything and reads no file. It keeps raw copies
 * of one example per group (capped) and redacts them only when results
 * are built, so that a token first seen in a later answer is still masked
 * in an earlier example. Every secret it meets (credential headers,
 * cookies, sensitive query values, sensitive JSON members of request and
 * response bodies) is registered with the caller's redactor. */
#ifndef PASSIVE_H
#define PASSIVE_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../reports/results.h"
#include "check.h"
#include "redact.h"
#include "route.h"

/* Caps of what is kept per group: the example request's body, the example
 * answer's body excerpt, the URL. */
#define PASSIVE_REQ_BODY_CAP 2048u
#define PASSIVE_EXCERPT_CAP 1024u
#define PASSIVE_URL_CAP 2048u
/* Distinct groups kept; answers of further groups are counted in
 * passive_stats.overflow and not judged (hostile traffic cannot make the
 * report, or memory, grow without bound). */
#define PASSIVE_MAX_GROUPS 10000u
/* Bodies larger than this are not parsed (judged as not captured). */
#define PASSIVE_BODY_MAX (8u * 1024u * 1024u)

/* A header as the client saw it (bytes, not necessarily NUL-free). */
struct passive_header {
    const char *name;
    const char *value;
};

/* Whether the answer's body is there to judge. */
enum passive_body {
    PASSIVE_BODY_CAPTURED,     /* body/body_len hold the whole body */
    PASSIVE_BODY_NOT_CAPTURED, /* the recorder did not keep it */
    PASSIVE_BODY_TRUNCATED,    /* only a prefix was kept */
    PASSIVE_BODY_UNDECODABLE,  /* kept, but not decodable (bad base64, unknown encoding) */
};

/* One request and its answer. Everything is borrowed for the duration of
 * the call it is passed to. */
struct passive_answer {
    const char *source; /* "a.har entry 12" or "proxy #5" */
    const char *method; /* "GET" */
    const char *url;    /* absolute or a path, with query */
    const struct passive_header *req_headers;
    size_t nreq_headers;
    const char *req_body; /* NULL when none */
    size_t req_body_len;
    int status;                           /* HTTP status; <= 0: no answer */
    const struct passive_header *headers; /* the answer's headers */
    size_t nheaders;
    enum passive_body body_state;
    const char *not_judged_reason; /* for states other than CAPTURED:
                                      "body not captured", ... */
    const char *body;
    size_t body_len;
};

/* What the judging covers. */
struct passive_options {
    int all;                            /* 1: also 2xx/3xx answers whose JSON
                                           body carries a "code" */
    enum message_mode mode;             /* MESSAGE_EXACT by default */
    unsigned char enabled[CHECK_COUNT]; /* 1 per check to run (status and
                                           code are never run here) */
};

/* Fills o with the defaults: not --all, exact messages, every passive
 * check enabled. */
void passive_options_default(struct passive_options *o);

/* What passive_add did with an answer. */
enum passive_fate {
    PASSIVE_IGNORED,    /* not an error answer (or no answer at all) */
    PASSIVE_NOT_JUDGED, /* an error answer, but the body is not there */
    PASSIVE_PASSED,
    PASSIVE_FAILED,
};

/* Counts over everything added. */
struct passive_stats {
    size_t answers;     /* every answer added */
    size_t no_response; /* status <= 0 (aborted, blocked) */
    size_t considered;  /* error answers (and, with all, answers with a code) */
    size_t judged, passed, failed, not_judged;
    size_t overflow; /* answers of groups past PASSIVE_MAX_GROUPS */
};

struct passive; /* opaque: the groups */

/* cat, routes and red are borrowed and must outlive the object. NULL on no
 * memory. */
struct passive *passive_new(const struct catalog *cat, const struct route_table *routes,
                            struct redactor *red, const struct passive_options *o);
void passive_free(struct passive *p);

/* Registers the secrets of a (credential header values, with and without
 * their scheme; cookie values; values of sensitive query parameters; the
 * string values of sensitive members of JSON request and response bodies)
 * with the redactor. 0 or -1 on no memory. passive_add calls it too. */
int passive_learn(struct passive *p, const struct passive_answer *a);

/* Judges one answer and adds it to its group. The group's key and the
 * answer's fate are returned through the optional outputs; *line (when
 * line is not NULL) receives a heap JSON line for --events, redacted with
 * the secrets known so far (caller frees; NULL for ignored answers).
 * 0 or -1 on no memory. */
int passive_add(struct passive *p, const struct passive_answer *a, enum passive_fate *fate,
                char **line);

void passive_get_stats(const struct passive *p, struct passive_stats *out);

/* Appends one result per group to out->results (worst first: failed
 * groups by failed answers, then the rest by service, code and route),
 * every string redacted. The run fields of out are left alone. 0 or -1
 * with err set (no memory). */
int passive_results(const struct passive *p, struct run_results *out, struct ac_error *err);

/* The pure judgement of one answer (its status, headers[0..nheaders) and
 * body): reduces it (check_observe) and runs the passive checks
 * (check_error_response, and the message check against the catalog's entry
 * for the code it carries) into out. Returns 1 when every check passed, 0
 * when one failed, -1 on no memory. o is released by the caller. */
int passive_judge(const struct catalog *cat, const struct passive_options *opt, int status,
                  const struct passive_header *headers, size_t nheaders, const char *body,
                  size_t body_len, struct observed *o, struct check_list *out);

/* The first value of header name (ASCII case-insensitive) or NULL. */
const char *passive_header_get(const struct passive_header *h, size_t n, const char *name);

#endif
