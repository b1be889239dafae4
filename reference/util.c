/* reference/util.c -- clocks, randomness and the small parsers every area
 * of the reference server uses. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

long long ref_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ref_timestamp(char out[32], int millis)
{
    struct timespec ts;
    struct tm tm;
    char buf[128];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    if (millis)
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 (int)(ts.tv_nsec / 1000000));
    else
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(out, 32, "%.31s", buf);
}

void ref_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    size_t got = 0;

    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got < n) {
        /* Kernels without getrandom: the device, else a weak fallback that
         * still keeps ids distinct within one process. */
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t r = read(fd, p + got, n - got);
            if (r > 0)
                got += (size_t)r;
            close(fd);
        }
        while (got < n)
            p[got++] = (unsigned char)rand();
    }
}

void ref_random_hex(char *out, size_t nhex)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char raw[64];
    size_t i = 0;

    while (i < nhex) {
        size_t chunk = (nhex - i + 1) / 2;
        if (chunk > sizeof raw)
            chunk = sizeof raw;
        ref_random_bytes(raw, chunk);
        for (size_t k = 0; k < chunk && i < nhex; k++) {
            out[i++] = digits[raw[k] >> 4];
            if (i < nhex)
                out[i++] = digits[raw[k] & 15];
        }
    }
    out[nhex] = '\0';
}

void ref_uuid(char out[37])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char b[16];
    size_t o = 0;

    ref_random_bytes(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = digits[b[i] >> 4];
        out[o++] = digits[b[i] & 15];
    }
    out[o] = '\0';
}

int ref_parse_long(const char *s, long *out)
{
    long v = 0;
    int neg = 0;
    size_t n = 0;

    if (!s)
        return 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 18)
            return 0;
        v = v * 10 + (*s - '0');
    }
    if (n == 0)
        return 0;
    *out = neg ? -v : v;
    return 1;
}

int ref_absent(const json_t *v)
{
    return !v || json_is_null(v);
}

int ref_json_long(const json_t *v, long *out)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i > 999999999999999999LL || i < -999999999999999999LL)
            return 0;
        *out = (long)i;
        return 1;
    }
    if (json_is_string(v))
        return ref_parse_long(json_string_value(v), out);
    return 0;
}

int ref_chars_ok(const char *s, const char *set, size_t max)
{
    size_t n;

    if (!s)
        return 0;
    n = strlen(s);
    return n >= 1 && n <= max && strspn(s, set) == n;
}

int ref_name_ok(const char *s, size_t max)
{
    size_t n;

    if (!ref_chars_ok(s, "abcdefghijklmnopqrstuvwxyz0123456789-", max))
        return 0;
    n = strlen(s);
    return s[0] >= 'a' && s[0] <= 'z' && s[n - 1] != '-';
}

int ref_ipv4_ok(const char *s)
{
    int parts = 0;

    if (!s)
        return 0;
    while (parts < 4) {
        int v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4) {
            v = v * 10 + (*s - '0');
            s++;
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return 0;
        parts++;
        if (parts < 4) {
            if (*s != '.')
                return 0;
            s++;
        }
    }
    return *s == '\0';
}
