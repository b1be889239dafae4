/* runners/passive_keep.c -- what passive conformance keeps of an answer:
 * the secrets it carries, registered with the redactor (passive_learn),
 * and its example copy, capped, with credentials masked by header and
 * query name (passive_set_example). Judges nothing. See passive.h and
 * passive_int.h. */
#include "passive_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *passive_header_get(const struct passive_header *h, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (h[i].name && strcasecmp(h[i].name, name) == 0)
            return h[i].value ? h[i].value : "";
    return NULL;
}

void passive_example_release(struct example *e)
{
    free(e->source);
    free(e->method);
    free(e->url);
    free(e->req_headers);
    free(e->req_body);
    free(e->content_type);
    free(e->request_id);
    free(e->excerpt);
    free(e->message);
    memset(e, 0, sizeof *e);
}

/* ---- secrets ------------------------------------------------------------ */

/* Registers s[0..n) unless the redactor already masks it whole. */
static int learn(struct passive *p, const char *s, size_t n)
{
    char *copy;
    struct ac_buf b = AC_BUF_INIT;
    int rc;

    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    if (n < 4 || n > 4096 || memchr(s, '\0', n))
        return 0;
    if (redact_append(p->red, s, n, &b) < 0)
        return -1;
    rc = strcmp(b.data ? b.data : "", "***") == 0;
    ac_buf_release(&b);
    if (rc)
        return 0;
    copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    rc = redact_add(p->red, copy);
    free(copy);
    return rc;
}

static int learn_json(struct passive *p, json_t *j, int depth)
{
    const char *key;
    json_t *v;
    size_t i;
    int rc = 0;

    if (depth > 32)
        return 0;
    if (json_is_object(j)) {
        json_object_foreach (j, key, v) {
            if (json_is_string(v) && redact_member_is_sensitive(key))
                rc |= learn(p, json_string_value(v), json_string_length(v));
            else
                rc |= learn_json(p, v, depth + 1);
        }
    } else if (json_is_array(j)) {
        json_array_foreach (j, i, v)
            rc |= learn_json(p, v, depth + 1);
    }
    return rc ? -1 : 0;
}

static int learn_body(struct passive *p, const char *body, size_t len)
{
    json_t *root;
    int rc;

    if (!body || len == 0 || len > PASSIVE_BODY_MAX)
        return 0;
    root = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (!root)
        return 0;
    rc = learn_json(p, root, 0);
    json_decref(root);
    return rc;
}

/* 1 when a query parameter of this name carries a credential. */
static int query_name_is_sensitive(const char *s, size_t n)
{
    char name[64];

    if (n == 0 || n >= sizeof name)
        return 0;
    memcpy(name, s, n);
    name[n] = '\0';
    return redact_member_is_sensitive(name) || redact_header_is_sensitive(s, n);
}

static int learn_query(struct passive *p, const char *url)
{
    const char *q = strchr(url, '?');
    int rc = 0;

    if (!q)
        return 0;
    q++;
    while (*q && *q != '#') {
        size_t n = strcspn(q, "&#"), eq = strcspn(q, "=&#");
        if (eq < n && query_name_is_sensitive(q, eq))
            rc |= learn(p, q + eq + 1, n - eq - 1);
        q += n;
        if (*q == '&')
            q++;
    }
    return rc ? -1 : 0;
}

static int learn_header(struct passive *p, const char *name, const char *value)
{
    size_t n;
    const char *sp;
    int rc = 0;

    if (!name || !value || !redact_header_is_sensitive(name, strlen(name)))
        return 0;
    n = strlen(value);
    if (strcasecmp(name, "Cookie") == 0 || strcasecmp(name, "Set-Cookie") == 0) {
        const char *c = value;
        while (*c) {
            size_t k = strcspn(c, ";"), eq = strcspn(c, "=;");
            if (eq < k)
                rc |= learn(p, c + eq + 1, k - eq - 1);
            c += k;
            if (*c == ';')
                c++;
        }
        return rc ? -1 : 0;
    }
    rc |= learn(p, value, n);
    sp = strchr(value, ' ');
    if (sp)
        rc |= learn(p, sp + 1, strlen(sp + 1));
    return rc ? -1 : 0;
}

int passive_learn(struct passive *p, const struct passive_answer *a)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < a->nreq_headers; i++)
        rc |= learn_header(p, a->req_headers[i].name, a->req_headers[i].value);
    for (i = 0; i < a->nheaders; i++)
        rc |= learn_header(p, a->headers[i].name, a->headers[i].value);
    if (a->url)
        rc |= learn_query(p, a->url);
    rc |= learn_body(p, a->req_body, a->req_body_len);
    if (a->body_state == PASSIVE_BODY_CAPTURED)
        rc |= learn_body(p, a->body, a->body_len);
    return rc ? -1 : 0;
}

