/* runners/request.c -- turning a step into a request (engine_int.h).
 *
 * A step's method, path, query and headers expanded with the scenario's
 * variables (suite_expand) and its body rendered by the suite
 * (suite_step_body, suite_step_content_type); a captured value kept from
 * steering the request (expand_untrusted); the curl command a
 * person can paste, shell-quoted, for the report, the dry run and the
 * reproducer scripts (whose placeholders become shell expansions); and the
 * built-in variables. Pure: it sends nothing and sets no libcurl option. */
#include "engine_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
const char *engine_phase_name(enum exchange_phase p)
{
    switch (p) {
    case PHASE_FIXTURE_SETUP: return "fixture setup";
    case PHASE_SETUP: return "setup";
    case PHASE_PROBE: return "probe";
    case PHASE_TEARDOWN: return "teardown";
    case PHASE_FIXTURE_TEARDOWN: return "fixture teardown";
    }
    return "?";
}

static void shell_quote(struct ac_buf *b, const char *s, size_t n)
{
    size_t i;

    ac_buf_addc(b, '\'');
    for (i = 0; i < n; i++) {
        if (s[i] == '\'')
            ac_buf_adds(b, "'\\''");
        else
            ac_buf_addc(b, s[i]);
    }
    ac_buf_addc(b, '\'');
}

/* Script mode of a reproducer (engine_script_*): a built request holds
 * placeholders "${name}" (or, in a query, their percent-encoded form
 * "%24%7Bname%7D") where a value is only known when the script runs. Such
 * a placeholder becomes a double-quoted shell expansion outside the single
 * quotes. ph holds the placeholders (name -> "${name}"); only those, and
 * the APICONFORM_ variables, are expanded, so no other text can become
 * one. In a JSON body (json set), a placeholder that is a whole JSON string
 * of a captured variable becomes that variable's JSON text ($name_json), so
 * a captured number is sent as a number, as the run did. */
static size_t placeholder_at(const char *s, size_t n, size_t i, const struct vars *ph, char *name,
                             size_t cap, size_t *skip)
{
    size_t k, open = 0, close = 0;
    json_t *v;

    if (i + 2 < n && s[i] == '$' && s[i + 1] == '{')
        open = 2;
    else if (i + 6 < n && !strncmp(s + i, "%24%7B", 6))
        open = 6;
    if (!open)
        return 0;
    for (k = i + open;
         k < n && k - i - open < cap - 1 && (isalnum((unsigned char)s[k]) || s[k] == '_'); k++)
        ;
    if (k == i + open)
        return 0;
    if (open == 2 && k < n && s[k] == '}')
        close = 1;
    else if (open == 6 && k + 3 <= n && !strncmp(s + k, "%7D", 3))
        close = 3;
    if (!close)
        return 0;
    memcpy(name, s + i + open, k - i - open);
    name[k - i - open] = '\0';
    if (strncmp(name, "APICONFORM_", 11) != 0) {
        char ref[160];
        v = vars_get(ph, name);
        snprintf(ref, sizeof ref, "${%s}", name);
        if (!json_is_string(v) || strcmp(json_string_value(v), ref) != 0)
            return 0;
    }
    *skip = k + close - i;
    return 1;
}

static void shell_quote_ph(struct ac_buf *b, const char *s, size_t n, const struct vars *ph,
                           int json)
{
    char name[128];
    size_t i, skip;

    if (!ph) {
        shell_quote(b, s, n);
        return;
    }
    ac_buf_addc(b, '\'');
    for (i = 0; i < n; i++) {
        if (json && s[i] == '"' && placeholder_at(s, n, i + 1, ph, name, sizeof name, &skip) &&
            i + 1 + skip < n && s[i + 1 + skip] == '"' && strncmp(name, "APICONFORM_", 11)) {
            ac_buf_addf(b, "'\"$%s_json\"'", name);
            i += skip + 1;
        } else if (placeholder_at(s, n, i, ph, name, sizeof name, &skip)) {
            ac_buf_addf(b, "'\"$%s\"'", name);
            i += skip - 1;
        } else if (s[i] == '\'') {
            ac_buf_adds(b, "'\\''");
        } else {
            ac_buf_addc(b, s[i]);
        }
    }
    ac_buf_addc(b, '\'');
}

/* The variable holding a step's token in a reproducer. */
static void token_var(struct ac_buf *b, const struct step *st)
{
    ac_buf_adds(b, "$APICONFORM_TOKEN");
    if (st->auth == STEP_AUTH_ACCOUNT && st->account) {
        const char *p;
        ac_buf_addc(b, '_');
        for (p = st->account; *p; p++)
            ac_buf_addc(b, (*p >= 'a' && *p <= 'z') ? (char)(*p - 32)
                           : ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) ? *p
                                                                                    : '_');
    }
}

