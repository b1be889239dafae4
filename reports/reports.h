/* reports/reports.h -- what a run's results become: JUnit XML, a
 * self-contained HTML compliance report, a Markdown summary and a JSON
 * results file (which can be read back), plus the operations built on the
 * JSON file: merging shards, diffing two runs, and a baseline of known
 * failures.
 *
 * Every writer is a pure function of the results model (results.h) and the
 * catalog: it reads no clock, no environment and no file, and appends to a
 * caller-owned ac_buf, so the same model always gives the same bytes (the
 * tests compare against golden files). Every string of the model is treated
 * as hostile: it is decoded as UTF-8 strictly (bad bytes become U+FFFD),
 * characters a format cannot carry are replaced, and the rest is escaped for
 * the exact context it lands in (XML text or attribute, HTML, a Markdown
 * table cell or code span). Writers never emit text that is not in the
 * model, the catalog or their own fixed labels. The model is already
 * redacted by the runner; this module does no redaction and sends nothing.
 * The _file conveniences write with ac_file_write_atomic, so a killed
 * process leaves either the old file or the complete new one. */
#ifndef REPORTS_H
#define REPORTS_H

#include <stddef.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"
#include "results.h"

/* Size limits. A field (a message, an expected or actual value, a curl
 * command, a response excerpt) is cut after REPORT_FIELD_CAP bytes of its
 * input and a transcript after REPORT_TRANSCRIPT_CAP bytes, each with an
 * explicit "[truncated: ...]" marker. One-line attributes (JUnit
 * failure@message) are cut after REPORT_LINE_CAP bytes. */
#define REPORT_FIELD_CAP 4096u
#define REPORT_LINE_CAP 1024u
#define REPORT_TRANSCRIPT_CAP 16384u
/* A reproducer script: larger than a field, since it is cut only with an
 * explicit marker (the runner cuts it at 64 KiB). */
#define REPORT_SCRIPT_CAP 65536u

/* Whole-report budgets. Once a JUnit or HTML report has grown past its
 * budget, the bulky parts of the remaining test cases (failure text,
 * system-out, transcripts) are replaced by a one-line note; the structure
 * (every test case, every count) is always complete. The Markdown summary
 * never exceeds REPORT_MD_MAX_BYTES, whatever the model holds. */
#define REPORT_JUNIT_BUDGET (10u * 1024u * 1024u)
#define REPORT_HTML_BUDGET (10u * 1024u * 1024u)
#define REPORT_MD_MAX_BYTES (64u * 1024u)

/* The JSON results schema this module writes and reads. */
#define REPORT_JSON_SCHEMA "apiconform-results/1"

/* ---- the verdict of a run ----------------------------------------------- */

/* What a run judged, in one line every report shows the same way. */
enum report_headline_state {
    REPORT_HEADLINE_PASSED,  /* every scenario ran and passed, every catalog code verified */
    REPORT_HEADLINE_PARTIAL, /* what ran passed, but scenarios were skipped or codes are
                                not verified: never shown as a full pass */
    REPORT_HEADLINE_FAILED,  /* a contract failure */
    REPORT_HEADLINE_ERROR,   /* not judged: errors, an interrupted run, or skips under
                                --fail-on-skip */
    REPORT_HEADLINE_NONE,    /* nothing ran */
};

struct report_headline {
    enum report_headline_state state;
    const char *word; /* "Passed", "Partial pass", "Failed", "Not judged",
                         "Nothing judged" */
    const char *name; /* "passed", "partial", "failed", "error", "none" (CSS classes) */
    size_t total, ran, skipped;
    size_t codes_verified; /* catalog codes whose every scenario ran and passed */
    size_t codes_total;    /* codes in the catalog (without one: codes of the results) */
    char text[320];        /* "Partial pass: 89 of 209 scenarios ran, 70 of 159 codes
                              verified (120 skipped)" */
};

/* Fills h from r (c may be NULL). Pure. The console, the HTML banner, the
 * Markdown heading, the JUnit "verdict" property and the JSON summary all
 * say this, so no report shows a partial run as a pass. */
void report_headline(const struct run_results *r, const struct catalog *c,
                     struct report_headline *h);

/* ---- JUnit XML -------------------------------------------------------- */

/* Appends the run as JUnit XML 1.0 (UTF-8) that validates against the
 * Surefire-derived junit-10.xsd: <testsuites> (name, tests, failures,
 * errors, time) holding one <testsuite> per service that has results, in
 * service order, named like "04 load balancers" (catalog_service_name; the
 * catalog may be NULL, then "04 service 04"), each with <properties> and
 * one <testcase> per result (classname = the suite name, name =
 * "<code> <scenario id>"). FAIL is <failure message type>, ERROR is <error
 * type="transport">, SKIP is <skipped message>. A known failure (baseline)
 * is written as a passing test case whose <system-out> starts with "known
 * failure: <reason>" and is listed in a "baseline.known" property, so CI
 * stays green while the failure stays visible. The testcase element has no
 * file attribute in this schema: the scenario file is the first line of the
 * failure/error text and of <system-out>. 0, or -1 when out of memory
 * (out may then hold a partial document; the _file variant never writes
 * one). */
