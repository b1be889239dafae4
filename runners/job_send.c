/* runners/job_send.c -- moving a job forward to its next request
 * (engine_int.h).
 *
 * job_proceed walks a job's program: after a failure or an interrupt it
 * skips to teardown (saying why the probe was not sent), binds the
 * variable of a for_each step to each element in turn, paces the requests
 * (--rps), and issues the next step's request: built (request.c), its
 * handle prepared (transfer.c) and added to the engine's multi handle. A
 * teardown step whose variables were never set is skipped; one that comes
 * too late after an interrupt is not sent, and said to be left behind. */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

/* 1 when every variable the step uses is set (teardown steps whose
 * resources were never created are skipped this way). */
static int vars_all_set(const struct step *st, const struct vars *v)
{
    char **names = NULL;
    size_t n = 0, i;
    int ok = 1;
    char *dump = NULL;

    suite_template_vars(st->path, &names, &n);
    for (i = 0; i < st->nquery; i++)
        suite_template_vars(st->query[i].value, &names, &n);
    for (i = 0; i < st->nheaders; i++)
        suite_template_vars(st->headers[i].value, &names, &n);
    if (st->body)
        suite_template_vars(st->body, &names, &n);
    if (st->json) {
        dump = json_dumps(st->json, JSON_ENCODE_ANY);
        if (dump)
            suite_template_vars(dump, &names, &n);
    }
    for (i = 0; i < n; i++) {
        json_t *val = vars_get(v, names[i]);
        if (!val || (json_is_array(val) && json_array_size(val) == 0))
            ok = 0;
        free(names[i]);
    }
    free(names);
    free(dump);
    return ok;
}

/* Issues the current step's request; 0 issued, 1 nothing to send (the job
 * moved on), -1 no memory. */
static int issue(struct job *j)
{
    struct engine *e = j->e;
    struct job_step *js = &j->steps[j->pc];
    const struct step *st = js->st;
    struct ac_error err = AC_ERROR_INIT;
    struct built b;

    if (st->unless && vars_get(j->vars, st->unless))
        return 1; /* found: nothing to create */
    if (st->repeat) {
        json_t *i = json_integer(j->attempt + (st->repeat_quota >= 0 ? st->repeat_from - 1 : 0));
        vars_set(j->vars, "i", i);
        json_decref(i);
    }
    if (js->phase >= PHASE_TEARDOWN && !vars_all_set(st, j->vars))
        return 1;
    if (request_build(e, st, j->vars, j->find_pages ? j->find_offset : -1, &b, &err) < 0) {
        /* Its variables are set (above): a teardown step that cannot be
         * built leaves something behind, which the scenario must say. */
        job_set_error(j, "%s: %s", engine_phase_name(js->phase), err.text);
        j->failed = 1;
        request_release(&b);
        return 1;
    }
    if (engine_interrupts && js->phase >= PHASE_TEARDOWN &&
        (engine_interrupts >= 2 || engine_budget_left(e) <= 0)) {
        /* Too late to send: say what stays behind. */
        char *label = job_step_label(js, j->attempt, st->repeat, j->vars);
        struct ac_buf rl = AC_BUF_INIT;
        const char *why = engine_interrupts >= 2 ? "not sent: a second signal cut the run short"
                                                 : "not sent: the interrupt budget ran out";
        ac_buf_addf(&rl, "%s %s", b.method, b.url);
        job_note_not_cleaned(j, label, rl.data, why);
        job_set_interrupted(j, "interrupted at %s: %s; something may be left behind", label, why);
        ac_buf_release(&rl);
        free(label);
        request_release(&b);
        return 1;
    }
    free(j->curl_cmd);
    j->curl_cmd = request_curl_command(st, &b, NULL);
    free(j->url);
    j->url = ac_strdup(b.url);
    free(j->method);
    j->method = ac_strdup(b.method);
    if (!j->h)
        j->h = curl_easy_init();
    if (!j->curl_cmd || !j->url || !j->method || !j->h ||
        transfer_prepare(j, st, &b, b.auth_header_given ? NULL : session_step_token(e, st)) < 0) {
        request_release(&b);
        return -1;
    }
    request_release(&b);
    ac_buf_reset(&j->resp);
    ac_buf_reset(&j->hdrtext);
    j->over_cap = j->hdr_over = 0;
    j->stalling = st->stall > 0;
    j->stall_answered = j->stall_chunked = j->stall_open_ended = 0;
    memset(&j->chunks, 0, sizeof j->chunks);
    j->stall_fd = CURL_SOCKET_BAD;
    free(j->retry_after);
    j->retry_after = NULL;
    j->throttle_wait = 0;
    j->oom_reading = 0;
    j->errbuf[0] = '\0';
    j->cut = CUT_NONE;
    j->clamp_ms = 0;
    if (engine_interrupts) /* teardown: no request may outlive the budget */
        transfer_clamp(j, engine_budget_left(e));
    j->t_sent = engine_now_ms();
    if (js->phase == PHASE_PROBE && j->attempt == 1)
        j->repeat_t0 = j->t_sent;
    if (curl_multi_add_handle(e->multi, j->h) != CURLM_OK)
        return -1;
    e->requests++;
    j->busy = 1;
    return 0;
}

