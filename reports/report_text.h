/* reports/report_text.h -- internal to reports/: the one output-boundary
 * sanitizer every writer goes through, number and date formatting that no
 * locale can change, and the per-service statistics the writers share.
 * Not part of the module's contract (reports.h is); the test file uses it
 * to test the sanitizer directly. */
#ifndef REPORT_TEXT_H
#define REPORT_TEXT_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"
#include "results.h"

/* Where text lands; decides what is replaced and what is escaped. */
enum report_ctx {
    REPORT_CTX_UTF8,     /* only bad UTF-8 replaced (JSON strings) */
    REPORT_CTX_CLEAN,    /* + characters no report may carry replaced:
                            C0 controls except tab, LF, CR; DEL; C1
                            controls; noncharacters (U+FDD0..U+FDEF and
                            every U+xxFFFE/U+xxFFFF) */
    REPORT_CTX_XML_TEXT, /* CLEAN, then & < > " ' and CR as references */
    REPORT_CTX_XML_ATTR, /* XML_TEXT, plus tab and LF as &#9; &#10; */
    REPORT_CTX_HTML,     /* CLEAN, then & < > " ' as references (text and
                            double-quoted attribute values alike) */
    REPORT_CTX_MD_TEXT,  /* CLEAN, line breaks and tabs as spaces, Markdown
                            punctuation backslash-escaped, & < > as entities:
                            inert in a GFM table cell or paragraph */
};

/* Flags of report_text_put. */
#define REPORT_TEXT_ONELINE 1u /* tab, LF and CR become a space */
#define REPORT_TEXT_PIPE 2u    /* '|' becomes "\|" (code span in a GFM table) */

/* Appends s, sanitized and escaped for ctx, to out. Each byte that does not
 * start a valid UTF-8 sequence (strict: no overlongs, surrogates or values
 * past U+10FFFF) becomes U+FFFD, as does each character ctx forbids. When
 * cap is not 0 and s is longer than cap bytes, only its first cap bytes (cut
 * at a character boundary) are used, followed by the marker
 * "[truncated: N of M bytes shown]" (after a newline, or a space with
 * REPORT_TEXT_ONELINE). s NULL appends nothing. 0, or -1 when out of
 * memory. */
int report_text_put(struct ac_buf *out, const char *s, enum report_ctx ctx, size_t cap,
                    unsigned flags);

/* Same for s[0..n), which may hold NUL bytes (replaced in every context
 * but UTF8, where they become U+FFFD too: JSON strings of the model are C
 * strings). */
int report_text_putn(struct ac_buf *out, const char *s, size_t n, enum report_ctx ctx, size_t cap,
                     unsigned flags);

/* Appends s as a Markdown code span: cleaned, on one line, fenced by one
 * backtick more than the longest backtick run inside, padded with spaces
 * when it starts or ends with a backtick or space; with REPORT_TEXT_PIPE
 * '|' is escaped for a table cell. An empty or NULL s appends `""`.
 * 0 or -1. */
int report_text_md_code(struct ac_buf *out, const char *s, size_t cap, unsigned flags);

/* Formats milliseconds as seconds "12.345" with "%lld.%03lld" (never %f:
 * no locale, no rounding); negative values as "0.000". Returns buf. */
char *report_fmt_seconds(char *buf, size_t size, long long ms);

/* Formats milliseconds since the Unix epoch as UTC "2024-05-01T12:34:56"
 * (ISO 8601 without zone, as the JUnit schema's consumers expect); sep
 * replaces the 'T' when not 0 (' ' for people). Returns buf. */
char *report_fmt_time(char *buf, size_t size, long long unix_ms, char sep);

/* "04 load balancers": the service number on two digits and its catalog
 * name; without a catalog "04 service 04". Returns buf. */
char *report_suite_name(char *buf, size_t size, const struct catalog *c, int service);

/* The state of one catalog code in a run: the worst of its results'. */
enum report_code_state {
    REPORT_CODE_NOT_COVERED, /* no result for the code */
    REPORT_CODE_SKIPPED,     /* every result skipped */
    REPORT_CODE_PASSED,      /* ran and passed, none failed or errored */
    REPORT_CODE_ERROR,       /* an error, no failure */
    REPORT_CODE_KNOWN,       /* a known failure, no other failure */
    REPORT_CODE_FAILED,      /* a failure */
};
#define REPORT_CODE_NSTATES 6

/* The label of a state: "not covered", "skipped", "passed", "error",
 * "known failure", "failed". */
const char *report_code_state_name(enum report_code_state s);

/* The service a result is grouped under: its service field when in 0..99,
 * else 99, so that grouping and counting always agree. */
int report_result_service(const struct result *x);

/* The state a result gives its code. */
enum report_code_state report_result_state(const struct result *x);

/* Counts per service. */
struct report_service {
    int service;
    size_t tests, passed, failed, known, errors, skipped; /* results; failed
                                                              includes known */
    long long time_ms;                                    /* sum of the results' durations */
    long long first_start_ms;          /* earliest started_ms, 0 when no result */
    long long last_end_ms;             /* latest started_ms + duration_ms: the suite's
                                          wall time is last_end_ms - first_start_ms
                                          (its scenarios ran in parallel) */
    size_t codes[REPORT_CODE_NSTATES]; /* catalog codes (and codes of
                                           results missing from the
                                           catalog) by state */
    size_t ncodes;                     /* sum of codes[] */
};

/* One entry per service that has a result or (when with_catalog and c is
 * not NULL) a catalog code, ordered by service number. *out is a heap array
 * the caller frees. 0 or -1 when out of memory. */
int report_services(const struct run_results *r, const struct catalog *c, int with_catalog,
                    struct report_service **out, size_t *n);

/* The state of code in r (REPORT_CODE_NOT_COVERED when no result has it). */
enum report_code_state report_code_state(const struct run_results *r, long code);

/* Codes of results that the catalog does not hold (or every result code
 * when c is NULL), sorted and unique; heap array the caller frees. 0/-1. */
int report_extra_codes(const struct run_results *r, const struct catalog *c, long **out, size_t *n);

/* "an object", "an integer", ... for messages about JSON input. Static.
 * v is a json_t pointer (void here, so this header needs no jansson). */
const char *report_json_type_name(const void *v);

#endif
