/* runners/job.c -- a job's finished transfer (engine_int.h).
 *
 * job_complete takes a transfer the multi handle finished, or one the
 * scheduler cut, and runs it through a fixed order of steps (done_steps):
 * retry a transport failure or a "try again" answer; record the exchange,
 * redacted; accept it or not (no answer, memory, throttling, the probe,
 * the status a step accepts); then find, capture and poll; and last
 * advance to the next for_each element or step. Each step is a function
 * of its own that says whether the next one runs. The probe is judged
 * later (check.h): here it is recorded, its captures taken (so teardown
 * deletes what it created) and its repeats sent. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct exchange *new_exchange(struct job *j)
{
    struct scenario_run *r = j->run;
    struct exchange *nx = realloc(r->ex, (r->nex + 1) * sizeof *nx);

    if (!nx)
        return NULL;
    r->ex = nx;
    memset(&nx[r->nex], 0, sizeof nx[r->nex]);
    return &nx[r->nex++];
}

static int is_2xx(int status)
{
    return status >= 200 && status < 300;
}

static int status_accepted(const struct step *st, int status)
{
    size_t i;

    if (st->nstatuses == 0)
        return is_2xx(status);
    for (i = 0; i < st->nstatuses; i++)
        if (st->statuses[i] == status)
            return 1;
    return 0;
}

/* Registers the string values of credential-like members of a JSON body
 * (a token endpoint's answer, say) so they never reach a report. */
static void learn_secrets(struct engine *e, json_t *root)
{
    const char *k;
    json_t *val;

    if (!json_is_object(root))
        return;
    json_object_foreach (root, k, val) {
        if (json_is_string(val) && redact_member_is_sensitive(k))
            redact_add(e->red, json_string_value(val));
    }
}

/* The part of an answer a step with "find" looks at: the first element of
 * the list at find_in whose member find_key is the expanded find_value;
 * NULL when none is (or the list is missing: *bad then). Without "find":
 * root. Borrowed from root. */
static json_t *find_scope(struct job *j, const struct step *st, json_t *root, int *bad)
{
    struct ac_buf want = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    json_t *list, *el = NULL;
    size_t i;

    *bad = 0;
    if (!st->find_in)
        return root;
    list = root ? suite_json_pointer(root, st->find_in) : NULL;
    if (!json_is_array(list)) {
        *bad = 1;
        return NULL;
    }
    if (suite_expand(st->find_value, j->vars, &want, &err) < 0) {
        ac_buf_release(&want);
        *bad = 1;
        return NULL;
    }
    for (i = 0; i < json_array_size(list) && !el; i++) {
        json_t *m = json_object_get(json_array_get(list, i), st->find_key);
        if (json_is_string(m) && want.data && strcmp(json_string_value(m), want.data) == 0)
            el = json_array_get(list, i);
    }
    ac_buf_release(&want);
    return el;
}

/* Applies captures; returns -1 and sets the job's error when a pointer
 * does not resolve. */
static int capture(struct job *j, const struct step *st, json_t *root, int append)
{
    size_t i;

    if (st->find_in && !root)
        return 0; /* not found: the next step ("unless" it is set) creates it */

    for (i = 0; i < st->ncaptures; i++) {
        json_t *val = root ? suite_json_pointer(root, st->captures[i].value) : NULL;
        if (!val) {
            job_set_error(j, "capture ${%s}: %s not found in the response", st->captures[i].name,
                          st->captures[i].value);
            return -1;
        }
        if (json_is_string(val) && redact_member_is_sensitive(st->captures[i].name))
            redact_add(j->e->red, json_string_value(val));
        if (append ? vars_append(j->vars, st->captures[i].name, val)
                   : vars_set(j->vars, st->captures[i].name, val))
            return -1;
    }
    return 0;
}

/* 429 and 503 say "try again" (RFC 6585 section 4, RFC 9110 section
 * 15.6.4): from a rate limiter or proxy in front of the implementation they
 * are no verdict on it. They are its judged answer when the step expects
 * that status (the probe's expected code has it, or a setup or teardown
 * step lists it) or when the body holds a catalog code of that status
 * (without a catalog: a code whose status digits are that status). */
