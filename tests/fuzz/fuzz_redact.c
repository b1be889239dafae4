/* tests/fuzz/fuzz_redact.c -- libFuzzer target: the redactor's decoders.
 * The input is cut at its first two NUL bytes into two secrets and a text;
 * the text's first byte also picks a cut. The redactor must not fail on any
 * input, and a secret of 8 bytes or more without '*' (the mask's own
 * character could join the mask into a secret) never survives raw. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runners/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *field(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
    size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
    char *s = malloc(n + 1);

    memcpy(s, *p, n);
    s[n] = '\0';
    *p += n + (z ? 1 : 0);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    char *s1 = field(&p, end), *s2 = field(&p, end);
    size_t len = (size_t)(end - p), cap = len ? (size_t)p[0] * len / 255 : 0;
    struct redactor *r = redact_new();
    struct ac_buf out = AC_BUF_INIT;
    const char *secrets[2] = {s1, s2};
    int k;

    if (!r || redact_add(r, s1) < 0 || redact_add(r, s2) < 0)
        abort();
    if (redact_append_cut(r, (const char *)p, len, cap, &out) < 0)
        abort();
    for (k = 0; k < 2; k++) {
        size_t n = strlen(secrets[k]);
        if (n >= REDACT_MIN_SECRET && !strchr(secrets[k], '*') && out.data &&
            memmem(out.data, out.len, secrets[k], n))
            abort();
    }
    ac_buf_release(&out);
    redact_free(r);
    free(s1);
    free(s2);
    return 0;
}