void request_release(struct built *b)
{
    size_t i;

    free(b->method);
    free(b->url);
    ac_buf_release(&b->body);
    free(b->content_type);
    for (i = 0; i < b->nheaders; i++)
        free(b->headers[i]);
    free(b->headers);
    memset(b, 0, sizeof *b);
}

static int push_header(struct built *b, char *h)
{
    char **nh;

    if (!h)
        return -1;
    nh = realloc(b->headers, (b->nheaders + 1) * sizeof *nh);
    if (!nh) {
        free(h);
        return -1;
    }
    b->headers = nh;
    b->headers[b->nheaders++] = h;
    return 0;
}

/* Where a variable's value goes in a request. */
enum slot { SLOT_PATH, SLOT_HEADER };

/* Expands tmpl as suite_expand does, for a path or a header value. A
 * variable's value may come from the target (a capture) and must not steer
 * the request: in a path it is percent-encoded as one segment (RFC 3986:
 * only unreserved characters stay), and "", "." and ".." are refused, being
 * no segment of their own; in a header a value holding a control byte is
 * refused (CR LF would end the header and start another). The template's
 * own text is the suite's and stays as written. A dry run's placeholders
 * ("${name}" as the value of name) stay as they are. header names the
 * header in a refusal. 0, or -1 with err naming the variable. */
static int expand_untrusted(const char *tmpl, const struct vars *v, enum slot slot,
                            const char *header, struct ac_buf *out, struct ac_error *err)
{
    struct vars *safe = vars_new();
    struct ac_buf ref = AC_BUF_INIT, val = AC_BUF_INIT;
    char **names = NULL, *enc;
    size_t n = 0, i, k;
    int rc = -1;

    /* The loader has checked every template, so only memory can fail. */
    if (!safe || suite_template_vars(tmpl, &names, &n) < 0)
        goto nomem;
    for (i = 0; i < n; i++) {
        if (!vars_get(v, names[i]))
            continue; /* suite_expand below says it is not set */
        ac_buf_reset(&ref);
        ac_buf_reset(&val);
        if (ac_buf_addf(&ref, "${%s}", names[i]) < 0 || ac_buf_grow(&val, 0) < 0)
            goto nomem;
        if (suite_expand(ref.data, v, &val, err) < 0)
            goto out;
        if (strcmp(val.data, ref.data) == 0) {
            if (vars_set_str(safe, names[i], val.data) < 0)
                goto nomem;
        } else if (slot == SLOT_PATH) {
            if (!strcmp(val.data, "") || !strcmp(val.data, ".") || !strcmp(val.data, "..")) {
                ac_error_set(err, AC_ERR_INVALID, NULL,
                             "${%s} is \"%s\", which cannot be sent as a path segment", names[i],
                             val.data);
                goto out;
            }
            enc = curl_easy_escape(NULL, val.data, (int)val.len);
            if (!enc || vars_set_str(safe, names[i], enc) < 0) {
                curl_free(enc);
                goto nomem;
            }
            curl_free(enc);
        } else {
            for (k = 0; k < val.len; k++)
                if ((unsigned char)val.data[k] < 0x20 || val.data[k] == 0x7f) {
                    ac_error_set(err, AC_ERR_INVALID, NULL,
                                 "${%s} holds a control byte (0x%02x), which cannot be sent in "
                                 "header '%s'",
                                 names[i], (unsigned char)val.data[k], header);
                    goto out;
                }
            if (vars_set_str(safe, names[i], val.data) < 0)
                goto nomem;
        }
    }
    rc = suite_expand(tmpl, safe, out, err);
    goto out;
nomem:
    ac_error_nomem(err, NULL);
out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    ac_buf_release(&ref);
    ac_buf_release(&val);
    vars_free(safe);
    return rc;
}

/* Appends "?name=value" (or "&..." when sep says a query has begun) to
 * url, both percent-encoded. 0, or -1 on no memory. */
static int add_query(struct ac_buf *url, int *sep, const char *name, const char *value, size_t len)
{
    char *en = curl_easy_escape(NULL, name, 0), *ev = curl_easy_escape(NULL, value, (int)len);
    int rc = en && ev && ac_buf_addf(url, "%c%s=%s", *sep ? '&' : '?', en, ev) >= 0 ? 0 : -1;

    curl_free(en);
    curl_free(ev);
    *sep = 1;
    return rc;
}

