/* runners/scheduler.c -- engine_run: which scenario runs when (engine.h).
 *
 * Up to `jobs` scenarios in flight on one libcurl multi handle. A scenario
 * starts when its lease against the quotas fits (capacity.h) and no other
 * scenario is setting up a run-scoped fixture it needs; the scarcest
 * scenarios first, limit scenarios last and alone. The loop drives the
 * jobs (job.c), hands their finished transfers back to them, and after an
 * interrupt cuts what must not wait (cut_transfers). A finished scenario
 * gets its reproducer script (repro.c) and gives its lease back. */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
/* Scenarios that exhaust a quota, the balance or a rate share those with
 * every other scenario of the account: they run last, one at a time, with
 * nothing else in flight, so neither disturbs the other. */
static int exclusive(const struct scenario_run *r)
{
    return r->sc->cls == SCENARIO_LIMIT;
}

/* After an interrupt (see engine_interrupt): ends the transfers that must
 * not wait, and wakes the jobs that wait for anything but a teardown slot. */
static void cut_transfers(struct engine *e, struct job *slots, size_t nslots)
{
    long long t = engine_now_ms();
    size_t k;

    if (!e->deadline)
        e->deadline = t + e->cfg.interrupt_budget_ms;
    for (k = 0; k < nslots; k++) {
        struct job *j = &slots[k];
        const struct job_step *js;

        if (!j->run || j->pc >= j->nsteps)
            continue;
        js = &j->steps[j->pc];
        if (!j->busy) {
            if (j->throttle_wait && j->wake_at > t && j->pc < j->teardown_at)
                job_set_interrupted(j, "interrupted while waiting to retry after a %d answer",
                                    j->throttle_wait);
            if (js->phase < PHASE_TEARDOWN || t >= e->deadline || engine_interrupts >= 2)
                j->wake_at = 0;
            continue;
        }
        if (engine_interrupts >= 2)
            j->cut = CUT_SECOND;
        else if (t >= e->deadline)
            j->cut = CUT_BUDGET;
        else if (js->phase == PHASE_PROBE ||
                 (js->phase < PHASE_TEARDOWN && !job_may_create(j->method)))
            j->cut = CUT_AT_ONCE;
        else
            continue;
        job_complete(j, CURLE_ABORTED_BY_CALLBACK);
    }
}

/* A scenario the interruption kept from starting: not an ordinary skip. */
static void mark_not_started(struct scenario_run *r)
{
    r->error = ac_strdup("interrupted: not started");
    r->interrupted = 1;
    r->probe = -1;
}

/* The reproducer of a finished scenario: prelude and its steps, with the
 * values its run captured as fallbacks; redacted, and cut (with a marker
 * and an exit, so a cut script never runs half) at ENGINE_SCRIPT_CAP. */
static char *run_script(const struct engine *e, const struct suite *s, const struct scenario_run *r,
                        size_t index, const struct vars *v)
{
    struct ac_buf b = AC_BUF_INIT, red = AC_BUF_INIT;
    char *out = NULL;

    if (engine_script_prelude(e, &b) < 0 || engine_script_scenario(e, s, r->sc, index, v, &b) < 0 ||
        ac_buf_adds(&b, "exit \"${ac_rc:-0}\"\n") < 0)
        goto out;
    if (redact_append_cut(e->red, b.data, b.len, 0, &red) < 0 || ac_buf_grow(&red, 0) < 0)
        goto out;
    if (red.len > ENGINE_SCRIPT_CAP) {
        size_t cut = ENGINE_SCRIPT_CAP, more;
        while (cut > 0 && red.data[cut - 1] != '\n')
            cut--;
        more = red.len - cut;
        red.len = cut;
        red.data[cut] = '\0';
        if (ac_buf_addf(&red, "# [reproducer cut here: %zu more bytes]\nexit 2\n", more) < 0)
            goto out;
    }
    out = ac_buf_take(&red);
out:
    ac_buf_release(&b);
    ac_buf_release(&red);
    return out;
}

/* The next scenario to start, as an index into order, or -1: the first not
 * started whose lease can be had now and whose run-scoped fixtures are not
 * being set up by another scenario; a limit scenario only when nothing
 * else is in flight. On the way, marks the skipped and those that can
 * never get their lease (with the quota to raise). need, keep: the lease. */
