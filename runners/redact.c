/* runners/redact.c -- see redact.h. */
#define _GNU_SOURCE /* memmem */
#include "redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FORMS 5

struct secret {
    char *forms[MAX_FORMS]; /* raw, base64, URL-encoded, JSON-escaped with and without
                               \/ (deduplicated) */
    size_t lens[MAX_FORMS];
    size_t nforms;
};

struct redactor {
    struct secret *v;
    size_t n;
};

struct redactor *redact_new(void)
{
    return calloc(1, sizeof(struct redactor));
}

void redact_free(struct redactor *r)
{
    size_t i, k;

    if (!r)
        return;
    for (i = 0; i < r->n; i++)
        for (k = 0; k < r->v[i].nforms; k++)
            free(r->v[i].forms[k]);
    free(r->v);
    free(r);
}

static char *base64(const char *s)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), i, k = 0;
    const unsigned char *u = (const unsigned char *)s;
    char *out = malloc(4 * ((n + 2) / 3) + 1);

    if (!out)
        return NULL;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (unsigned)u[i + 1] << 8 | u[i + 2];
        out[k++] = tbl[v >> 18 & 63];
        out[k++] = tbl[v >> 12 & 63];
        out[k++] = tbl[v >> 6 & 63];
        out[k++] = tbl[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0);
        out[k++] = tbl[v >> 18 & 63];
        out[k++] = tbl[v >> 12 & 63];
        /* Padding is left out so the form also matches inside longer text. */
        if (i + 1 < n)
            out[k++] = tbl[v >> 6 & 63];
    }
    out[k] = '\0';
    return out;
}

static char *url_encode(const char *s)
{
    struct ac_buf b = AC_BUF_INIT;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            ac_buf_addc(&b, (char)c);
        else
            ac_buf_addf(&b, "%%%02X", c);
    }
    return ac_buf_take(&b);
}

/* JSON encoders differ on '/': both spellings are matched. */
static char *json_escape(const char *s, int slash)
{
    struct ac_buf b = AC_BUF_INIT;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            ac_buf_addf(&b, "\\%c", c);
        else if (c == '/' && slash)
            ac_buf_adds(&b, "\\/");
        else if (c < 0x20)
            ac_buf_addf(&b, "\\u%04x", c);
        else
            ac_buf_addc(&b, (char)c);
    }
    return ac_buf_take(&b);
}

static int add_form(struct secret *s, char *form)
{
    size_t k;

    if (!form)
        return -1;
    for (k = 0; k < s->nforms; k++) {
        if (strcmp(s->forms[k], form) == 0) {
            free(form);
            return 0;
        }
    }
    s->forms[s->nforms] = form;
    s->lens[s->nforms] = strlen(form);
    s->nforms++;
    return 0;
}

int redact_add(struct redactor *r, const char *secret)
{
    struct secret *nv, s = {{0}, {0}, 0};
    size_t i, k;

    if (!secret || strlen(secret) < 4)
        return 0;
    for (i = 0; i < r->n; i++)
        if (strcmp(r->v[i].forms[0], secret) == 0)
            return 0;
    if (add_form(&s, ac_strdup(secret)) < 0 || add_form(&s, base64(secret)) < 0 ||
        add_form(&s, url_encode(secret)) < 0 || add_form(&s, json_escape(secret, 1)) < 0 ||
        add_form(&s, json_escape(secret, 0)) < 0)
        goto fail;
    nv = realloc(r->v, (r->n + 1) * sizeof *nv);
    if (!nv)
        goto fail;
    r->v = nv;
    r->v[r->n++] = s;
    return 0;
fail:
    for (k = 0; k < s.nforms; k++)
        free(s.forms[k]);
    return -1;
}

int redact_append(const struct redactor *r, const char *text, size_t len, struct ac_buf *out)
{
    size_t pos = 0, i, k;

    if (ac_buf_grow(out, len) < 0)
        return -1;
    while (pos < len) {
        size_t best_at = len, best_len = 0;
        /* The earliest match of any form wins; the longest at that place. */
        for (i = 0; r && i < r->n; i++) {
            for (k = 0; k < r->v[i].nforms; k++) {
                const char *hit;
                if (r->v[i].lens[k] > len - pos)
                    continue;
                hit = memmem(text + pos, len - pos, r->v[i].forms[k], r->v[i].lens[k]);
                if (hit && ((size_t)(hit - text) < best_at ||
                            ((size_t)(hit - text) == best_at && r->v[i].lens[k] > best_len))) {
                    best_at = (size_t)(hit - text);
                    best_len = r->v[i].lens[k];
                }
            }
        }
        if (ac_buf_add(out, text + pos, best_at - pos) < 0)
            return -1;
        if (best_len == 0)
            break;
        if (ac_buf_adds(out, "***") < 0)
            return -1;
        pos = best_at + best_len;
    }
    return 0;
}

char *redact_dup(const struct redactor *r, const char *s)
{
    struct ac_buf b = AC_BUF_INIT;

    if (!s)
        return NULL;
    if (redact_append(r, s, strlen(s), &b) < 0) {
        ac_buf_release(&b);
        return NULL;
    }
    return ac_buf_take(&b);
}

static int has_word(const char *name, size_t len, const char *word)
{
    size_t w = strlen(word), i;

    for (i = 0; i + w <= len; i++)
        if (strncasecmp(name + i, word, w) == 0)
            return 1;
    return 0;
}

int redact_header_is_sensitive(const char *name, size_t len)
{
    if (has_word(name, len, "request-id"))
        return 0;
    return has_word(name, len, "authorization") || has_word(name, len, "cookie") ||
           has_word(name, len, "token") || has_word(name, len, "secret") ||
           has_word(name, len, "key") || has_word(name, len, "session") ||
           has_word(name, len, "password");
}

int redact_member_is_sensitive(const char *name)
{
    size_t len = strlen(name);
    return has_word(name, len, "token") || has_word(name, len, "secret") ||
           has_word(name, len, "password");
}
