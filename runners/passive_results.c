/* runners/passive_results.c -- see passive.h (passive_results): one
 * result of the results model per group, worst first, every string
 * redacted with all the secrets met. */
#include "passive_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_groups(const void *x, const void *y)
{
    const struct group *a = *(const struct group *const *)x, *b = *(const struct group *const *)y;
    int c;

    if ((a->failed > 0) != (b->failed > 0))
        return a->failed > 0 ? -1 : 1;
    if (a->failed != b->failed)
        return a->failed > b->failed ? -1 : 1;
    if ((a->judged > 0) != (b->judged > 0))
        return a->judged > 0 ? -1 : 1;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    c = strcmp(a->route, b->route);
    return c ? c : strcmp(a->method, b->method);
}

/* Shell single quotes: ' becomes '\''. */
static void shell_quote(struct ac_buf *b, const char *s)
{
    ac_buf_addc(b, '\'');
    for (; *s; s++)
        if (*s == '\'')
            ac_buf_adds(b, "'\\''");
        else
            ac_buf_addc(b, *s);
    ac_buf_addc(b, '\'');
}

static char *make_curl(const struct example *e)
{
    struct ac_buf b = AC_BUF_INIT;
    const char *h = e->req_headers;

    ac_buf_adds(&b, "curl -X ");
    ac_buf_adds(&b, e->method);
    ac_buf_addc(&b, ' ');
    shell_quote(&b, e->url);
    while (h && *h) {
        size_t n = strcspn(h, "\n");
        char *line = passive_dup_cap(h, n, n);
        if (line) {
            ac_buf_adds(&b, " -H ");
            shell_quote(&b, line);
            free(line);
        }
        h += n;
        if (*h)
            h++;
    }
    if (e->req_body) {
        ac_buf_adds(&b, " --data-raw ");
        shell_quote(&b, e->req_body);
    }
    return ac_buf_take(&b);
}

static char *make_transcript(const struct example *e)
{
    struct ac_buf b = AC_BUF_INIT;
    const char *h = e->req_headers;

    ac_buf_addf(&b, "# %s\n> %s %s\n", e->source, e->method, e->url);
    while (h && *h) {
        size_t n = strcspn(h, "\n");
        ac_buf_adds(&b, "> ");
        ac_buf_add(&b, h, n);
        ac_buf_addc(&b, '\n');
        h += n;
        if (*h)
            h++;
    }
    if (e->req_body)
        ac_buf_addf(&b, ">\n> %s\n", e->req_body);
    ac_buf_addf(&b, "< %d\n", e->status);
    if (e->content_type)
        ac_buf_addf(&b, "< Content-Type: %s\n", e->content_type);
    if (e->request_id)
        ac_buf_addf(&b, "< %s: %s\n", contract_or_builtin(contract_active())->request_id_header,
                    e->request_id);
    ac_buf_addf(&b, "<\n%s\n", e->excerpt ? e->excerpt : "(body not captured)");
    return ac_buf_take(&b);
}

/* Takes s (heap) and returns it redacted (heap), or NULL. */
static char *red_take(const struct passive *p, char *s, int *ok)
{
    char *r;

    if (!s) {
        *ok = 0;
        return NULL;
    }
    r = redact_dup(p->red, s);
    free(s);
    if (!r)
        *ok = 0;
    return r;
}