static long pick_next(struct engine *e, const struct suite *s, struct scenario_run *runs,
                      const size_t *order, size_t n, size_t next, unsigned char *started,
                      int active, int *need, int *keep,
                      void (*progress)(void *ud, const struct scenario_run *r), void *ud)
{
    size_t idx;

    for (idx = next; idx < n; idx++) {
        struct scenario_run *r = &runs[order[idx]];
        int blocked, q;
        if (started[idx])
            continue;
        if (r->skip_reason || engine_interrupts) {
            if (!r->skip_reason)
                mark_not_started(r);
            started[idx] = 1;
            continue;
        }
        if (exclusive(r) && active > 0)
            break; /* wait until the others are done */
        job_need(e, s, r->sc, need, keep, &blocked);
        if (blocked)
            continue;
        q = capacity_never_fits(&e->cap, need);
        if (q >= 0) {
            struct ac_buf why = AC_BUF_INIT;
            ac_buf_addf(&why,
                        "needs %d of the %s quota at once (its fixtures included), but the "
                        "profile gives quotas.%s = %ld",
                        need[q], suite_quota_names[q], suite_quota_names[q], e->cap.limit[q]);
            if (e->cap.kept[q])
                ac_buf_addf(&why, ", of which persistent fixtures keep %ld", e->cap.kept[q]);
            ac_buf_adds(&why, ": raise it in the profile");
            r->error = ac_buf_take(&why);
            r->probe = -1;
            started[idx] = 1;
            if (progress)
                progress(ud, r);
            continue;
        }
        if (!capacity_fits(&e->cap, need))
            continue; /* waits for a lease; others run meanwhile */
        started[idx] = 1;
        return (long)idx;
    }
    return -1;
}

/* How much of its most constrained quota a scenario holds, in 1/1000 of
 * the quota: 0 when it holds nothing limited. */
static long scarcity(const struct engine *e, const struct suite *s, const struct scenario *sc)
{
    int h[SUITE_NQUOTAS], k;
    long best = 0;

    suite_scenario_holds(s, sc, h);
    for (k = 0; k < SUITE_NQUOTAS; k++)
        if (h[k] && e->cap.limit[k] > 0) {
            long v = (long)h[k] * 1000 / e->cap.limit[k];
            if (v > best)
                best = v;
        }
    return best;
}

/* A stable insertion sort of order[0..m) by scarcity, the scarcest first
 * (m is a suite's size: a few hundred). */
static void sort_by_scarcity(const struct engine *e, const struct suite *s,
                             const struct scenario_run *runs, size_t *order, size_t m)
{
    long *key = calloc(m + 1, sizeof *key);
    size_t i, j;

    if (!key)
        return; /* suite order: slower, not wrong */
    for (i = 0; i < m; i++)
        key[i] = scarcity(e, s, runs[order[i]].sc);
    for (i = 1; i < m; i++) {
        size_t o = order[i];
        long kv = key[i];
        for (j = i; j > 0 && key[j - 1] < kv; j--) {
            order[j] = order[j - 1];
            key[j] = key[j - 1];
        }
        order[j] = o;
        key[j] = kv;
    }
    free(key);
}

