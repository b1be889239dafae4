/* runners/engine.c -- see engine.h. */
#include "engine.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine_int.h"

volatile sig_atomic_t engine_interrupts;

void engine_interrupt(void)
{
    if (engine_interrupts < 2)
        engine_interrupts++;
}

int engine_interrupted(void)
{
    return engine_interrupts > 0;
}

long long engine_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void exchange_release(struct exchange *x)
{
    free(x->label);
    free(x->request_line);
    free(x->request_body);
    free(x->curl);
    free(x->error_text);
    free(x->headers);
    free(x->excerpt);
    free(x->cut);
    observed_release(&x->obs);
    memset(x, 0, sizeof *x);
}

void scenario_run_release(struct scenario_run *r)
{
    size_t i;

    for (i = 0; i < r->nex; i++)
        exchange_release(&r->ex[i]);
    free(r->ex);
    free(r->skip_reason);
    free(r->error);
    free(r->not_cleaned);
    free(r->script);
    r->ex = NULL;
    r->nex = 0;
    r->skip_reason = r->error = r->not_cleaned = r->script = NULL;
    r->interrupted = 0;
}

/* Masks first, then cuts: a secret across the cut leaves nothing. at_least:
 * s is itself the start of something longer (a body cut by the cap), so the
 * marker cannot say how much more there was. NULL on no memory. */
static char *engine_dup_redacted_cut(const struct engine *e, const char *s, size_t n, size_t cap,
                              int at_least)
{
    struct ac_buf b = AC_BUF_INIT;
    int cut;

    if (!s)
        return NULL;
    cut = redact_append_cut(e->red, s, n, cap, &b);
    if (cut < 0 ||
        (cut && ac_buf_addf(&b, "...[%s%zu more bytes]", at_least ? "at least " : "", n - cap) <
                    0) ||
        (!cut && at_least && ac_buf_adds(&b, "...[more bytes]") < 0)) {
        ac_buf_release(&b);
        return NULL;
    }
    return ac_buf_take(&b);
}

static char *engine_dup_redacted(const struct engine *e, const char *s, size_t n, size_t cap)
{
    return engine_dup_redacted_cut(e, s, n, cap, 0);
}

/* Header values that are credentials by their name (see
 * redact_header_is_sensitive) lose their value, keeping the scheme
 * ("Authorization: Token ***"), whatever the value is. The checks read
 * the answer's headers from the result: when memory runs out it is
 * emptied (nothing unmasked survives) and -1 returned. */