static char *fmtd(int *ok, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmtd(int *ok, const char *f, ...)
{
    struct ac_buf b = AC_BUF_INIT;
    va_list ap;
    char tmp[1024];

    va_start(ap, f);
    vsnprintf(tmp, sizeof tmp, f, ap);
    va_end(ap);
    if (ac_buf_adds(&b, tmp) < 0)
        *ok = 0;
    return ac_buf_take(&b);
}

static void add_reasons(struct ac_buf *b, const struct group *g)
{
    size_t i;

    for (i = 0; i < g->nreasons; i++)
        ac_buf_addf(b, "%s%zu %s", i ? ", " : "", g->reasons[i].count, g->reasons[i].text);
}

static int group_result(const struct passive *p, const struct group *g, struct result *x)
{
    struct ac_buf b = AC_BUF_INIT;
    int ok = 1;
    size_t i, k;
    char code_text[32];

    memset(x, 0, sizeof *x);
    if (g->code >= 0)
        snprintf(code_text, sizeof code_text, "code %ld", g->code);
    else
        snprintf(code_text, sizeof code_text, "no code");
    ac_buf_addf(&b, "%s %s", g->method, g->route);
    x->scenario_id = red_take(p, ac_buf_take(&b), &ok);
    x->code = g->code >= 0 ? g->code : 0;
    x->service = g->code >= 0 ? catalog_code_service(g->code) : g->service >= 0 ? g->service : 0;
    x->title = red_take(p,
                        fmtd(&ok, "%s %s answered with %s: %zu answer%s", g->method, g->route,
                             code_text, g->seen, g->seen == 1 ? "" : "s"),
                        &ok);
    x->file = red_take(p, ac_strdup(g->ex.source), &ok);
    x->cls = fmtd(&ok, "traffic");
    if (g->failed) {
        x->verdict = VERDICT_FAIL;
        ac_buf_addf(&b, "%zu of %zu judged answer%s broke the contract:", g->failed, g->judged,
                    g->judged == 1 ? "" : "s");
        for (i = 0, k = 0; i < CHECK_COUNT; i++)
            if (g->check_failed[i])
                ac_buf_addf(&b, "%s %s %zu", k++ ? "," : "", check_name((enum check_id)i),
                            g->check_failed[i]);
    } else if (g->judged) {
        x->verdict = VERDICT_PASS;
        ac_buf_adds(&b, "");
    } else {
        x->verdict = VERDICT_SKIP;
        ac_buf_adds(&b, "not judged: ");
        add_reasons(&b, g);
    }
    if (g->not_judged && g->judged) {
        ac_buf_addf(&b, "%s%zu not judged (", b.len ? "; " : "", g->not_judged);
        add_reasons(&b, g);
        ac_buf_addc(&b, ')');
    }
    x->summary = red_take(p, ac_buf_take(&b), &ok);
    if (g->failed) {
        for (i = 0; i < CHECK_COUNT; i++)
            x->nfailures += g->check_failed[i] > 0;
        x->failures = calloc(x->nfailures, sizeof *x->failures);
        if (!x->failures)
            ok = 0;
        for (i = 0, k = 0; x->failures && i < CHECK_COUNT; i++) {
            const struct first_failure *f = &g->first[i];
            struct check_failure *cf;
            if (!g->check_failed[i])
                continue;
            cf = &x->failures[k++];
            cf->check = fmtd(&ok, "%s", check_name((enum check_id)i));
            cf->expected = red_take(p, ac_strdup(f->expected ? f->expected : ""), &ok);
            cf->actual = red_take(p, ac_strdup(f->actual ? f->actual : ""), &ok);
            ac_buf_addf(&b, "%zu of %zu judged answers failed this check; the first: %s",
                        g->check_failed[i], g->judged, f->source ? f->source : "");
            if (f->detail && *f->detail)
                ac_buf_addf(&b, "\n%s", f->detail);
            cf->detail = red_take(p, ac_buf_take(&b), &ok);
        }
    }
    x->curl = red_take(p, make_curl(&g->ex), &ok);
    x->transcript = red_take(p, make_transcript(&g->ex), &ok);
    x->got_status = g->ex.status;
    x->got_code =
        g->ex.has_code && g->ex.code >= 0 && g->ex.code <= CATALOG_CODE_MAX ? (long)g->ex.code : -1;
    x->got_message = g->ex.message ? red_take(p, ac_strdup(g->ex.message), &ok) : NULL;
    x->response_excerpt = red_take(p, ac_strdup(g->ex.excerpt ? g->ex.excerpt : ""), &ok);
    ac_buf_release(&b);
    return ok ? 0 : -1;
}

int passive_results(const struct passive *p, struct run_results *out, struct ac_error *err)
{
    struct group **sorted = NULL;
    struct result *nv;
    size_t i, base = out->nresults;

    if (p->n == 0)
        return 0;
    sorted = malloc(p->n * sizeof *sorted);
    nv = realloc(out->results, (base + p->n) * sizeof *nv);
    if (!sorted || !nv) {
        free(sorted);
        if (nv)
            out->results = nv;
        return ac_error_nomem(err, NULL);
    }
    out->results = nv;
    memcpy(sorted, p->v, p->n * sizeof *sorted);
    qsort(sorted, p->n, sizeof *sorted, cmp_groups);
    for (i = 0; i < p->n; i++) {
        int r = group_result(p, sorted[i], &out->results[base + i]);
        out->nresults++;
        if (r < 0) {
            free(sorted);
            return ac_error_nomem(err, NULL);
        }
    }
    free(sorted);
    return 0;
}
