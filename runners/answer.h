/* runners/answer.h -- facts about an answer that libcurl does not give:
 * what a Retry-After header asks for, where a chunked body ends, and what
 * a body cut by the size cap already shows of its "message".
 *
 * Pure functions over bytes the target sent (hostile: any bytes, any
 * length); no libcurl, no clock (the caller passes the time), no
 * allocation. The engine (transfer.c, job_retry.c, job_note.c) uses them;
 * test_runner.c tests them. */
#ifndef ANSWER_H
#define ANSWER_H

#include <stddef.h>

/* ---- Retry-After (RFC 9110 section 10.2.3) ------------------------------ */

/* What a Retry-After value turned out to be. */
enum engine_retry_after {
    ENGINE_RA_ABSENT,  /* no header */
    ENGINE_RA_GARBAGE, /* neither delay-seconds nor an HTTP-date: ignored */
    ENGINE_RA_SECONDS, /* delay-seconds, 1*DIGIT */
    ENGINE_RA_DATE,    /* an HTTP-date (IMF-fixdate, rfc850-date or asctime-date) */
};

/* The default and the largest --retry-after-max. */
#define ENGINE_DEFAULT_RETRY_AFTER_MAX_MS 30000L
#define ENGINE_RETRY_AFTER_MAX_LIMIT_MS 3600000L

/* Parses a Retry-After value (NULL: absent; surrounding blanks allowed).
 * For SECONDS and DATE sets *delay_s to the seconds it asks to wait from
 * now_unix (seconds since the epoch): a date in the past is 0, and a value
 * too large to hold saturates (it is clamped later anyway). Strict: "-5",
 * "1.5", "soon" or a date with a bad day are GARBAGE. */
enum engine_retry_after engine_retry_after_parse(const char *value, long long now_unix,
                                                 long long *delay_s);

/* The wait, in ms, before retry number `retry` (1-based) of a request that
 * was answered 429 or 503: what Retry-After asked when it parsed, else a
 * back-off of 1 s, 2 s, 4 s...; never more than max_ms (never less than 0). */
long long engine_retry_wait_ms(enum engine_retry_after kind, long long delay_s, int retry,
                               long long max_ms);

/* ---- The end of a chunked body (RFC 9112 section 7.1) ------------------- */

/* Follows the framing of a chunked body as it arrives, raw (before libcurl
 * decodes it): hex size, extensions, data, CRLF, ..., the last chunk, the
 * trailer section and its final CRLF. Zero it to start. */
struct engine_chunks {
    int state;               /* internal */
    unsigned long long left; /* bytes of chunk data still to come */
    int digits;              /* hex digits of the current size */
};

/* Feeds n raw bytes. Returns 1 once the terminating last chunk and trailer
 * section were seen (the body is complete), -1 when the framing is broken
 * (libcurl reports that itself), else 0. Bytes after the end are ignored. */
int engine_chunks_feed(struct engine_chunks *c, const char *p, size_t n);

/* ---- A "message" in a body cut by the size cap ------------------------- */

#define ENGINE_CUT_HEAD 256 /* bytes of the message kept for reports */

/* What the first bytes of a JSON body show of its message (the member at
 * the contract's message pointer, "/message" or "/error/message"). */
struct engine_cut_message {
    int seen;                       /* 1: the message member's string began */
    int whole;                      /* 1: and it ended within the bytes given */
    size_t len;                     /* its decoded bytes so far (exact when whole) */
    size_t norm_len;                /* a lower bound of its length as normalized matching
                                       counts it (surrounding blanks and one final period
                                       do not count) */
    char head[ENGINE_CUT_HEAD + 1]; /* its first decoded bytes, NUL-ended */
    size_t head_len;
};

/* Scans body[0..n), the start of a body that may go on: a JSON object
 * whose members up to the one pointer names are well-formed JSON, pointer
 * a JSON Pointer of object members ("/error/message": each but the last
 * an object), the last one's value a string (valid UTF-8, no control
 * characters, valid escapes, no NUL). Fills *out (seen 0 when not so:
 * nothing can be said). */
void engine_cut_message_scan(const char *body, size_t n, const char *pointer,
                             struct engine_cut_message *out);

#endif