int engine_run(struct engine *e, const struct suite *s, struct scenario_run *runs, size_t n,
               void (*progress)(void *ud, const struct scenario_run *r), void *ud)
{
    size_t nslots = (size_t)e->cfg.jobs, next = 0, k, m = 0;
    struct job *slots = calloc(nslots, sizeof *slots);
    CURL **handles = calloc(nslots, sizeof *handles);
    size_t *order = calloc(n + 1, sizeof *order);
    unsigned char *started = calloc(n + 1, 1);
    int rc = -1, alone = 0;

    if (!slots || !handles || !order || !started)
        goto out;
    e->last_tick = engine_now_ms();
    e->suite = s;
    for (k = 0; k < n; k++)
        if (!exclusive(&runs[k]))
            order[m++] = k;
    /* The scarcest first: scenarios that hold much of a small quota form
     * the run's critical path (two load balancers at a time), so they
     * start at once and the others fill the remaining slots beside them. */
    sort_by_scarcity(e, s, runs, order, m);
    for (k = 0; k < n; k++)
        if (exclusive(&runs[k]))
            order[m++] = k;
    for (;;) {
        int again = 0, active = 0, running = 0, left;
        long long t = engine_now_ms(), timeout = 100;
        CURLMsg *msg;

        if (engine_interrupts)
            cut_transfers(e, slots, nslots);
        for (k = 0; k < nslots; k++)
            active += slots[k].run != NULL;
        for (k = 0; k < nslots; k++) {
            struct job *j = &slots[k];
            if (!j->run && !alone) {
                struct scenario_run *r;
                int need[SUITE_NQUOTAS], keep[SUITE_NQUOTAS];
                long pick = pick_next(e, s, runs, order, n, next, started, active, need, keep,
                                      progress, ud);
                while (next < n && started[next])
                    next++;
                if (pick < 0)
                    continue;
                r = &runs[order[pick]];
                j->e = e;
                j->run = r;
                memcpy(j->need, need, sizeof need);
                memcpy(j->keep, keep, sizeof keep);
                capacity_take(&e->cap, need);
                j->run->probe = -1;
                j->run->started_ms = t - e->t0;
                j->attempt = 1;
                j->h = handles[k];
                j->vars = vars_new();
                if (!j->vars || job_plan(j, s) < 0)
                    goto out;
                request_builtins(e, s, r->sc, j->vars, order[pick]);
                alone = exclusive(r);
                while (next < n && started[next])
                    next++;
                active++;
            }
            if (!j->run)
                continue;
            if (job_proceed(j)) {
                /* Teardown is over (deletions confirmed): the lease goes
                 * back, but for what persistent fixtures keep. */
                job_publish_owned(j, 1);
                capacity_give(&e->cap, j->need, j->keep);
                j->run->duration_ms = engine_now_ms() - e->t0 - j->run->started_ms;
                j->run->script = run_script(e, s, j->run, (size_t)(j->run - runs), j->vars);
                if (progress)
                    progress(ud, j->run);
                if (exclusive(j->run))
                    alone = 0;
                handles[k] = j->h;
                job_release(j);
                active--;
                again = 1;
            }
        }
        if (!active && next >= n)
            break;
        if (!active && !alone && !again) {
            /* Nothing in flight and nothing could start: cannot happen
             * (a lease that never fits is an error above), but a hang
             * would be worse than a named error. */
            for (; next < n; next++)
                if (!started[next] && !runs[order[next]].skip_reason) {
                    runs[order[next]].error = ac_strdup("could not be scheduled");
                    runs[order[next]].probe = -1;
                    started[next] = 1;
                }
            continue;
        }
        if (e->cfg.tick && t - e->last_tick >= e->cfg.tick_ms) {
            const struct scenario_run *slow = NULL;
            for (k = 0; k < nslots; k++)
                if (slots[k].run && (!slow || slots[k].run->started_ms < slow->started_ms))
                    slow = slots[k].run;
            e->last_tick = t;
            e->cfg.tick(e->cfg.tick_data, (size_t)active, slow,
                        slow ? t - e->t0 - slow->started_ms : 0);
        }
        curl_multi_perform(e->multi, &running);
        while ((msg = curl_multi_info_read(e->multi, &left))) {
            struct job *j = NULL;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            if (j) {
                job_complete(j, msg->data.result);
                again = 1;
            }
        }
        if (again)
            continue;
        for (k = 0; k < nslots; k++) {
            struct job *j = &slots[k];
            if (j->run && !j->busy) {
                long long w = j->wake_at - t;
                if (w < timeout)
                    timeout = w < 0 ? 0 : w;
            }
        }
        if (timeout > 0 || running)
            curl_multi_poll(e->multi, NULL, 0, (int)timeout, NULL);
    }
    rc = 0;
out:
    for (k = 0; slots && k < nslots; k++) {
        if (slots[k].run) {
            if (slots[k].busy)
                curl_multi_remove_handle(e->multi, slots[k].h);
            handles[k] = slots[k].h;
            job_release(&slots[k]);
        }
    }
    for (k = 0; handles && k < nslots; k++)
        if (handles[k])
            curl_easy_cleanup(handles[k]);
    free(slots);
    free(handles);
    free(order);
    free(started);
    return rc;
}