int report_junit_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out);

/* Writes report_junit_write's output to path atomically ("-": stdout).
 * 0 or -1 with err set. */
int report_junit_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                            struct ac_error *err);

/* ---- HTML --------------------------------------------------------------- */

/* Appends one self-contained HTML5 page: no JavaScript, no external asset,
 * a Content-Security-Policy meta tag allowing only inline style. Top: the
 * run (target, time, duration, verdict) and a table of verdict and
 * compliance per service; then an inline SVG bar chart of the catalog's
 * codes per service by state; a matrix of every catalog code (c may be
 * NULL: then only the codes that have results) grouped by service, each
 * cell linking to the code's detail (#c<code>; anchors are generated, never
 * taken from server data); then the details, with expected vs actual of
 * every failed check (first differing byte in <mark>), the curl reproducer,
 * the response excerpt and the transcript. Server data appears only as
 * escaped text or in double-quoted title attributes, never in href, src,
 * style or a script. 0, or -1 when out of memory. */
int report_html_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out);

/* Atomic file variant; 0 or -1 with err set. */
int report_html_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                           struct ac_error *err);

/* ---- Markdown ------------------------------------------------------------ */

/* Appends a GitHub-flavoured Markdown summary for CI step summaries and
 * pull-request comments: the verdict, the counts, a table per service, the
 * failures and errors (each with its summary in a code span), known
 * failures and baseline entries that can be removed. The list is cut with
 * a note when the output would pass REPORT_MD_MAX_BYTES; the appended text
 * is never longer than that. c may be NULL. 0, or -1 when out of memory. */
int report_md_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out);

/* Atomic file variant; 0 or -1 with err set. */
int report_md_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                         struct ac_error *err);

/* ---- JSON results ---------------------------------------------------------- */

/* Appends the results as JSON following REPORT_JSON_SCHEMA (documented in
 * reports/README.md): the run, every result with every field of the model,
 * and, when c is not NULL, the catalog's codes, messages and service names
 * as an embedded catalog document, so that every other report can be
 * rebuilt from this file alone. Strings that are not valid UTF-8 are
 * written with U+FFFD in place of each bad byte; everything else round-trips
 * exactly (report_json_read gives back an equal model). 0, or -1 when out
 * of memory. */
int report_json_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out);

/* Atomic file variant; 0 or -1 with err set. */
int report_json_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                           struct ac_error *err);

/* Parses a results document from data[0..len). name is used in error
 * messages ("results.json: results[3].verdict: expected one of passed,
 * failed, error, skipped"). On success fills *out (caller releases with
 * results_release) and, when catalog_out is not NULL, sets *catalog_out to
 * the embedded catalog loaded with catalog_load_buffer (caller frees with
 * catalog_free), or to NULL when the file holds none. Returns 0, or -1 with
 * err set (AC_ERR_PARSE: not JSON; AC_ERR_INVALID: a missing or mistyped
 * field, an unsupported schema; AC_ERR_NOMEM); *out and *catalog_out are
 * then left empty. */
int report_json_read_buffer(const char *name, const char *data, size_t len, struct run_results *out,
                            struct catalog **catalog_out, struct ac_error *err);

/* Same, from a file (at most 256 MiB). */
int report_json_read(const char *path, struct run_results *out, struct catalog **catalog_out,
                     struct ac_error *err);

/* ---- all of them ------------------------------------------------------------- */

/* Writes each report whose path is not NULL (the _file variants above): all
 * are attempted even when one fails. 0, or -1 with err set to the first
 * failure. */
int report_write_files(const struct run_results *r, const struct catalog *c, const char *junit,
                       const char *html, const char *markdown, const char *json,
                       struct ac_error *err);

/* ---- merge ----------------------------------------------------------------- */

/* Merges the results of several runs, normally the shards `--shard 1/N ...
 * N/N` of one CI run, into one run in *out (caller releases). Rejected with
 * AC_ERR_INVALID and a message naming the parts (names[i], e.g. the file
 * names; may be NULL, then "part 1", ...): different catalog or suite
 * hashes, different targets, a mix of shard counts, a shard given twice, a
 * missing shard, and a scenario (code + id) present in two parts. The
 * merged run starts at the earliest start and ends at the latest end
 * (result start times are rebased on it), is incomplete when any part is,
 * is not sharded, takes the run id, version, paths, capabilities and
 * hostname of the part with the earliest start, and holds the results
 * ordered by service, code, then part and position. 0 or -1 with err set. */
int report_merge(const struct run_results *parts, const char *const *names, size_t nparts,
                 struct run_results *out, struct ac_error *err);

/* ---- diff ------------------------------------------------------------------ */

enum report_diff_kind {
    REPORT_DIFF_NEW_FAILURE,   /* failed now, not before (passed, error, skipped, absent) */
    REPORT_DIFF_FIXED,         /* failed before, passes now */
    REPORT_DIFF_STILL_FAILING, /* failed before and now */
    REPORT_DIFF_NOT_JUDGED,    /* failed before; now an error, skipped or absent */
};

