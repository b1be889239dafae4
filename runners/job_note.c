/* runners/job_note.c -- what a job says (engine_int.h).
 *
 * Everything a job writes into its scenario's record besides the exchanges
 * themselves, redacted: the first error (or the interruption) that
 * explains the rest, what teardown may have left behind (not_cleaned), the
 * label of each exchange, the excerpt of a probe's message cut by the body
 * cap; and the -v lines on stderr. It decides nothing. */
#include "engine_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void job_set_error(struct job *j, const char *fmt, ...)
{
    struct ac_buf b = AC_BUF_INIT, r = AC_BUF_INIT;
    va_list ap;
    int n;

    if (j->run->error)
        return; /* the first reason is the one that explains the rest */
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || ac_buf_grow(&b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b.len = (size_t)n;
    redact_append(j->e->red, b.data, b.len, &r);
    j->run->error = ac_buf_take(&r);
    ac_buf_release(&b);
}

void job_set_interrupted(struct job *j, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (j->run->error)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    job_set_error(j, "%s", line);
    j->run->interrupted = j->run->error != NULL;
}

/* Records one thing teardown may have left behind: "what: request: why". */
void job_note_not_cleaned(struct job *j, const char *what, const char *request, const char *why)
{
    struct ac_buf b = AC_BUF_INIT, r = AC_BUF_INIT;
    size_t k;

    ac_buf_addf(&b, "%s: %s: %s", what ? what : "?", request ? request : "?", why);
    for (k = 0; k < b.len; k++)
        if (b.data[k] == '\n' || b.data[k] == '\r')
            b.data[k] = ' ';
    if (j->run->not_cleaned)
        ac_buf_adds(&r, j->run->not_cleaned);
    redact_append(j->e->red, b.data ? b.data : "", b.len, &r);
    ac_buf_addc(&r, '\n');
    if (r.data) {
        free(j->run->not_cleaned);
        j->run->not_cleaned = ac_buf_take(&r);
    }
    ac_buf_release(&r);
    ac_buf_release(&b);
}

/* A request whose answer may be the only word of what it created. */
int job_may_create(const char *method)
{
    return method && (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
                      strcmp(method, "PATCH") == 0);
}

/* "setup 1 (create load balancer cf-lb-r3f9a1c-17)": the label's variables
 * expanded with v when they are set (v may be NULL: the label as written). */
char *job_step_label(const struct job_step *js, int attempt, int repeat, const struct vars *v)
{
    struct ac_buf b = AC_BUF_INIT;

    if (js->phase == PHASE_PROBE)
        ac_buf_adds(&b, "probe");
    else if (js->owner)
        ac_buf_addf(&b, "%s %s %d", js->owner,
                    js->phase == PHASE_FIXTURE_SETUP ? "setup" : "teardown", js->number);
    else
        ac_buf_addf(&b, "%s %d", engine_phase_name(js->phase), js->number);
    if (repeat && attempt > 1)
        ac_buf_addf(&b, " #%d", attempt);
    if (js->st->label) {
        struct ac_buf l = AC_BUF_INIT;
        struct ac_error err = AC_ERROR_INIT;
        if (v && suite_expand(js->st->label, v, &l, &err) == 0 && l.data)
            ac_buf_addf(&b, " (%s)", l.data);
        else
            ac_buf_addf(&b, " (%s)", js->st->label);
        ac_buf_release(&l);
    }
    return ac_buf_take(&b);
}

/* One line of -v, prefixed with the scenario id so that lines of parallel
 * scenarios (--jobs 8) can be told apart; text already redacted. */
static void verbose_line(const char *id, const char *mark, const char *text)
{
    fputc('[', stderr);
    ac_fput_safe(stderr, id);
    fprintf(stderr, "] %s ", mark);
    ac_fput_safe(stderr, text ? text : "");
    fputc('\n', stderr);
}

/* -v: the request (line and body) and the answer (status, headers, body
 * excerpt), each line with its scenario id; written at once per exchange,
 * so the lines of one exchange stay together. */
void job_verbose_print(const char *id, const struct exchange *x)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_addf(&b, "%s %s", x->label ? x->label : "", x->request_line ? x->request_line : "");
    verbose_line(id, ">", b.data);
    if (x->request_body && x->request_body[0])
        verbose_line(id, "> body:", x->request_body);
    ac_buf_reset(&b);
    if (x->transport_error) {
        verbose_line(id, "< error:", x->error_text);
    } else {
        const char *h = x->headers ? x->headers : "";
        ac_buf_addf(&b, "%d (%zu bytes, %lld ms)", x->obs.status, x->body_len, x->ms);
        verbose_line(id, "<", b.data);
        while (*h) {
            size_t n = strcspn(h, "\r\n");
            if (n > 0 && strncmp(h, "HTTP/", 5) != 0) {
                ac_buf_reset(&b);
                ac_buf_add(&b, h, n);
                verbose_line(id, "< header:", b.data);
            }
            h += n;
            h += strspn(h, "\r\n");
        }
        if (x->excerpt && x->excerpt[0])
            verbose_line(id, "< body:", x->excerpt);
    }
    fflush(stderr);
    ac_buf_release(&b);
}

/* The probe's body went over the cap: what was read may still show a
 * "message" that cannot be the catalog's (verify.c judges that). */
void job_note_cut_message(struct job *j, struct exchange *x, long status)
{
    struct engine_cut_message *m = calloc(1, sizeof *m);
    char *safe;

    if (!m)
        return; /* the error stands: nothing judged */
    engine_cut_message_scan(j->resp.data, j->resp.len,
                            contract_or_builtin(contract_active())->message_pointer, m);
    safe = m->seen ? redact_dup(j->e->red, m->head) : NULL;
    if (!safe) {
        free(m);
        return;
    }
    m->head_len = strlen(safe) < ENGINE_CUT_HEAD ? strlen(safe) : ENGINE_CUT_HEAD;
    memcpy(m->head, safe, m->head_len);
    m->head[m->head_len] = '\0';
    free(safe);
    x->cut = m;
    x->cut_status = (int)status;
}
