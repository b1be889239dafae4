/* runners/check.h -- the checks of DESIGN.md over a recorded response.
 *
 * A response is reduced once, when it arrives, to a `struct observed`: the
 * facts the checks need (status, media type, Request-Id, the body's code
 * and message and what was wrong with its shape). The checks are pure
 * functions of an observed response, the catalog and an expectation; they
 * never touch the network and never see a secret (the engine redacts
 * before recording). A failed check is data (struct check_outcome), not an
 * error. */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../suite/suite.h"

/* The checks, in the order they are reported. */
enum check_id {
    CHECK_STATUS,
    CHECK_BODY,
    CHECK_CODE,
    CHECK_CONSISTENCY,
    CHECK_KNOWN,
    CHECK_MESSAGE,
    CHECK_CONTENT_TYPE,
    CHECK_REQUEST_ID,
    CHECK_RESPONSE_TIME,
    CHECK_COUNT
};

/* What the body turned out to be. */
enum body_kind {
    BODY_OK,          /* a JSON object with an integer code and a string message */
    BODY_EMPTY,       /* no bytes */
    BODY_NOT_JSON,    /* not parseable (syntax, invalid UTF-8, depth, dup keys) */
    BODY_NOT_OBJECT,  /* JSON, but not an object */
    BODY_BAD_MEMBERS, /* an object whose code or message is missing or mistyped */
};

/* The facts of one response. Strings are owned, redacted and capped. */
struct observed {
    int status;            /* HTTP status; 0 when no response */
    char *content_type;    /* Content-Type value, or NULL when absent */
    char *request_id;      /* Request-Id value (first), or NULL when absent */
    enum body_kind body;
    char *body_problem;    /* for body != BODY_OK: one line saying what is wrong */
    int has_code;          /* 1 when "code" is a JSON integer */
    long long code;        /* its value */
    int has_message;       /* 1 when "message" is a JSON string */
    char *message;         /* its value, capped at 4 KiB (message_len is the truth) */
    size_t message_len;
    int oom;               /* 1: memory ran out while reading it: judge nothing */
};

void observed_release(struct observed *o);

/* Reduces a raw response to observed facts. body may hold any bytes. The
 * code and message are where the active contract's pointers say
 * (contract_active(), catalog/contract.h); the checks below read codes
 * and the media type by the same contract. */
void check_observe(int status, const char *content_type, const char *request_id,
                   const char *body, size_t body_len, struct observed *out);

/* The outcome of one check. */
struct check_outcome {
    enum check_id id;
    int passed;
    char *expected; /* NULL when passed */
    char *actual;
    char *detail;   /* "" or more lines (message diff) */
};

/* The outcomes of the checks of one response. */
struct check_list {
    struct check_outcome *v;
    size_t n;
};

void check_list_release(struct check_list *l);

/* Checks that hold for every error response of a run (status >= 400 of
 * any step): body, consistency, known, content-type, request-id. Appends
 * one outcome per check that is enabled. 0 or -1 on no memory. */
int check_error_response(const struct observed *o, const struct catalog *cat,
                         const unsigned char enabled[CHECK_COUNT], struct check_list *out);

/* The probe's checks: status, code and message against the expected
 * entry, then (when the answer is an error) the general ones above. */
int check_probe(const struct observed *o, const struct catalog_entry *expected,
                enum message_mode mode, const struct catalog *cat,
                const unsigned char enabled[CHECK_COUNT], struct check_list *out);

/* The probe's answer time against a budget (--max-response-ms): holds when
 * ms, from sending the request to the complete answer, is at most
 * budget_ms. Appends one outcome when the check is enabled and budget_ms >
 * 0 (0: no budget, the check does not run). 0 or -1 on no memory. */
int check_response_time(long long ms, long budget_ms, const unsigned char enabled[CHECK_COUNT],
                        struct check_list *out);

/* "status", "body", ... Borrowed static string. */
const char *check_name(enum check_id id);

/* The check with that name, or -1. */
int check_by_name(const char *name);

/* A readable difference of two messages: both strings quoted, and a caret
 * under the first differing byte. Heap string, caller frees. */
char *check_message_diff(const char *expected, const char *actual, size_t actual_len);

/* How much of an observed message a report shows in room bytes: returns
 * the bytes of o->message that fit (cut at a UTF-8 character boundary) and
 * sets *real to its real length (message_len when the copy was capped,
 * else the copy's length, which redaction may have shortened). */
size_t check_message_fit(const struct observed *o, size_t room, size_t *real);

/* s[0..n), the first bytes of a message of real_len bytes, quoted and
 * escaped as in check outcomes, cut after about room bytes of output at a
 * character boundary; when less than the whole message is shown, followed
 * by " [truncated: K of N bytes shown]" naming the real length ("of at
 * least N" when at_least: the real length is unknown). Heap string. */
char *check_quote_message(const char *s, size_t n, size_t real_len, int at_least, size_t room);

/* 1 when the two messages match under mode. */
int check_message_matches(const char *expected, const char *actual, size_t actual_len,
                          enum message_mode mode);

/* 1 when s is a canonical 8-4-4-4-12 hex UUID. */
int check_is_uuid(const char *s);

#endif