char *passive_mask_url(const char *url)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t n = strlen(url), auth_end, at;
    const char *s = strstr(url, "://"), *q;

    if (n > PASSIVE_URL_CAP)
        n = PASSIVE_URL_CAP;
    if (s && (size_t)(s - url) < strcspn(url, "/?#")) {
        const char *host = s + 3;
        auth_end = (size_t)(host - url) + strcspn(host, "/?#");
        if (auth_end > n)
            auth_end = n;
        at = (size_t)(host - url);
        ac_buf_add(&b, url, at);
        {
            const char *amp = memchr(host, '@', auth_end - at);
            if (amp) {
                ac_buf_adds(&b, "***@");
                at = (size_t)(amp + 1 - url);
            }
        }
        ac_buf_add(&b, url + at, auth_end - at);
        url += auth_end;
        n -= auth_end;
    }
    q = memchr(url, '?', n);
    if (!q) {
        ac_buf_add(&b, url, n);
        goto out;
    }
    ac_buf_add(&b, url, (size_t)(q - url) + 1);
    n -= (size_t)(q - url) + 1;
    q++;
    while (n) {
        size_t k = 0, eq;
        while (k < n && q[k] != '&' && q[k] != '#')
            k++;
        eq = 0;
        while (eq < k && q[eq] != '=')
            eq++;
        if (eq < k && query_name_is_sensitive(q, eq)) {
            ac_buf_add(&b, q, eq + 1);
            ac_buf_adds(&b, "***");
        } else
            ac_buf_add(&b, q, k);
        q += k;
        n -= k;
        if (n && *q == '&') {
            ac_buf_addc(&b, '&');
            q++;
            n--;
        } else if (n) {
            ac_buf_add(&b, q, n);
            break;
        }
    }
out:
    return ac_buf_take(&b);
}

/* "Authorization: Token ***": the scheme kept, the credential masked. */
static void add_masked_header(struct ac_buf *b, const char *name, const char *value)
{
    ac_buf_adds(b, name);
    ac_buf_adds(b, ": ");
    if (redact_header_is_sensitive(name, strlen(name))) {
        const char *sp = strchr(value, ' ');
        if (sp && strcasecmp(name, "Cookie") && strcasecmp(name, "Set-Cookie"))
            ac_buf_add(b, value, (size_t)(sp - value) + 1);
        ac_buf_adds(b, "***");
    } else
        ac_buf_add(b, value, strnlen(value, 1024));
    ac_buf_addc(b, '\n');
}

char *passive_dup_cap(const char *s, size_t n, size_t cap)
{
    char *d;

    if (!s)
        return NULL;
    if (n > cap)
        n = cap;
    d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int passive_set_example(struct example *e, const struct passive_answer *a, const struct observed *o)
{
    struct ac_buf h = AC_BUF_INIT;
    const char *rname;
    size_t i;

    passive_example_release(e);
    for (i = 0; i < a->nreq_headers && i < 64; i++)
        if (a->req_headers[i].name && a->req_headers[i].value &&
            a->req_headers[i].name[0] != ':') /* HTTP/2 pseudo-headers */
            add_masked_header(&h, a->req_headers[i].name, a->req_headers[i].value);
    e->source = ac_strdup(a->source ? a->source : "");
    e->method = ac_strdup(a->method ? a->method : "?");
    e->url = passive_mask_url(a->url ? a->url : "");
    e->req_headers = ac_buf_take(&h);
    e->req_body = passive_dup_cap(a->req_body, a->req_body_len, PASSIVE_REQ_BODY_CAP);
    e->status = a->status;
    e->content_type = ac_strdup(passive_header_get(a->headers, a->nheaders, "Content-Type"));
    rname = contract_or_builtin(contract_active())->request_id_header;
    e->request_id = rname ? ac_strdup(passive_header_get(a->headers, a->nheaders, rname)) : NULL;
    if (a->body_state == PASSIVE_BODY_CAPTURED)
        e->excerpt = passive_dup_cap(a->body, a->body_len, PASSIVE_EXCERPT_CAP);
    if (o) {
        e->has_code = o->has_code;
        e->code = o->code;
        e->message = ac_strdup(o->message);
    }
    if (!e->source || !e->method || !e->url || !e->req_headers)
        return -1;
    return 0;
}