int request_build(const struct engine *e, const struct step *st, const struct vars *v,
                  long page_offset, struct built *b, struct ac_error *err)
{
    struct ac_buf t = AC_BUF_INIT, url = AC_BUF_INIT;
    const char *offset_param = NULL;
    size_t i;
    int rc = -1, sep = strchr(st->path, '?') != NULL, offset_sent = 0;

    memset(b, 0, sizeof *b);
    if (page_offset >= 0)
        offset_param = contract_or_builtin(contract_active())->offset_param;
    b->method = ac_strdup(st->method);
    if (!b->method || ac_buf_adds(&url, e->base_url) < 0)
        goto nomem;
    if (expand_untrusted(st->path, v, SLOT_PATH, NULL, &url, err) < 0)
        goto out;
    for (i = 0; i < st->nquery; i++) {
        ac_buf_reset(&t);
        if (offset_param && strcmp(st->query[i].name, offset_param) == 0) {
            if (ac_buf_addf(&t, "%ld", page_offset) < 0)
                goto nomem;
            offset_sent = 1;
        } else if (suite_expand(st->query[i].value, v, &t, err) < 0) {
            goto out;
        }
        if (add_query(&url, &sep, st->query[i].name, t.data ? t.data : "", t.len) < 0)
            goto nomem;
    }
    if (offset_param && !offset_sent) {
        ac_buf_reset(&t);
        if (ac_buf_addf(&t, "%ld", page_offset) < 0 ||
            add_query(&url, &sep, offset_param, t.data, t.len) < 0)
            goto nomem;
    }
    b->url = ac_buf_take(&url);
    if (!b->url)
        goto nomem;
    for (i = 0; i < st->nheaders; i++) {
        ac_buf_reset(&t);
        if (expand_untrusted(st->headers[i].value, v, SLOT_HEADER, st->headers[i].name, &t, err) <
            0)
            goto out;
        if (strcasecmp(st->headers[i].name, "authorization") == 0)
            b->auth_header_given = 1;
        if (strcasecmp(st->headers[i].name, "content-type") == 0) {
            b->content_type = ac_strdup(t.data ? t.data : "");
            if (!b->content_type)
                goto nomem;
        } else {
            struct ac_buf h = AC_BUF_INIT;
            ac_buf_addf(&h, "%s: %s", st->headers[i].name, t.data ? t.data : "");
            if (push_header(b, ac_buf_take(&h)) < 0)
                goto nomem;
        }
    }
    if (st->json || st->body) {
        /* The body as the suite renders it (suite_step_body), and its
         * type unless a header of the step gave one. */
        const char *type = suite_step_content_type(st);
        if (suite_step_body(st, v, &b->body, err) < 0)
            goto out;
        b->has_body = 1;
        if (!b->content_type && type && !(b->content_type = ac_strdup(type)))
            goto nomem;
    }
    rc = 0;
    goto out;
nomem:
    ac_error_nomem(err, NULL);
out:
    ac_buf_release(&t);
    ac_buf_release(&url);
    return rc;
}

/* The reproducer: a curl command a person can paste, token as a variable;
 * ph: script mode (see shell_quote_ph), or NULL. */
char *request_curl_command(const struct step *st, const struct built *b, const struct vars *ph)
{
    struct ac_buf c = AC_BUF_INIT;
    size_t i;

    ac_buf_adds(&c, "curl -sS -i");
    if (strcmp(b->method, "GET") != 0 || b->has_body) {
        ac_buf_adds(&c, " -X ");
        ac_buf_adds(&c, b->method);
    }
    ac_buf_addc(&c, ' ');
    shell_quote_ph(&c, b->url, strlen(b->url), ph, 0);
    if (!b->auth_header_given) {
        const struct contract *k = contract_or_builtin(contract_active());
        if (st->auth == STEP_AUTH_TOKEN || st->auth == STEP_AUTH_ACCOUNT) {
            /* The header and scheme are letters, digits, '-', '_' and '.'
             * (contract.c): nothing the double quotes would expand. */
            ac_buf_addf(&c, " -H \"%s: %s%s", k->auth_header, k->auth_scheme,
                        *k->auth_scheme ? " " : "");
            token_var(&c, st);
            ac_buf_addc(&c, '"');
        } else if (st->auth == STEP_AUTH_INVALID) {
            char line[256];
            contract_auth_line(k, INVALID_TOKEN, line, sizeof line);
            ac_buf_adds(&c, " -H ");
            shell_quote(&c, line, strlen(line));
        }
    }
    for (i = 0; i < b->nheaders; i++) {
        ac_buf_adds(&c, " -H ");
        shell_quote_ph(&c, b->headers[i], strlen(b->headers[i]), ph, 0);
    }
    if (b->content_type) {
        struct ac_buf h = AC_BUF_INIT;
        ac_buf_addf(&h, "Content-Type: %s", b->content_type);
        ac_buf_adds(&c, " -H ");
        shell_quote_ph(&c, h.data, h.len, ph, 0);
        ac_buf_release(&h);
    }
    if (st->stall)
        ac_buf_addf(&c, " -H 'Content-Length: %ld'", st->stall);
    if (b->has_body) {
        ac_buf_adds(&c, " --data-raw ");
        shell_quote_ph(&c, b->body.data ? b->body.data : "", b->body.len, ph, st->json != NULL);
    }
    return ac_buf_take(&c);
}