/* One scenario whose state matters for a diff. Strings are owned. */
struct report_diff_entry {
    enum report_diff_kind kind;
    long code;
    char *scenario_id;
    char *summary; /* the new result's summary (NEW_FAILURE, STILL_FAILING,
                      NOT_JUDGED: the error or skip reason, or "absent") or
                      the old one (FIXED) */
    int known;     /* the new result is a known failure of a baseline */
};

/* The difference between two runs. A known failure counts as a failure
 * here: the baseline only changes the exit status of a run. */
struct report_diff {
    struct report_diff_entry *entries; /* by code, then scenario id; owned */
    size_t nentries;
    size_t new_failures, fixed, still_failing, not_judged;
};

/* Compares old and new by (code, scenario id) and fills *out (caller
 * releases). Returns 1 when there are new failures, 0 when not, -1 when
 * out of memory (err set). */
int report_diff(const struct run_results *old_run, const struct run_results *new_run,
                struct report_diff *out, struct ac_error *err);

/* Frees the entries and zeroes the struct. */
void report_diff_release(struct report_diff *d);

/* Appends a plain-text rendering for a terminal: one line per entry
 * ("new failure     4040402 lb-describe-unknown: <summary>"), then a
 * count line. Control characters and bad UTF-8 are replaced. 0 or -1. */
int report_diff_write_text(const struct report_diff *d, struct ac_buf *out);

/* ---- baseline -------------------------------------------------------------- */

/* What applying a baseline entry to a run found. */
enum report_baseline_state {
    REPORT_BASELINE_UNUSED,    /* not applied yet */
    REPORT_BASELINE_APPLIED,   /* the scenario failed: marked as known */
    REPORT_BASELINE_REMOVABLE, /* the scenario passes now: the entry can go */
    REPORT_BASELINE_EXPIRED,   /* past its expiry date: not applied */
    REPORT_BASELINE_NOT_RUN,   /* the scenario is absent, errored or skipped */
};

/* One known failure. Strings are owned. */
struct report_baseline_entry {
    long code;                        /* 7-digit catalog code */
    char *scenario;                   /* scenario id */
    char *reason;                     /* why it is accepted, non-empty */
    char *expires;                    /* "YYYY-MM-DD" (last day it applies), or NULL */
    enum report_baseline_state state; /* set by report_baseline_apply */
};

/* A baseline file: {"known_failures": [{"code": 4040402, "scenario": "id",
 * "reason": "...", "expires": "2027-01-31"}]}; "expires" is optional. */
struct report_baseline {
    struct report_baseline_entry *entries; /* file order; owned */
    size_t nentries;
};

/* Parses and validates a baseline from data[0..len): a JSON object with
 * exactly one key, known_failures, an array of entries with a 7-digit
 * integer code, a non-empty scenario and reason, an optional valid
 * YYYY-MM-DD expires, no other key, no entry twice. Errors name the file
 * and the field ("baseline.json: known_failures[1].expires: expected a
 * date YYYY-MM-DD, got \"2027-02-30\""; syntax errors line:column). Fills
 * *out (caller releases); 0, or -1 with err set (AC_ERR_PARSE,
 * AC_ERR_INVALID, AC_ERR_NOMEM) and *out empty. */
int report_baseline_parse(const char *name, const char *data, size_t len,
                          struct report_baseline *out, struct ac_error *err);

/* Same, from a file (at most 16 MiB). */
int report_baseline_load(const char *path, struct report_baseline *out, struct ac_error *err);

/* Frees the entries and zeroes the struct. */
void report_baseline_release(struct report_baseline *b);

/* Counts of report_baseline_apply. */
struct report_baseline_counts {
    size_t applied, removable, expired, not_run;
};

/* Applies b to r. First clears known, known_reason and baseline_removable
 * of every result (the baseline alone decides them); then for each entry
 * not expired on `today` ("YYYY-MM-DD", injected by the caller: an entry
 * applies up to and including its expires date), marks each FAIL result
 * with that code and scenario id as known with the entry's reason, or
 * marks a PASS result baseline_removable. Sets each entry's state and, when
 * counts is not NULL, fills it. An expired entry is not applied, so its
 * failure fails the run again. 0, or -1 with err set (AC_ERR_USAGE for a
 * malformed today, AC_ERR_NOMEM). */
int report_baseline_apply(struct report_baseline *b, struct run_results *r, const char *today,
                          struct report_baseline_counts *counts, struct ac_error *err);

/* Appends one line per entry that deserves attention (removable, expired,
 * not run), e.g. "baseline: 4040402 lb-describe-unknown passes now: remove
 * it from the baseline". Text is sanitized for a terminal. 0 or -1. */
int report_baseline_write_text(const struct report_baseline *b, struct ac_buf *out);

/* Writes today's UTC date as "YYYY-MM-DD" into out (at least 11 bytes),
 * for callers of report_baseline_apply; the only function of this module
 * that reads the clock. Returns out. */
char *report_date_today(char *out, size_t size);

#endif