static int try_again(const struct job *j, const struct job_step *js, long status)
{
    const struct catalog *cat = j->e->cfg.catalog;
    const struct catalog_entry *ce;
    struct observed o;
    int judged = 0;

    if (status != 429 && status != 503)
        return 0;
    if (js->phase == PHASE_PROBE) {
        long want = j->run->sc->code;
        ce = cat ? catalog_find(cat, want) : NULL;
        if ((ce ? ce->status : contract_code_status(contract_active(), want)) == status)
            return 0;
    } else if (js->st->nstatuses && status_accepted(js->st, (int)status)) {
        return 0;
    }
    check_observe((int)status, NULL, 0, j->resp.data, j->resp.len, &o);
    if (o.has_code && contract_code_status(contract_active(), o.code) >= 0) {
        ce = cat ? catalog_find(cat, (long)o.code) : NULL;
        judged = cat ? ce && ce->status == status
                     : contract_code_status(contract_active(), o.code) == status;
    }
    observed_release(&o);
    return !judged;
}

/* The quota a code says is used up, or NULL: the one a limit scenario of
 * the suite exhausts to provoke that code ("repeat": {"quota": NAME}). */
static const char *quota_of_code(const struct engine *e, long long code)
{
    size_t i;

    for (i = 0; e->suite && i < suite_count(e->suite); i++) {
        const struct scenario *sc = suite_at(e->suite, i);
        if (sc->code == code && sc->request.repeat_quota >= 0)
            return suite_quota_names[sc->request.repeat_quota];
    }
    return NULL;
}

/* A finished transfer (job_complete) goes through the steps below in the
 * order done_steps gives. Each says what comes next: GO_ON, the next step;
 * JUDGED, the exchange is done with and the job advances (to the next
 * element of a for_each, or the next step); HELD, the job stays where the
 * step left it (the same request sent again later, for a retry, a poll or
 * a repeat; or, after no memory, already past it). */
enum verdict { GO_ON, JUDGED, HELD };

/* What the steps share of one finished transfer. */
struct done {
    struct job *j;
    struct job_step *js;
    const struct step *st;
    CURLcode rc;
    long long t;   /* when it finished */
    long status;   /* the answer's status, 0 for none */
    int tries;     /* the transport tries of this attempt */
    int throttled; /* still "try again" (429/503) after the retries */
    struct exchange *x;
    json_t *root; /* the answer's JSON, or the element "find" found */
};

/* A failure before any answer, that may be retried: sent again later. */
static enum verdict retry_transport(struct done *d)
{
    struct job *j = d->j;

    if (d->rc != CURLE_OK && job_retryable(d->rc, j->method, j->resp.len) &&
        j->tries < j->e->cfg.retries && !engine_interrupts) {
        j->tries++;
        j->wake_at = d->t + (100LL << j->tries);
        return HELD;
    }
    return GO_ON;
}

/* A 429/503 "try again" that is no verdict on the target: sent again after
 * the wait it asks for, while retries are left. */
static enum verdict retry_throttled(struct done *d)
{
    struct job *j = d->j;

    d->tries = j->tries;
    j->tries = 0;
    if (d->rc == CURLE_OK) {
        curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &d->status);
        if (try_again(j, d->js, d->status)) {
            /* The wait is not part of any request's timeout: the retry is a
             * new transfer, timed from when it is sent. */
            if (d->tries < j->e->cfg.retries && !engine_interrupts) {
                job_throttle_retry(j, d->status, d->tries + 1, d->t);
                return HELD;
            }
            d->throttled = 1;
        }
    }
    return GO_ON;
}

/* The exchange into the run: label, request and answer headers, redacted.
 * A poll that is repeated keeps only its latest exchange. */
static enum verdict record(struct done *d)
{
    struct job *j = d->j;
    struct engine *e = j->e;
    struct ac_buf rl = AC_BUF_INIT;
    struct exchange *x;

