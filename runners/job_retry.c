/* runners/job_retry.c -- when a job sends a request again (engine_int.h).
 *
 * Transport failures before any answer (a connection never made, always;
 * one that may have reached the target, for idempotent methods only),
 * 429/503 "try again" answers (after the
 * wait Retry-After asks, capped by --retry-after-max), and polls (backing
 * off from 5 ms up to the step's interval); and what is said when the
 * retries or the attempts run out, or an interrupt ends them. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int idempotent(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "PUT") == 0 ||
           strcmp(m, "DELETE") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Transport failures before any response may be retried; a response that
 * arrived is never sent again. */
int job_retryable(CURLcode rc, const char *method, size_t got)
{
    if (got > 0)
        return 0;
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
        rc == CURLE_COULDNT_RESOLVE_PROXY)
        return 1;
    if (rc == CURLE_GOT_NOTHING || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR)
        return idempotent(method);
    return 0;
}

static long long retry_after_max_ms(const struct engine *e)
{
    return e->cfg.retry_after_max_ms > 0 ? e->cfg.retry_after_max_ms
                                         : ENGINE_DEFAULT_RETRY_AFTER_MAX_MS;
}

/* Appends server text for a terminal: control bytes as \xNN, at most cap
 * bytes (then "..."). */
static void add_printable(struct ac_buf *b, const char *s, size_t cap)
{
    size_t i;

    for (i = 0; s[i] && i < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            ac_buf_addf(b, "\\x%02x", c);
        else
            ac_buf_addc(b, (char)c);
    }
    if (s[i])
        ac_buf_adds(b, "...");
}

static const char *retry_after_value(const struct job *j)
{
    const char *v = j->retry_after;

    while (v && (*v == ' ' || *v == '\t'))
        v++;
    return v;
}

/* Why a 429/503 ends the step, naming the answer: 'rate limited:
 * 429/4030001 "Api freq out of limit.", Retry-After: 1000000000, after 2
 * retries (each wait capped at 1 s by --retry-after-max)'. Redacted heap
 * string. */
char *job_throttle_reason(const struct job *j, const struct job_step *js, const struct observed *o,
                          int retries)
{
    struct ac_buf b = AC_BUF_INIT;
    const char *ra = retry_after_value(j);
    long long delay = 0, max = retry_after_max_ms(j->e);
    enum engine_retry_after kind = engine_retry_after_parse(ra, (long long)time(NULL), &delay);
    char *safe;

    ac_buf_addf(&b, "%s: %d", o->status == 429 ? "rate limited" : "unavailable", o->status);
    if (o->has_code) {
        ac_buf_addf(&b, "/%lld", o->code);
        if (o->has_message && o->message) {
            ac_buf_adds(&b, " \"");
            add_printable(&b, o->message, 200);
            ac_buf_addc(&b, '"');
        }
    } else {
        ac_buf_adds(&b, " (no error code in the body)");
    }
    if (ra) {
        ac_buf_adds(&b, ", Retry-After: ");
        add_printable(&b, ra, 80);
    } else {
        ac_buf_adds(&b, ", no Retry-After");
    }
    ac_buf_addf(&b, ", after %d retr%s", retries, retries == 1 ? "y" : "ies");
    if (retries > 0 && (kind == ENGINE_RA_SECONDS || kind == ENGINE_RA_DATE) && delay > max / 1000)
        ac_buf_addf(&b, " (each wait capped at %lld s by --retry-after-max)", max / 1000);
    if (js->phase >= PHASE_TEARDOWN)
        ac_buf_adds(&b, ": something may be left behind");
    safe = b.data ? redact_dup(j->e->red, b.data) : NULL;
    ac_buf_release(&b);
    return safe;
}

/* Schedules retry number `retry` of a request answered 429/503. */
void job_throttle_retry(struct job *j, long status, int retry, long long t)
{
    const char *ra = retry_after_value(j);
    long long delay = 0, wait;
    enum engine_retry_after kind = engine_retry_after_parse(ra, (long long)time(NULL), &delay);

    wait = engine_retry_wait_ms(kind, delay, retry, retry_after_max_ms(j->e));
    j->tries = retry;
    j->throttle_wait = (int)status;
    j->wake_at = t + wait;
    if (j->e->cfg.verbose) {
        struct ac_buf b = AC_BUF_INIT;
        char *safe;
        ac_buf_addf(&b, "< %ld to %s %s: try again in %lld ms (Retry-After: ", status, j->method,
                    j->url, wait);
        add_printable(&b, ra ? ra : "none", 80);
        ac_buf_addf(&b, "), retry %d of %d", retry, j->e->cfg.retries);
        safe = b.data ? redact_dup(j->e->red, b.data) : NULL;
        ac_fput_safe(stderr, safe);
        fputc('\n', stderr);
        free(safe);
        ac_buf_release(&b);
    }
}

/* A poll whose condition does not hold yet: schedules the next attempt
 * and returns 1, or 0 when the attempts are used up or an interrupt came.
 * Backs off from 5 ms up to the interval: a fast target is not kept
 * waiting, a slow one is not hammered. */
/* Whether the poll of st may try again after an answer at j->poll_last:
 * within the suite's attempts, or past them within --poll-timeout of its
 * first answer. */
static int poll_may_go_on(const struct job *j, const struct step *st)
{
    long long floor = j->e->cfg.poll_timeout_ms;

    return j->attempt < st->retry->attempts || (floor > 0 && j->poll_last - j->poll_since < floor);
}

int job_poll_again(struct job *j, const struct step *st, long long t)
{
    long long wait = 5LL << (j->attempt < 12 ? j->attempt - 1 : 11);

    if (j->attempt == 1)
        j->poll_since = t;
    j->poll_last = t;
    if (!poll_may_go_on(j, st) || engine_interrupts)
        return 0;
    if (j->attempt >= st->retry->attempts) /* past the suite's: slower */
        wait = st->retry->interval_ms > ENGINE_POLL_SLOW_MS ? st->retry->interval_ms
                                                            : ENGINE_POLL_SLOW_MS;
    else if (wait > st->retry->interval_ms)
        wait = st->retry->interval_ms;
    j->attempt++;
    j->wake_at = t + wait;
    return 1;
}

long long job_poll_waited_ms(const struct job *j)
{
    return j->attempt > 1 ? j->poll_last - j->poll_since : 0;
}

/* A poll an interrupt cut short: not the target's fault, it was not given
 * its attempts. 1 when that is so (the job's state is set), else 0. */
int job_poll_interrupted(struct job *j, const struct job_step *js, const struct exchange *x)
{
    const struct step *st = js->st;

    if (!engine_interrupts || !poll_may_go_on(j, st))
        return 0;
    job_set_interrupted(j, "interrupted at %s after %d attempts%s", x->label, j->attempt,
                        js->phase < PHASE_TEARDOWN ? ": the probe was not sent" : "");
    if (js->phase < PHASE_TEARDOWN)
        j->failed = 1;
    else
        job_note_not_cleaned(j, x->label, x->request_line,
                             "interrupted before the deletion was confirmed");
    return 1;
}