static int mask_headers_by_name(struct ac_buf *h)
{
    struct ac_buf out = AC_BUF_INIT;
    size_t at = 0;
    int bad = 0;

    while (at < h->len) {
        const char *line = h->data + at, *nl = memchr(line, '\n', h->len - at);
        size_t len = nl ? (size_t)(nl - line) + 1 : h->len - at;
        const char *colon = memchr(line, ':', len);
        if (colon && redact_header_is_sensitive(line, (size_t)(colon - line))) {
            const char *v = colon + 1, *end = line + len, *w;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            for (w = v; w < end && ((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z')); w++)
                ;
            if (w == v || w >= end || *w != ' ')
                w = v; /* no scheme word before a space: mask it all */
            bad |= ac_buf_add(&out, line, (size_t)(w - line)) < 0;
            bad |= ac_buf_adds(&out, w > v ? " ***" : "***") < 0;
            while (end > w && (end[-1] == '\r' || end[-1] == '\n'))
                end--;
            bad |= ac_buf_add(&out, end, (size_t)(line + len - end)) < 0;
        } else {
            bad |= ac_buf_add(&out, line, len) < 0;
        }
        at += len;
    }
    if (bad) {
        ac_buf_release(&out);
        ac_buf_reset(h);
        return -1;
    }
    if (out.data && out.len) {
        ac_buf_release(h);
        *h = out;
    } else {
        ac_buf_release(&out);
    }
    return 0;
}

/* Replaces *s, a header value or body fact the server chose, by its
 * redacted copy; sets *oom when memory ran out. */
static void redact_in_place(const struct engine *e, char **s, int *oom)
{
    char *m = *s;

    *s = redact_dup(e->red, m);
    *oom |= m && !*s;
    free(m);
}

/* check_observe cuts a long message (at 4 KiB); the part kept is masked as
 * a cut of the whole message, so that a secret across the cut leaves none
 * of its bytes. */
static void redact_message(const struct engine *e, struct observed *o, const char *body, size_t len)
{
    size_t kept = o->message ? strlen(o->message) : 0;
    json_t *root = NULL, *m;
    struct ac_buf b = AC_BUF_INIT;

    if (o->message && o->message_len > kept) {
        root = json_loadb(body, len, JSON_DECODE_ANY, NULL);
        m = contract_error_message(contract_active(), root);
        if (json_is_string(m) &&
            redact_append_cut(e->red, json_string_value(m), json_string_length(m), kept, &b) >= 0 &&
            ac_buf_grow(&b, 0) == 0) {
            free(o->message);
            o->message = ac_buf_take(&b);
            json_decref(root);
            return;
        }
        ac_buf_release(&b);
        json_decref(root);
    }
    redact_in_place(e, &o->message, &o->oom);
}

struct engine *engine_new(const struct engine_config *cfg, struct redactor *red,
                          struct ac_error *err)
{
    struct engine *e = calloc(1, sizeof *e);
    size_t n;

    if (!e)
        goto nomem;
    e->cfg = *cfg;
    e->red = red;
    e->base_url = ac_strdup(cfg->base_url);
    if (!e->base_url)
        goto nomem;
    n = strlen(e->base_url);
    while (n > 0 && e->base_url[n - 1] == '/')
        e->base_url[--n] = '\0';
    e->cfg.base_url = e->base_url;
    if (e->cfg.jobs < 1)
        e->cfg.jobs = 1;
    if (!e->cfg.body_cap)
        e->cfg.body_cap = ENGINE_DEFAULT_BODY_CAP;
    if (!e->cfg.header_cap)
        e->cfg.header_cap = ENGINE_DEFAULT_HEADER_CAP;
    if (e->cfg.interrupt_budget_ms <= 0)
        e->cfg.interrupt_budget_ms = ENGINE_INTERRUPT_BUDGET_MS;
    e->multi = curl_multi_init();
    if (!e->multi)
        goto nomem;
    /* Enough idle connections for every job, so keep-alive always works. */
    curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS, (long)e->cfg.jobs + 4);
    curl_multi_setopt(e->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)e->cfg.jobs);
    e->t0 = engine_now_ms();
    capacity_init(&e->cap, cfg->quotas);
    return e;
nomem:
    ac_error_nomem(err, NULL);
    engine_free(e);
    return NULL;
}

unsigned long engine_requests(const struct engine *e)
{
    return e ? e->requests : 0;
}

const char *engine_kept(const struct engine *e)
{
    return e && e->kept.data ? e->kept.data : "";
}

void engine_free(struct engine *e)
{
    size_t i;

    if (!e)
        return;
    if (e->multi)
        curl_multi_cleanup(e->multi);
    for (i = 0; i < e->ntokens; i++) {
        free(e->tokens[i].name);
        free(e->tokens[i].token);
    }
    free(e->tokens);
    free(e->app_key);
    free(e->app_secret);
    free(e->base_url);
    for (i = 0; i < e->nshared; i++)
        json_decref(e->shared[i].vars);
    free(e->shared);
    ac_buf_release(&e->kept);
    free(e);
}

/* ---- jobs -------------------------------------------------------------- */

static int add_steps(struct job *j, const struct step *v, size_t n, enum exchange_phase ph,
                     const char *owner)
{
    struct job_step *ns = realloc(j->steps, (j->nsteps + n + 1) * sizeof *ns);
    size_t i;

    if (!ns)
        return -1;
    j->steps = ns;
    for (i = 0; i < n; i++) {
        ns[j->nsteps].st = &v[i];
        ns[j->nsteps].phase = ph;
        ns[j->nsteps].number = (int)i + 1;
        ns[j->nsteps].owner = owner;
        j->nsteps++;
    }
    return 0;
}

/* The fixture the configuration serves under name (not set up, not torn
 * down), or NULL. */
static const struct profile_fixture *given_fixture(const struct engine *e, const char *name)
{
    size_t i;

    for (i = 0; i < e->cfg.ngiven; i++)
        if (strcmp(e->cfg.given[i].name, name) == 0)
            return &e->cfg.given[i];
    return NULL;
}

/* The run-wide state of fixture f when it is run-scoped, else NULL; made
 * on first use (NULL also when memory runs out: it is then set up per
 * scenario, which is slower but not wrong). */
static struct shared_fixture *shared_of(struct engine *e, const struct fixture *f)
{
    struct shared_fixture *ns;
    size_t i;

    if (!f->run_scope)
        return NULL;
    for (i = 0; i < e->nshared; i++)
        if (e->shared[i].f == f)
            return &e->shared[i];
    ns = realloc(e->shared, (e->nshared + 1) * sizeof *ns);
    if (!ns)
        return NULL;
    e->shared = ns;
    memset(&ns[e->nshared], 0, sizeof *ns);
    ns[e->nshared].f = f;
    return &ns[e->nshared++];
}

/* Flattens fixtures, setup, probe and teardowns into one program. A
 * fixture served by an existing resource contributes its variables
 * instead of its steps. */
int job_plan(struct job *j, const struct suite *s)
{
    const struct scenario *sc = j->run->sc;
    size_t i, k;

    for (i = 0; i < sc->nfixtures; i++) {
        const struct fixture *f = suite_fixture(s, sc->fixtures[i]);
        const struct profile_fixture *g = f ? given_fixture(j->e, f->name) : NULL;
        struct shared_fixture *sh = f && !g ? shared_of(j->e, f) : NULL;
        if (sh && sh->state == SHARED_DONE) {
            /* Set up earlier in the run: its variables, not its steps. */
            const char *name;
            json_t *val;
            json_object_foreach(sh->vars, name, val)
            {
                if (vars_set(j->vars, name, val) < 0)
                    return -1;
            }
            continue;
        }
        if (sh) {
            struct owned_fixture *no = realloc(j->own, (j->nown + 1) * sizeof *no);
            if (!no || add_steps(j, f->setup, f->nsetup, PHASE_FIXTURE_SETUP, f->name) < 0) {
                if (no)
                    j->own = no;
                return -1;
            }
            j->own = no;
            j->own[j->nown].sh = (size_t)(sh - j->e->shared);
            j->own[j->nown].end = j->nsteps;
            j->own[j->nown].published = 0;
            j->nown++;
            sh->state = SHARED_RUNNING;
            continue;
        }
        for (k = 0; g && k < g->nvars; k++) {
            const char *eq = strchr(g->vars[k], '=');
            char *name = eq ? strndup(g->vars[k], (size_t)(eq - g->vars[k])) : NULL;
            int rc = name ? vars_set_str(j->vars, name, eq + 1) : -1;
            free(name);
            if (rc < 0)
                return -1;
        }
        if (f && !g && add_steps(j, f->setup, f->nsetup, PHASE_FIXTURE_SETUP, f->name) < 0)
            return -1;
    }
    if (add_steps(j, sc->setup, sc->nsetup, PHASE_SETUP, NULL) < 0 ||
        add_steps(j, &sc->request, 1, PHASE_PROBE, NULL) < 0)
        return -1;
    j->teardown_at = j->nsteps;
    if (add_steps(j, sc->teardown, sc->nteardown, PHASE_TEARDOWN, NULL) < 0)
        return -1;
    for (i = sc->nfixtures; i-- > 0;) {
        const struct fixture *f = suite_fixture(s, sc->fixtures[i]);
        if (f && !given_fixture(j->e, f->name) &&
            add_steps(j, f->teardown, f->nteardown, PHASE_FIXTURE_TEARDOWN, f->name) < 0)
            return -1;
    }
    return 0;
}

/* What a scenario holds while it lives: its own holds and those of the
 * fixtures it sets up itself (not those served by the profile or already
 * set up for the run). *blocked: a run-scoped fixture it needs is being
 * set up by another scenario right now: wait for it. */
void job_need(struct engine *e, const struct suite *s, const struct scenario *sc,
                     int *need, int *keep, int *blocked)
{
    size_t i, k;

    memset(need, 0, SUITE_NQUOTAS * sizeof *need);
    memset(keep, 0, SUITE_NQUOTAS * sizeof *keep);
    *blocked = 0;
    for (i = 0; i < sc->nfixtures; i++) {
        const struct fixture *f = suite_fixture(s, sc->fixtures[i]);
        struct shared_fixture *sh;
        if (!f || given_fixture(e, f->name))
            continue;
        sh = shared_of(e, f);
        if (sh && sh->state == SHARED_DONE)
            continue;
        if (sh && sh->state == SHARED_RUNNING)
            *blocked = 1;
        for (k = 0; k < f->nholds; k++) {
            need[f->holds[k].quota] += f->holds[k].n;
            if (f->persistent)
                keep[f->holds[k].quota] += f->holds[k].n;
        }
    }
    for (k = 0; k < sc->nholds; k++)
        need[sc->holds[k].quota] += sc->holds[k].n;
}

/* Records the outcome of the run-scoped fixtures the job has set up once
 * it is past their setup: their variables for every later scenario, or,
 * when the setup failed, nothing (the next scenario that needs one tries
 * again). at_end: the job is over. */
void job_publish_owned(struct job *j, int at_end)
{
    size_t i, k;

    for (i = 0; i < j->nown; i++) {
        struct owned_fixture *o = &j->own[i];
        struct shared_fixture *sh = &j->e->shared[o->sh];
        const struct fixture *f = sh->f;
        if (o->published || (!at_end && j->pc < o->end))
            continue;
        o->published = 1;
        sh->state = SHARED_NONE;
        if (j->failed) {
            /* It failed in that setup (past it, nothing else can): what it
             * would have kept is given back with the rest of the lease. */
            for (k = 0; f->persistent && k < f->nholds; k++)
                j->keep[f->holds[k].quota] -= f->holds[k].n;
            continue;
        }
        json_decref(sh->vars);
        sh->vars = json_object();
        for (k = 0; sh->vars && k < f->nprovides; k++) {
            json_t *v = vars_get(j->vars, f->provides[k]);
            if (!v || json_object_set(sh->vars, f->provides[k], v) < 0)
                break;
        }
        if (!sh->vars || k < f->nprovides)
            continue;
        sh->state = SHARED_DONE;
        if (f->persistent) {
            /* Said in the report: left on the account on purpose. */
            char *text = json_dumps(sh->vars, JSON_COMPACT | JSON_SORT_KEYS);
            char *red = text ? engine_dup_redacted(j->e, text, strlen(text), 1024) : NULL;
            ac_buf_addf(&j->e->kept, "%s %s\n", f->name, red ? red : "");
            free(red);
            free(text);
        }
    }
}

static void job_set_error(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void job_set_error(struct job *j, const char *fmt, ...)
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
static void note_not_cleaned(struct job *j, const char *what, const char *request,
                             const char *why)
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

/* Milliseconds left of the interrupt budget (<= 0: spent). */
long long engine_budget_left(const struct engine *e)
{
    return e->deadline ? e->deadline - engine_now_ms() : e->cfg.interrupt_budget_ms;
}

/* "setup 1 (create load balancer cf-lb-r3f9a1c-17)": the label's variables
 * expanded with v when they are set (v may be NULL: the label as written). */
static char *step_label(const struct job_step *js, int attempt, int repeat, const struct vars *v)
{
    struct ac_buf b = AC_BUF_INIT;

    if (js->phase == PHASE_PROBE)
        ac_buf_adds(&b, "probe");
    else if (js->owner)
        ac_buf_addf(&b, "%s %s %d", js->owner, js->phase == PHASE_FIXTURE_SETUP ? "setup" : "teardown",
                    js->number);
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
    if (request_build(e, st, j->vars, &b, &err) < 0) {
        /* Its variables are set (above): a teardown step that cannot be
         * built leaves something behind, which the scenario must say. */
        job_set_error(j, "%s: %s", engine_phase_name(js->phase), err.text);
        j->failed = 1;
        request_release(&b);
        return 1;
    }
    if (engine_interrupts && js->phase >= PHASE_TEARDOWN && (engine_interrupts >= 2 || engine_budget_left(e) <= 0)) {
        /* Too late to send: say what stays behind. */
        char *label = step_label(js, j->attempt, st->repeat, j->vars);
        struct ac_buf rl = AC_BUF_INIT;
        const char *why = engine_interrupts >= 2 ? "not sent: a second signal cut the run short"
                                          : "not sent: the interrupt budget ran out";
        ac_buf_addf(&rl, "%s %s", b.method, b.url);
        note_not_cleaned(j, label, rl.data, why);
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
    if (!j->curl_cmd || !j->url || !j->method || !j->h || transfer_prepare(j, st, &b, b.auth_header_given ? NULL : session_step_token(e, st)) < 0) {
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

static int idempotent(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "PUT") == 0 ||
           strcmp(m, "DELETE") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Transport failures before any response may be retried; a response that
 * arrived is never sent again. */
static int retryable(CURLcode rc, const char *method, size_t got)
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

/* Registers the string values of credential-like members of a JSON body
 * (a token endpoint's answer, say) so they never reach a report. */
static void learn_secrets(struct engine *e, json_t *root)
{
    const char *k;
    json_t *val;

    if (!json_is_object(root))
        return;
    json_object_foreach(root, k, val)
    {
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
static void verbose_print(const char *id, const struct exchange *x)
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
        if ((ce ? ce->status : catalog_code_status(want)) == status)
            return 0;
    } else if (js->st->nstatuses && status_accepted(js->st, (int)status)) {
        return 0;
    }
    check_observe((int)status, NULL, 0, j->resp.data, j->resp.len, &o);
    if (o.has_code && o.code >= 0 && o.code <= CATALOG_CODE_MAX) {
        ce = cat ? catalog_find(cat, (long)o.code) : NULL;
        judged = cat ? ce && ce->status == status : catalog_code_status(o.code) == status;
    }
    observed_release(&o);
    return !judged;
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
static char *throttle_reason(const struct job *j, const struct job_step *js,
                             const struct observed *o, int retries)
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
static void throttle_retry(struct job *j, long status, int retry, long long t)
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

/* The probe's body went over the cap: what was read may still show a
 * "message" that cannot be the catalog's (verify.c judges that). */
static void note_cut_message(struct job *j, struct exchange *x, long status)
{
    struct engine_cut_message *m = calloc(1, sizeof *m);
    char *safe;

    if (!m)
        return; /* the error stands: nothing judged */
    engine_cut_message_scan(j->resp.data, j->resp.len, m);
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

/* Records the finished transfer and decides what the job does next. */
/* A poll whose condition does not hold yet: schedules the next attempt
 * and returns 1, or 0 when the attempts are used up or an interrupt came.
 * Backs off from 5 ms up to the interval: a fast target is not kept
 * waiting, a slow one is not hammered. */
static int poll_again(struct job *j, const struct step *st, long long t)
{
    long long wait = 5LL << (j->attempt < 12 ? j->attempt - 1 : 11);

    if (j->attempt >= st->retry->attempts || engine_interrupts)
        return 0;
    j->attempt++;
    j->wake_at = t + (wait < st->retry->interval_ms ? wait : st->retry->interval_ms);
    return 1;
}

/* A poll an interrupt cut short: not the target's fault, it was not given
 * its attempts. 1 when that is so (the job's state is set), else 0. */
static int poll_interrupted(struct job *j, const struct job_step *js, const struct exchange *x)
{
    const struct step *st = js->st;

    if (!engine_interrupts || j->attempt >= st->retry->attempts)
        return 0;
    job_set_interrupted(j, "interrupted at %s after %d of %d attempts%s", x->label, j->attempt,
                    st->retry->attempts,
                    js->phase < PHASE_TEARDOWN ? ": the probe was not sent" : "");
    if (js->phase < PHASE_TEARDOWN)
        j->failed = 1;
    else
        note_not_cleaned(j, x->label, x->request_line,
                         "interrupted before the deletion was confirmed");
    return 1;
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

void job_complete(struct job *j, CURLcode rc)
{
    struct engine *e = j->e;
    struct job_step *js = &j->steps[j->pc];
    const struct step *st = js->st;
    struct exchange *x;
    long status = 0;
    json_t *root = NULL;
    int advance = 1, tries, throttled = 0;
    long long t = engine_now_ms();

    curl_multi_remove_handle(e->multi, j->h);
    j->busy = 0;
    if (rc == CURLE_ABORTED_BY_CALLBACK && j->stall_answered)
        rc = CURLE_OK;
    if (rc != CURLE_OK && retryable(rc, j->method, j->resp.len) && j->tries < e->cfg.retries &&
        !engine_interrupts) {
        j->tries++;
        j->wake_at = t + (100LL << j->tries);
        return;
    }
    tries = j->tries;
    j->tries = 0;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &status);
        if (try_again(j, js, status)) {
            /* The wait is not part of any request's timeout: the retry is a
             * new transfer, timed from when it is sent. */
            if (tries < e->cfg.retries && !engine_interrupts) {
                throttle_retry(j, status, tries + 1, t);
                return;
            }
            throttled = 1;
        }
    }
    /* A poll that is repeated keeps only its latest exchange. */
    if (st->retry && j->attempt > 1 && j->run->nex > 0) {
        exchange_release(&j->run->ex[j->run->nex - 1]);
        j->run->nex--;
    }
    x = new_exchange(j);
    if (!x) {
        job_set_error(j, "out of memory");
        j->failed = 1;
        j->pc++;
        return;
    }
    x->phase = js->phase;
    x->label = step_label(js, j->attempt, st->repeat, j->vars);
    {
        struct ac_buf rl = AC_BUF_INIT;
        ac_buf_addf(&rl, "%s %s", j->method, j->url);
        x->request_line = engine_dup_redacted(e, rl.data, rl.len, 4096);
        ac_buf_release(&rl);
    }
    if (j->req_len)
        x->request_body = engine_dup_redacted(e, j->req_body, j->req_len, REQUEST_EXCERPT_CAP);
    if (js->phase == PHASE_PROBE)
        x->curl = engine_dup_redacted(e, j->curl_cmd, strlen(j->curl_cmd), 65536);
    x->ms = t - j->t_sent;
    x->body_len = j->resp.len;
    if (j->hdrtext.len) {
        if (mask_headers_by_name(&j->hdrtext) < 0)
            j->oom_reading = 1;
        x->headers = engine_dup_redacted(e, j->hdrtext.data, j->hdrtext.len, HEADER_EXCERPT_CAP);
    }
    curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status == 0) {
        x->transport_error = rc != CURLE_OK ? (int)rc : (int)CURLE_GOT_NOTHING;
        x->error_text = transfer_reason(j, rc != CURLE_OK ? rc : CURLE_GOT_NOTHING);
        if (x->error_text && strncmp(x->error_text, "interrupted: ", 13) == 0) {
            job_set_interrupted(j, "interrupted at %s: %s", x->label, x->error_text + 13);
            if (js->phase < PHASE_TEARDOWN && job_may_create(j->method))
                note_not_cleaned(j, x->label, x->request_line,
                                 "cut short before its answer: it may have created something "
                                 "that teardown does not know of");
        } else {
            job_set_error(j, "%s: %s", x->label, x->error_text);
        }
        if (js->phase >= PHASE_TEARDOWN)
            note_not_cleaned(j, x->label, x->request_line, x->error_text ? x->error_text : "?");
        if (j->resp.len)
            x->excerpt =
                engine_dup_redacted_cut(e, j->resp.data, j->resp.len, ENGINE_EXCERPT_CAP, j->over_cap);
        if (j->over_cap && js->phase == PHASE_PROBE)
            note_cut_message(j, x, status);
        if (js->phase <= PHASE_PROBE)
            j->failed = 1;
        if (e->cfg.verbose)
            verbose_print(j->run->sc->id, x);
        goto next;
    }
    check_observe_block((int)status, j->hdrtext.data, j->hdrtext.len, j->resp.data, j->resp.len,
                        &x->obs);
    if (is_2xx((int)status) && j->resp.len) {
        root = json_loadb(j->resp.data, j->resp.len, JSON_DECODE_ANY, NULL);
        learn_secrets(e, root);
    }
    /* Redact what the server sent back only after learning its secrets:
     * the body and every header value kept. */
    x->excerpt = engine_dup_redacted(e, j->resp.data, j->resp.len, ENGINE_EXCERPT_CAP);
    redact_message(e, &x->obs, j->resp.data, j->resp.len);
    redact_in_place(e, &x->obs.body_problem, &x->obs.oom);
    for (size_t h = 0; h < x->obs.nheaders; h++) {
        redact_in_place(e, &x->obs.headers[h].name, &x->obs.oom);
        redact_in_place(e, &x->obs.headers[h].value, &x->obs.oom);
    }
    if (x->headers) {
        free(x->headers);
        x->headers = engine_dup_redacted(e, j->hdrtext.data, j->hdrtext.len, HEADER_EXCERPT_CAP);
        x->obs.oom |= !x->headers;
    }
    if (x->obs.oom || j->oom_reading || (j->resp.len && !x->excerpt)) {
        /* Memory ran out while reading the answer: nothing about the
         * target can be concluded from it. */
        x->transport_error = CURLE_OUT_OF_MEMORY;
        free(x->error_text);
        x->error_text = ac_strdup("out of memory while reading the answer");
        job_set_error(j, "%s: out of memory while reading the answer", x->label ? x->label : "?");
        if (js->phase <= PHASE_PROBE)
            j->failed = 1;
        goto next;
    }
    if (throttled) {
        /* Still "try again" after the retries: no verdict on the target. */
        x->transport_error = CURLE_HTTP_RETURNED_ERROR;
        x->error_text = throttle_reason(j, js, &x->obs, tries);
        job_set_error(j, "%s: %s", x->label, x->error_text ? x->error_text : "rate limited");
        if (js->phase <= PHASE_PROBE)
            j->failed = 1;
        if (e->cfg.verbose)
            verbose_print(j->run->sc->id, x);
        goto next;
    }
    if (e->cfg.verbose)
        verbose_print(j->run->sc->id, x);
    if (js->phase == PHASE_PROBE) {
        if (is_2xx((int)status)) {
            /* The probe created something: capture it so teardown deletes it. */
            capture(j, st, root, st->repeat > 0);
            if (st->repeat && j->attempt < st->repeat && !engine_interrupts) {
                j->attempt++;
                advance = 0;
                goto next;
            }
            if (st->repeat && j->attempt < st->repeat) {
                /* The repeats are the probe: a part of them proves nothing. */
                job_set_interrupted(j, "interrupted at %s: %d of %d repeats sent, not judged",
                                x->label, j->attempt, st->repeat);
                goto next;
            }
            if (st->repeat_quota >= 0 &&
                strcmp(suite_quota_names[st->repeat_quota], "rate-per-second") == 0 &&
                t - j->repeat_t0 > 1000) {
                /* One request at a time, each slower than the quota's share of a
                 * second: the rate was never reached. Accepting them all says
                 * nothing about the limit; not the target's failure either. */
                job_set_error(j,
                          "%s: %d requests took %lld ms, so the rate-per-second quota of %d "
                          "was never exceeded: not judged (the target answers too slowly "
                          "for one client to reach its rate limit)",
                          x->label, j->attempt, t - j->repeat_t0, st->repeat - 1);
                goto next;
            }
        }
        j->run->probe = (long)(j->run->nex - 1);
        goto next;
    }
    if (st->retry && st->retry->until_status) {
        /* "Until it is gone": only the status counts, whatever the body. */
        if (status == st->retry->until_status ||
            (x->obs.has_code && catalog_code_status(x->obs.code) == st->retry->until_status))
            goto next; /* gone, as the status or the error's own code says */
        /* Still there (2xx) or the target is busy (5xx, 429): ask again. Any
         * other answer says the question is wrong: no waiting will help. */
        if ((is_2xx((int)status) || status >= 500 || status == 429) && poll_again(j, st, t)) {
            advance = 0;
            goto next;
        }
        if (poll_interrupted(j, js, x))
            goto next;
        if (is_2xx((int)status) || status >= 500 || status == 429)
            job_set_error(j, "%s: still answered %ld, not %d, after %d attempts", x->label, status,
                      st->retry->until_status, st->retry->attempts);
        else
            job_set_error(j, "%s: answered %ld%s%.200s%s, expected %d (gone) or 2xx (not yet)",
                      x->label, status, x->obs.has_message ? " \"" : "",
                      x->obs.has_message && x->obs.message ? x->obs.message : "",
                      x->obs.has_message ? "\"" : "", st->retry->until_status);
        if (js->phase < PHASE_TEARDOWN)
            j->failed = 1;
        else
            note_not_cleaned(j, x->label, x->request_line,
                             "the deletion was not confirmed (it did not disappear)");
        goto next;
    }
    if (!status_accepted(st, (int)status)) {
        /* What the target answered, not only its status: the code and
         * message say why (a quota, a state), or the first bytes of it. */
        struct ac_buf said = AC_BUF_INIT;
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
        if (js->phase < PHASE_TEARDOWN) {
            const char *q = x->obs.has_code ? quota_of_code(j->e, x->obs.code) : NULL;
            job_set_error(j, "%s answered %s, expected %s%s%s%s%s%s", x->label,
                      said.data ? said.data : "", st->nstatuses ? "another status" : "2xx",
                      q ? ": the target's " : "", q ? q : "",
                      q ? " quota has no room: raise quotas." : "", q ? q : "",
                      q ? " in the profile, or see what the account holds with apiconform "
                          "doctor"
                        : "");
            j->failed = 1;
            ac_buf_release(&said);
        } else {
            char why[300];
            job_set_error(j, "%s answered %s: something may be left behind", x->label,
                      said.data ? said.data : "");
            snprintf(why, sizeof why, "answered %.280s", said.data ? said.data : "");
            ac_buf_release(&said);
            note_not_cleaned(j, x->label, x->request_line, why);
        }
        goto next;
    }
    {
        int bad;
        json_t *scope = find_scope(j, st, root, &bad);
        if (bad) {
            job_set_error(j, "%s: %s is not a list in the answer", x->label, st->find_in);
            if (js->phase < PHASE_TEARDOWN)
                j->failed = 1;
            goto next;
        }
        if (st->find_in) {
            /* Captures and polls look at the element found. */
            json_incref(scope);
            json_decref(root);
            root = scope;
        }
    }
    if (js->phase < PHASE_TEARDOWN && !(st->retry && !root && st->find_in) &&
        capture(j, st, root, 0) < 0) {
        j->failed = 1;
        goto next;
    }
    if (st->retry) {
        json_t *val = root ? suite_json_pointer(root, st->retry->pointer) : NULL;
        if (!val || !json_equal(val, st->retry->equals)) {
            if (poll_again(j, st, t)) {
                advance = 0;
                goto next;
            }
            if (poll_interrupted(j, js, x))
                goto next;
            {
                char *want = json_dumps(st->retry->equals, JSON_ENCODE_ANY);
                job_set_error(j, "%s: %s did not become %s after %d attempts", x->label,
                          st->retry->pointer, want ? want : "?", st->retry->attempts);
                free(want);
            }
            if (js->phase < PHASE_TEARDOWN)
                j->failed = 1;
        }
    }
next:
    json_decref(root);
    if (!advance)
        return;
    j->attempt = 1;
    if (st->for_each && j->each_list) {
        j->each++; /* the next element, same step (step_job ends the loop) */
        return;
    }
    j->pc++;
}

/* Moves a job forward until it has a request in flight, waits, or ends.
 * Returns 1 when the job is finished. */
int job_proceed(struct job *j)
{
    struct engine *e = j->e;
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
            if (engine_interrupts && !j->failed && j->run->probe < 0) {
                const struct job_step *cur = &j->steps[j->pc];
                char *label = step_label(cur, j->attempt, cur->st->repeat, j->vars);
                if (cur->st->retry && j->attempt > 1)
                    job_set_interrupted(j, "interrupted at %s after %d of %d attempts: the probe "
                                       "was not sent",
                                    label, j->attempt - 1, cur->st->retry->attempts);
                else if (cur->phase == PHASE_PROBE)
                    job_set_interrupted(j, "interrupted before %s: it was not sent", label);
                else
                    job_set_interrupted(j, "interrupted before %s: the probe was not sent", label);
                free(label);
            }
            j->pc = j->teardown_at;
            continue;
        }
        st = j->steps[j->pc].st;
        if (st->for_each) {
            /* Bind the loop variable to each element in turn, then give
             * the variable its list back. */
            if (!j->each_list) {
                json_t *list = vars_get(j->vars, st->for_each);
                if (!json_is_array(list) || json_array_size(list) == 0) {
                    j->pc++;
                    continue;
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
                continue;
            }
            vars_set(j->vars, st->for_each, json_array_get(j->each_list, j->each));
        }
        /* Pacing, but not once the interrupt budget is spent: nothing is
         * sent then, and waiting for a slot would only delay the exit. */
        if (e->cfg.rps > 0 && !(engine_interrupts && (engine_interrupts >= 2 || engine_budget_left(e) <= 0))) {
            double now = (double)t;
            if (e->next_slot > now) {
                j->wake_at = (long long)e->next_slot + 1;
                return 0;
            }
            e->next_slot = (e->next_slot > now - 1000.0 / e->cfg.rps ? e->next_slot : now) +
                           1000.0 / e->cfg.rps;
        }
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

void job_release(struct job *j)
{
    curl_slist_free_all(j->hdrs);
    vars_free(j->vars);
    json_decref(j->each_list);
    free(j->steps);
    free(j->url);
    free(j->method);
    free(j->req_body);
    free(j->retry_after);
    free(j->curl_cmd);
    free(j->own);
    ac_buf_release(&j->resp);
    ac_buf_release(&j->hdrtext);
    memset(j, 0, sizeof *j);
}