/* A failure or an interrupt before teardown: straight to teardown, saying
 * (after an interrupt) what was not sent. */
static void skip_to_teardown(struct job *j)
{
    if (engine_interrupts && !j->failed && j->run->probe < 0) {
        const struct job_step *cur = &j->steps[j->pc];
        char *label = job_step_label(cur, j->attempt, cur->st->repeat, j->vars);
        if (cur->st->retry && j->attempt > 1)
            job_set_interrupted(j,
                                "interrupted at %s after %d attempts: the probe "
                                "was not sent",
                                label, j->attempt - 1);
        else if (cur->phase == PHASE_PROBE)
            job_set_interrupted(j, "interrupted before %s: it was not sent", label);
        else
            job_set_interrupted(j, "interrupted before %s: the probe was not sent", label);
        free(label);
    }
    j->pc = j->teardown_at;
    j->find_pages = 0;
}

/* A for_each step binds its loop variable to each element in turn, then
 * gives the variable its list back. 1 when an element is bound; 0 when the
 * job moved past the step (an empty list, or the last element done). */
static int bind_each(struct job *j, const struct step *st)
{
    if (!j->each_list) {
        json_t *list = vars_get(j->vars, st->for_each);
        if (!json_is_array(list) || json_array_size(list) == 0) {
            j->pc++;
            return 0;
        }
        j->each_list = json_incref(list);
        j->each = 0;
    }
    if (j->each >= json_array_size(j->each_list)) {
        vars_set(j->vars, st->for_each, j->each_list);
        json_decref(j->each_list);
        j->each_list = NULL;
        j->each = 0;
        j->pc++;
        return 0;
    }
    vars_set(j->vars, st->for_each, json_array_get(j->each_list, j->each));
    return 1;
}

/* --rps: 1 when j must wait for its slot (j->wake_at set), else 0 and the
 * slot taken. Not once the interrupt budget is spent: nothing is sent
 * then, and waiting for a slot would only delay the exit. */
static int pace(struct job *j, long long t)
{
    struct engine *e = j->e;
    double now = (double)t;

    if (e->cfg.rps <= 0 ||
        (engine_interrupts && (engine_interrupts >= 2 || engine_budget_left(e) <= 0)))
        return 0;
    if (e->next_slot > now) {
        j->wake_at = (long long)e->next_slot + 1;
        return 1;
    }
    e->next_slot =
        (e->next_slot > now - 1000.0 / e->cfg.rps ? e->next_slot : now) + 1000.0 / e->cfg.rps;
    return 0;
}

int job_proceed(struct job *j)
{
    const struct step *st;
    long long t;
    int r;

    for (;;) {
        if (j->busy)
            return 0;
        if (j->nown)
            job_publish_owned(j, 0);
        t = engine_now_ms();
        if (j->wake_at > t) {
            if (!(j->throttle_wait && engine_interrupts))
                return 0;
            j->wake_at = 0; /* an interrupt ends a wait for Retry-After */
            if (j->pc < j->teardown_at)
                job_set_interrupted(j, "interrupted while waiting to retry after a %d answer",
                                    j->throttle_wait);
        }
        if (j->pc >= j->nsteps)
            return 1;
        if ((j->failed || engine_interrupts) && j->pc < j->teardown_at) {
            skip_to_teardown(j);
            continue;
        }
        st = j->steps[j->pc].st;
        if (st->for_each && !bind_each(j, st))
            continue;
        if (pace(j, t))
            return 0;
        r = issue(j);
        if (r < 0) {
            job_set_error(j, "out of memory");
            j->failed = 1;
            r = 1;
        }
        if (r == 1) {
            if (st->for_each && j->each_list)
                j->each++;
            else
                j->pc++;
            continue;
        }
        return 0;
    }
}