    if (d->st->retry && j->attempt > 1 && j->run->nex > 0) {
        engine_exchange_release(&j->run->ex[j->run->nex - 1]);
        j->run->nex--;
    }
    x = d->x = new_exchange(j);
    if (!x) {
        job_set_error(j, "out of memory");
        j->failed = 1;
        j->pc++;
        return HELD;
    }
    x->phase = d->js->phase;
    x->label = job_step_label(d->js, j->attempt, d->st->repeat, j->vars);
    ac_buf_addf(&rl, "%s %s", j->method, j->url);
    x->request_line = engine_dup_redacted(e, rl.data, rl.len, 4096);
    ac_buf_release(&rl);
    if (j->req_len)
        x->request_body = engine_dup_redacted(e, j->req_body, j->req_len, REQUEST_EXCERPT_CAP);
    if (d->js->phase == PHASE_PROBE)
        x->curl = engine_dup_redacted(e, j->curl_cmd, strlen(j->curl_cmd), 65536);
    x->ms = d->t - j->t_sent;
    x->body_len = j->resp.len;
    if (j->hdrtext.len) {
        if (engine_mask_headers(&j->hdrtext) < 0)
            j->oom_reading = 1;
        x->headers = engine_dup_redacted(e, j->hdrtext.data, j->hdrtext.len, HEADER_EXCERPT_CAP);
    }
    curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &d->status);
    return GO_ON;
}

/* No answer (or none to speak of): why, and what it may leave behind. */
static enum verdict accept_transport(struct done *d)
{
    struct job *j = d->j;
    struct engine *e = j->e;
    const struct job_step *js = d->js;
    struct exchange *x = d->x;
    CURLcode rc = d->rc;

    if (rc == CURLE_OK && d->status != 0)
        return GO_ON;
    x->transport_error = rc != CURLE_OK ? (int)rc : (int)CURLE_GOT_NOTHING;
    x->error_text = transfer_reason(j, rc != CURLE_OK ? rc : CURLE_GOT_NOTHING);
    if (x->error_text && strncmp(x->error_text, "interrupted: ", 13) == 0) {
        job_set_interrupted(j, "interrupted at %s: %s", x->label, x->error_text + 13);
        if (js->phase < PHASE_TEARDOWN && job_may_create(j->method))
            job_note_not_cleaned(j, x->label, x->request_line,
                                 "cut short before its answer: it may have created something "
                                 "that teardown does not know of");
    } else {
        job_set_error(j, "%s: %s", x->label, x->error_text);
    }
    if (js->phase >= PHASE_TEARDOWN)
        job_note_not_cleaned(j, x->label, x->request_line, x->error_text ? x->error_text : "?");
    if (j->resp.len)
        x->excerpt =
            engine_dup_redacted_cut(e, j->resp.data, j->resp.len, ENGINE_EXCERPT_CAP, j->over_cap);
    if (j->over_cap && js->phase == PHASE_PROBE)
        job_note_cut_message(j, x, d->status);
    if (js->phase <= PHASE_PROBE)
        j->failed = 1;
    if (e->cfg.verbose)
        job_verbose_print(j->run->sc->id, x);
    return JUDGED;
}

/* The answer reduced to what the checks need, its secrets learned, then
 * everything kept of it redacted. Memory that ran out while reading it
 * leaves nothing to conclude about the target. */
static enum verdict read_answer(struct done *d)
{
    struct job *j = d->j;
    struct engine *e = j->e;
    struct exchange *x = d->x;

    check_observe_block((int)d->status, j->hdrtext.data, j->hdrtext.len, j->resp.data, j->resp.len,
                        &x->obs);
    if (is_2xx((int)d->status) && j->resp.len) {
        d->root = json_loadb(j->resp.data, j->resp.len, JSON_DECODE_ANY, NULL);
        learn_secrets(e, d->root);
    }
    /* Redact what the server sent back only after learning its secrets:
     * the body and every header value kept. */
    x->excerpt = engine_dup_redacted(e, j->resp.data, j->resp.len, ENGINE_EXCERPT_CAP);
    engine_redact_message(e, &x->obs, j->resp.data, j->resp.len);
    engine_redact_in_place(e, &x->obs.body_problem, &x->obs.oom);
    for (size_t h = 0; h < x->obs.nheaders; h++) {
        engine_redact_in_place(e, &x->obs.headers[h].name, &x->obs.oom);
        engine_redact_in_place(e, &x->obs.headers[h].value, &x->obs.oom);
    }
    if (x->headers) {
        free(x->headers);
        x->headers = engine_dup_redacted(e, j->hdrtext.data, j->hdrtext.len, HEADER_EXCERPT_CAP);
        x->obs.oom |= !x->headers;
    }
    if (x->obs.oom || j->oom_reading || (j->resp.len && !x->excerpt)) {
        x->transport_error = CURLE_OUT_OF_MEMORY;
        free(x->error_text);
        x->error_text = ac_strdup("out of memory while reading the answer");
        job_set_error(j, "%s: out of memory while reading the answer", x->label ? x->label : "?");
        if (d->js->phase <= PHASE_PROBE)
            j->failed = 1;
        return JUDGED;
    }
    return GO_ON;
}

