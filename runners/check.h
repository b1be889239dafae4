/* runners/check.h -- the checks of DESIGN.md over a recorded response.
 *
 * A response is reduced once, when it arrives, to a `struct observed`: the
 * facts the checks need (status, header fields, the body's code and
 * message and what was wrong with its shape). The checks are pure
 * functions of an observed response, the catalog and an expectation; they
 * never touch the network and never see a secret (the engine redacts
 * before recording). A failed check is data (struct check_outcome), not an
 * error. */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>
#include <stdio.h>

#include "../catalog/catalog.h"
#include "../suite/suite.h"

/* The checks: one per row of checks.def, in its order. */
enum check_id {
#define CHECK(id, name, scope, applies, judge, shown, summary, mutation, gate) CHECK_##id,
#include "checks.def"
#undef CHECK
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

/* A header field of an answer as the caller holds it: borrowed strings
 * (a NULL value reads as ""). */
struct check_header {
    const char *name;
    const char *value;
};

/* The header fields of an answer that are kept: the first ones. An honest
 * answer has a dozen; a hostile one with thousands of tiny fields cannot
 * make every recorded answer cost many times its bytes. */
#define CHECK_MAX_HEADERS 100

/* A header field of an observed answer. */
struct observed_header {
    char *name;  /* as sent ("request-id" and "Request-Id" both occur) */
    char *value; /* without surrounding blanks (from a raw block); NUL bytes
                    read '?' */
};

/* The facts of one response. Strings are owned, redacted and capped. */
struct observed {
    int status; /* HTTP status; 0 when no response */
    /* The header fields, in the order received, at most CHECK_MAX_HEADERS
     * (look one up with observed_header). */
    struct observed_header *headers;
    size_t nheaders;
    enum body_kind body;
    char *body_problem; /* for body != BODY_OK: one line saying what is wrong */
    int has_code;       /* 1 when "code" is a JSON integer */
    long long code;     /* its value */
    int has_message;    /* 1 when "message" is a JSON string */
    char *message;      /* its value, capped at 4 KiB (message_len is the truth) */
    size_t message_len;
    int oom; /* 1: memory ran out while reading it: judge nothing */
};

void observed_release(struct observed *o);

/* The value of the first header field called name (ASCII case-insensitive),
 * or NULL when there is none. Borrowed until observed_release. */
const char *observed_header(const struct observed *o, const char *name);

/* Reduces a response to observed facts: its status, its header fields
 * (headers[0..nheaders), copied as they are; NULL when none) and its body,
 * which may hold any bytes. The code and message are where the active
 * contract's pointers say (contract_active(), catalog/contract.h); the
 * checks read codes and the media type by the same contract. On no memory
 * out->oom is set. */
void check_observe(int status, const struct check_header *headers, size_t nheaders,
                   const char *body, size_t body_len, struct observed *out);

/* Appends the header field name: value to o as given (a NULL name is
 * skipped, a NULL value reads as ""; past CHECK_MAX_HEADERS it is not
 * kept). 0, or -1 with o->oom set on no memory. */
int observed_add_header(struct observed *o, const char *name, const char *value);

/* check_observe for header fields as they came off the wire: block[0..len)
 * holds one answer's "Name: value" lines (CRLF or LF), as libcurl hands
 * them over. The status line is skipped, a folded line (RFC 9112 section
 * 5.2) joins the field above it with a space, a line without a colon is
 * ignored, and the header section ends at the first empty line (trailer
 * fields after a chunked body are not the answer's headers). */
void check_observe_block(int status, const char *block, size_t len, const char *body,
                         size_t body_len, struct observed *out);

/* The outcome of one check. */
struct check_outcome {
    enum check_id id;
    int passed;
    char *expected; /* NULL when passed */
    char *actual;
    char *detail; /* "" or more lines (message diff) */
};

/* The outcomes of the checks of one response. */
struct check_list {
    struct check_outcome *v;
    size_t n;
};

void check_list_release(struct check_list *l);

/* ---- The table (checks.def says what each column means) --------------- */

/* What a check looks at. */
enum check_scope {
    CHECK_SCOPE_PROBE,  /* the probe's answer, against the entry it expects */
    CHECK_SCOPE_ANSWER, /* every error answer of a run, and the probe's */
    CHECK_SCOPE_TIMING, /* the probe's answer time */
};

/* How a check's expected and actual read. */
enum check_shown {
    CHECK_SHOWN_VALUES, /* values of one kind: reports may mark where they differ */
    CHECK_SHOWN_WORDS,  /* expected is said in words */
};

/* How a result's one line shows a failure of the check. */
enum check_summary {
    CHECK_SUMMARY_TRIPLE, /* through the probe's 'expected S/C "M", got ...' */
    CHECK_SUMMARY_OWN,    /* as "NAME: expected E, got A" */
};

/* What the checks are given. */
struct check_input {
    const struct observed *o;             /* the answer; NULL: timing only */
    const struct catalog *cat;            /* the contract */
    const struct catalog_entry *expected; /* the probe's expected entry; NULL:
                                             not the probe (no PROBE checks) */
    enum message_mode mode;               /* how messages compare */
    long long ms;                         /* the answer time, from sending the
                                             request to the complete answer */
    long budget_ms;                       /* the most ms may be
                                             (--max-response-ms); 0: none */
};

/* A row of the table. */
struct check_row {
    const char *name; /* "content-type" */
    enum check_scope scope;
    /* 1 when the check judges in's answer; NULL: always. */
    int (*applies)(const struct check_input *in);
    /* Sets out->passed, ->expected, ->actual and ->detail (heap strings or
     * NULL; check_run frees those of a passed check). */
    void (*judge)(const struct check_input *in, struct check_outcome *out);
    enum check_shown shown;
    enum check_summary summary;
    const char *mutation; /* the mutation that proves it */
    const char *gate;     /* the option it needs, or NULL */
};

/* The row of id; NULL when id is out of range. Static. */
const struct check_row *check_row(int id);

/* Runs every enabled check of the table that applies to in: the PROBE
 * checks when in->expected is set, the ANSWER checks when in->o is, then
 * the TIMING checks (in that order: the order of the outcomes the reports
 * list), each scope in table order. Appends one outcome per check run. 0
 * or -1 on no memory. */
int check_run(const struct check_input *in, const unsigned char enabled[CHECK_COUNT],
              struct check_list *out);

/* check_run of the ANSWER checks alone: those that hold for every error
 * response of a run (status >= 400 of any step). */
int check_error_response(const struct observed *o, const struct catalog *cat,
                         const unsigned char enabled[CHECK_COUNT], struct check_list *out);

/* check_run of the PROBE checks against the expected entry, then the
 * ANSWER checks (no timing). */
int check_probe(const struct observed *o, const struct catalog_entry *expected,
                enum message_mode mode, const struct catalog *cat,
                const unsigned char enabled[CHECK_COUNT], struct check_list *out);

/* check_run of the TIMING checks alone: response-time holds when ms, from
 * sending the request to the complete answer, is at most budget_ms, and
 * runs only when budget_ms > 0 (--max-response-ms; 0: no budget). */
int check_response_time(long long ms, long budget_ms, const unsigned char enabled[CHECK_COUNT],
                        struct check_list *out);

/* "status", "body", ... ("?" out of range). Borrowed static string. */
const char *check_name(enum check_id id);

/* The check with that name, or -1. */
int check_by_name(const char *name);

/* The check whose name is nearest to a mistyped one (a few edits away),
 * for "did you mean"; NULL when none is near. Borrowed static string. */
const char *check_suggest(const char *name);

/* Why name is no check's, for a usage error: "no check named 'x' (did you
 * mean y?)" with the near name, else "no check named 'x' (status, body,
 * ...)" naming them all. Heap string, NULL on no memory. */
char *check_unknown_text(const char *name);

/* The names of the checks, in table order, joined by ", ", for help texts
 * and messages: of the checks only[] marks (NULL: all). A check with a gate
 * is named last with it, "and with --max-response-ms response-time", under
 * CHECK_NAMES_GATES, and left out under CHECK_NAMES_UNGATED; with 0 it is
 * named like the others. Heap string, NULL on no memory. */
#define CHECK_NAMES_GATES 1
#define CHECK_NAMES_UNGATED 2
char *check_names_text(const unsigned char *only, int flags);

/* Writes lead, check_names_text(only, flags) and tail to f as one paragraph
 * wrapped at 79 columns (at spaces), ending with a newline. */
void check_names_paragraph(FILE *f, const char *lead, const unsigned char *only, int flags,
                           const char *tail);

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
