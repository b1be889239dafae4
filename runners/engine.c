/* runners/engine.c -- the engine object (engine.h, engine_int.h).
 *
 * engine_new and engine_free, the counters (requests sent, persistent
 * fixtures kept), the interrupt count engine_interrupt raises, the
 * monotonic clock, and the redacting copies an exchange is made of: every
 * text the target sent or a request carried passes through them before it
 * is kept. It calls no other file of the engine; the others build on it. */
#include "engine.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

void engine_exchange_release(struct exchange *x)
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
        engine_exchange_release(&r->ex[i]);
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
char *engine_dup_redacted_cut(const struct engine *e, const char *s, size_t n, size_t cap,
                              int at_least)
{
    struct ac_buf b = AC_BUF_INIT;
    int cut;

    if (!s)
        return NULL;
    cut = redact_append_cut(e->red, s, n, cap, &b);
    if (cut < 0 ||
        (cut &&
         ac_buf_addf(&b, "...[%s%zu more bytes]", at_least ? "at least " : "", n - cap) < 0) ||
        (!cut && at_least && ac_buf_adds(&b, "...[more bytes]") < 0)) {
        ac_buf_release(&b);
        return NULL;
    }
    return ac_buf_take(&b);
}

char *engine_dup_redacted(const struct engine *e, const char *s, size_t n, size_t cap)
{
    return engine_dup_redacted_cut(e, s, n, cap, 0);
}

/* Header values that are credentials by their name (see
 * redact_header_is_sensitive) lose their value, keeping the scheme
 * ("Authorization: Token ***"), whatever the value is. The checks read
 * the answer's headers from the result: when memory runs out it is
 * emptied (nothing unmasked survives) and -1 returned. */
int engine_mask_headers(struct ac_buf *h)
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
void engine_redact_in_place(const struct engine *e, char **s, int *oom)
{
    char *m = *s;

    *s = redact_dup(e->red, m);
    *oom |= m && !*s;
    free(m);
}

/* check_observe cuts a long message (at 4 KiB); the part kept is masked as
 * a cut of the whole message, so that a secret across the cut leaves none
 * of its bytes. */
void engine_redact_message(const struct engine *e, struct observed *o, const char *body, size_t len)
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
    engine_redact_in_place(e, &o->message, &o->oom);
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

/* Milliseconds left of the interrupt budget (<= 0: spent). */
long long engine_budget_left(const struct engine *e)
{
    return e->deadline ? e->deadline - engine_now_ms() : e->cfg.interrupt_budget_ms;
}