/* Still "try again" after the retries: no verdict on the target. Then -v
 * shows the exchange. */
static enum verdict accept_throttle(struct done *d)
{
    struct job *j = d->j;
    struct exchange *x = d->x;

    if (d->throttled) {
        x->transport_error = CURLE_HTTP_RETURNED_ERROR;
        x->error_text = job_throttle_reason(j, d->js, &x->obs, d->tries);
        job_set_error(j, "%s: %s", x->label, x->error_text ? x->error_text : "rate limited");
        if (d->js->phase <= PHASE_PROBE)
            j->failed = 1;
    }
    if (j->e->cfg.verbose)
        job_verbose_print(j->run->sc->id, x);
    return d->throttled ? JUDGED : GO_ON;
}

/* The probe: judged later (check.h), it only captures what it created (so
 * teardown deletes it) and is sent again while it repeats. */
static enum verdict probe(struct done *d)
{
    struct job *j = d->j;
    const struct step *st = d->st;

    if (d->js->phase != PHASE_PROBE)
        return GO_ON;
    if (is_2xx((int)d->status)) {
        capture(j, st, d->root, st->repeat > 0);
        if (st->repeat && j->attempt < st->repeat && !engine_interrupts) {
            j->attempt++;
            return HELD;
        }
        if (st->repeat && j->attempt < st->repeat) {
            /* The repeats are the probe: a part of them proves nothing. */
            job_set_interrupted(j, "interrupted at %s: %d of %d repeats sent, not judged",
                                d->x->label, j->attempt, st->repeat);
            return JUDGED;
        }
        if (st->repeat_quota >= 0 &&
            strcmp(suite_quota_names[st->repeat_quota], "rate-per-second") == 0 &&
            d->t - j->repeat_t0 > 1000) {
            /* One request at a time, each slower than the quota's share of a
             * second: the rate was never reached. Accepting them all says
             * nothing about the limit; not the target's failure either. */
            job_set_error(j,
                          "%s: %d requests took %lld ms, so the rate-per-second quota of %d "
                          "was never exceeded: not judged (the target answers too slowly "
                          "for one client to reach its rate limit)",
                          d->x->label, j->attempt, d->t - j->repeat_t0, st->repeat - 1);
            return JUDGED;
        }
    }
    j->run->probe = (long)(j->run->nex - 1);
    return JUDGED;
}

/* A poll "until it is gone": only the status counts, whatever the body. */
static enum verdict poll_until_gone(struct done *d)
{
    struct job *j = d->j;
    const struct step *st = d->st;
    struct exchange *x = d->x;
    long status = d->status;
    int busy = is_2xx((int)status) || status >= 500 || status == 429;

    if (!st->retry || !st->retry->until_status)
        return GO_ON;
    if (status == st->retry->until_status ||
        (x->obs.has_code &&
         contract_code_status(contract_active(), x->obs.code) == st->retry->until_status))
        return JUDGED; /* gone, as the status or the error's own code says */
    /* Still there (2xx) or the target is busy (5xx, 429): ask again. Any
     * other answer says the question is wrong: no waiting will help. */
    if (busy && job_poll_again(j, st, d->t))
        return HELD;
    if (job_poll_interrupted(j, d->js, x))
        return JUDGED;
    if (busy)
        job_set_error(j, "%s: still answered %ld, not %d, after %d attempts in %.1f s", x->label,
                      status, st->retry->until_status, j->attempt,
                      (double)job_poll_waited_ms(j) / 1000.0);
    else
        job_set_error(j, "%s: answered %ld%s%.200s%s, expected %d (gone) or 2xx (not yet)",
                      x->label, status, x->obs.has_message ? " \"" : "",
                      x->obs.has_message && x->obs.message ? x->obs.message : "",
                      x->obs.has_message ? "\"" : "", st->retry->until_status);
    if (d->js->phase < PHASE_TEARDOWN)
        j->failed = 1;
    else
        job_note_not_cleaned(j, x->label, x->request_line,
                             "the deletion was not confirmed (it did not disappear)");
    return JUDGED;
}