void request_builtins(const struct engine *e, const struct suite *s, const struct scenario *sc,
                      struct vars *v, size_t index)
{
    char uniq[96];

    snprintf(uniq, sizeof uniq, "%s-%zu", e->cfg.run_id ? e->cfg.run_id : "r0", index);
    vars_set_str(v, "run", e->cfg.run_id ? e->cfg.run_id : "r0");
    vars_set_str(v, "uniq", uniq);
    vars_set_str(v, "app_key", e->app_key ? e->app_key : "");
    vars_set_str(v, "app_secret", e->app_secret ? e->app_secret : "");
    suite_set_quota_vars(v, s, sc, e->cfg.quotas);
}

static void mark_unknown(const char *tmpl, struct vars *v)
{
    char **names = NULL;
    size_t n = 0, i;

    if (!tmpl)
        return;
    suite_template_vars(tmpl, &names, &n);
    for (i = 0; i < n; i++) {
        if (!vars_get(v, names[i])) {
            struct ac_buf b = AC_BUF_INIT;
            ac_buf_addf(&b, "${%s}", names[i]);
            vars_set_str(v, names[i], b.data);
            ac_buf_release(&b);
        }
        free(names[i]);
    }
    free(names);
}

char *engine_dry_run_command(const struct engine *e, const struct scenario *sc,
                             const struct step *st)
{
    struct vars *v = vars_new();
    struct ac_error err = AC_ERROR_INIT;
    struct built b;
    char *cmd = NULL, *dump = NULL;
    size_t i;

    (void)sc;
    if (!v)
        return NULL;
    request_builtins(e, NULL, NULL, v, 0);
    /* Secrets are never printed: the credentials show as variables. */
    vars_set_str(v, "app_key", "${APICONFORM_APP_KEY}");
    vars_set_str(v, "app_secret", "${APICONFORM_APP_SECRET}");
    vars_set_str(v, "uniq", "${uniq}");
    vars_set_str(v, "i", "${i}");
    mark_unknown(st->path, v);
    for (i = 0; i < st->nquery; i++)
        mark_unknown(st->query[i].value, v);
    for (i = 0; i < st->nheaders; i++)
        mark_unknown(st->headers[i].value, v);
    mark_unknown(st->body, v);
    if (st->json) {
        dump = json_dumps(st->json, JSON_ENCODE_ANY);
        mark_unknown(dump, v);
    }
    if (request_build(e, st, v, -1, &b, &err) == 0)
        cmd = request_curl_command(st, &b, NULL);
    request_release(&b);
    vars_free(v);
    free(dump);
    return cmd;
}

char *engine_script_curl(const struct engine *e, const struct step *st, const struct vars *ph)
{
    struct ac_error err = AC_ERROR_INIT;
    struct built b;
    char *cmd = NULL;

    if (request_build(e, st, ph, -1, &b, &err) == 0)
        cmd = request_curl_command(st, &b, ph);
    request_release(&b);
    return cmd;
}

struct vars *engine_script_vars(const struct engine *e, size_t index)
{
    struct vars *v = vars_new();

    if (!v)
        return NULL;
    request_builtins(e, NULL, NULL, v, index);
    /* Secrets are never part of a script: the credentials are variables. */
    if (vars_set_str(v, "app_key", "${APICONFORM_APP_KEY}") < 0 ||
        vars_set_str(v, "app_secret", "${APICONFORM_APP_SECRET}") < 0 ||
        vars_set_str(v, "i", "${i}") < 0) {
        vars_free(v);
        return NULL;
    }
    return v;
}

const char *engine_base_url(const struct engine *e)
{
    return e->base_url;
}