/* A setup or teardown step's answer must have a status it accepts (2xx,
 * or one it lists). */
static enum verdict accept_status(struct done *d)
{
    struct job *j = d->j;
    const struct step *st = d->st;
    struct exchange *x = d->x;
    long status = d->status;
    struct ac_buf said = AC_BUF_INIT;

    if (status_accepted(st, (int)status))
        return GO_ON;
    /* What the target answered, not only its status: the code and message
     * say why (a quota, a state), or the first bytes of it. */
    if (x->obs.has_code && x->obs.has_message)
        ac_buf_addf(&said, "%ld/%lld \"%.200s\"", status, x->obs.code,
                    x->obs.message ? x->obs.message : "");
    else if (x->excerpt && x->excerpt[0])
        ac_buf_addf(&said, "%ld %.120s", status, x->excerpt);
    else
        ac_buf_addf(&said, "%ld with an empty body", status);
    for (size_t q = 0; q < said.len; q++)
        if ((unsigned char)said.data[q] < 0x20)
            said.data[q] = ' ';
    if (d->js->phase < PHASE_TEARDOWN) {
        const char *q = x->obs.has_code ? quota_of_code(j->e, x->obs.code) : NULL;
        job_set_error(j, "%s answered %s, expected %s%s%s%s%s%s", x->label,
                      said.data ? said.data : "", st->nstatuses ? "another status" : "2xx",
                      q ? ": the target's " : "", q ? q : "",
                      q ? " quota has no room: raise quotas." : "", q ? q : "",
                      q ? " in the profile, or see what the account holds with apiconform "
                          "doctor"
                        : "");
        j->failed = 1;
    } else {
        char why[300];
        job_set_error(j, "%s answered %s: something may be left behind", x->label,
                      said.data ? said.data : "");
        snprintf(why, sizeof why, "answered %.280s", said.data ? said.data : "");
        job_note_not_cleaned(j, x->label, x->request_line, why);
    }
    ac_buf_release(&said);
    return JUDGED;
}

/* The most pages a find reads of one list. */
#define FIND_MAX_PAGES 100

/* The offset the step's own query sends (its offset parameter expanded, a
 * number), or 0 when it sends none. */
static long own_offset(struct job *j, const struct step *st, const char *param)
{
    struct ac_buf t = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    long off = 0;
    size_t i;

    for (i = 0; i < st->nquery; i++) {
        char *end;
        if (strcmp(st->query[i].name, param) != 0)
            continue;
        if (suite_expand(st->query[i].value, j->vars, &t, &err) == 0 && t.data) {
            off = strtol(t.data, &end, 10);
            if (*end || off < 0)
                off = 0;
        }
        break;
    }
    ac_buf_release(&t);
    return off;
}

/* A find that found nothing in a full page of a collection the contract
 * pages (lists.collections: paged, a page size): 1 when the next page is
 * to be read (j->find_offset set to it). A page is full when its list has
 * page_size elements, or when the count the contract points to
 * (lists.total_pointer, "/total") says more are left. */
static int find_next_page(struct done *d)
{
    struct job *j = d->j;
    const struct contract *k = contract_or_builtin(contract_active());
    const struct contract_collection *c = contract_collection(k, d->st->path);
    json_t *list, *total;
    long offset;
    size_t n;

    if (!c || !c->paged || c->page_size <= 0 || !k->offset_param)
        return 0;
    list = suite_json_pointer(d->root, d->st->find_in);
    total = k->total_pointer ? suite_json_pointer(d->root, k->total_pointer) : NULL;
    n = json_array_size(list);
    offset =
        (j->find_pages ? j->find_offset : own_offset(j, d->st, k->offset_param)) + c->page_size;
    if (n == 0 ||
        ((long)n < c->page_size && !(json_is_integer(total) && json_integer_value(total) > offset)))
        return 0;
    j->find_offset = offset;
    j->find_pages++;
    return 1;
}

/* "find": captures and polls look at the element found. Not found in a
 * full page of a paged collection, the next page is read (the same step,
 * sent again with the offset advanced), up to FIND_MAX_PAGES. */
static enum verdict find(struct done *d)
{
    int bad;
    json_t *scope = find_scope(d->j, d->st, d->root, &bad);

    if (bad) {
        job_set_error(d->j, "%s: %s is not a list in the answer", d->x->label, d->st->find_in);
        if (d->js->phase < PHASE_TEARDOWN)
            d->j->failed = 1;
        return JUDGED;
    }
    if (d->st->find_in && !scope && find_next_page(d)) {
        if (d->j->find_pages < FIND_MAX_PAGES)
            return HELD;
        job_set_error(d->j,
                      "%s: %s was not read to its end: no element matched in %d pages, and "
                      "the last was full",
                      d->x->label, d->st->find_in, FIND_MAX_PAGES);
        if (d->js->phase < PHASE_TEARDOWN)
            d->j->failed = 1;
        return JUDGED;
    }
    if (d->st->find_in) {
        json_incref(scope);
        json_decref(d->root);
        d->root = scope;
    }
    return GO_ON;
}

/* The captures of a setup step (a poll's once what it waits for is found). */
static enum verdict capture_values(struct done *d)
{
    const struct step *st = d->st;

    if (d->js->phase < PHASE_TEARDOWN && !(st->retry && !d->root && st->find_in) &&
        capture(d->j, st, d->root, 0) < 0) {
        d->j->failed = 1;
        return JUDGED;
    }
    return GO_ON;
}

/* A poll until a value: asked again until the pointer has it. */
static enum verdict poll_until_value(struct done *d)
{
    struct job *j = d->j;
    const struct step *st = d->st;
    json_t *val;
    char *want;

    if (!st->retry)
        return GO_ON;
    val = d->root ? suite_json_pointer(d->root, st->retry->pointer) : NULL;
    if (val && json_equal(val, st->retry->equals))
        return GO_ON;
    j->find_pages = 0; /* the next attempt reads a paged list from its start */
    if (job_poll_again(j, st, d->t))
        return HELD;
    if (job_poll_interrupted(j, d->js, d->x))
        return JUDGED;
    want = json_dumps(st->retry->equals, JSON_ENCODE_ANY);
    job_set_error(j, "%s: %s did not become %s after %d attempts in %.1f s", d->x->label,
                  st->retry->pointer, want ? want : "?", j->attempt,
                  (double)job_poll_waited_ms(j) / 1000.0);
    free(want);
    if (d->js->phase < PHASE_TEARDOWN)
        j->failed = 1;
    return JUDGED;
}

/* The order of the steps, written once. */
static enum verdict (*const done_steps[])(struct done *) = {
    retry_transport,  /* no answer, but it may be sent again */
    retry_throttled,  /* 429/503 "try again": wait, send again */
    record,           /* the exchange into the run, redacted */
    accept_transport, /* no answer: why, what may be left behind */
    read_answer,      /* observed, secrets learned, redacted */
    accept_throttle,  /* still "try again" after the retries */
    probe,            /* the probe: captures, repeats */
    poll_until_gone,  /* a poll until a status */
    accept_status,    /* the status a setup or teardown step accepts */
    find,             /* "find": the element to look at */
    capture_values,   /* the captures */
    poll_until_value, /* a poll until a value */
};

/* The step is done with: the next element of its for_each list (the loop
 * ends in job_proceed), or the next step. */
static void advance(struct job *j, const struct step *st)
{
    j->attempt = 1;
    j->find_pages = 0;
    if (st->for_each && j->each_list)
        j->each++;
    else
        j->pc++;
}

void job_complete(struct job *j, CURLcode rc)
{
    struct done d;
    enum verdict v = GO_ON;
    size_t i;

    memset(&d, 0, sizeof d);
    d.t = engine_now_ms();
    d.j = j;
    d.js = &j->steps[j->pc];
    d.st = d.js->st;
    curl_multi_remove_handle(j->e->multi, j->h);
    j->busy = 0;
    d.rc = rc == CURLE_ABORTED_BY_CALLBACK && j->stall_answered ? CURLE_OK : rc;
    for (i = 0; v == GO_ON && i < sizeof done_steps / sizeof *done_steps; i++)
        v = done_steps[i](&d);
    json_decref(d.root);
    if (v != HELD)
        advance(j, d.st);
}
