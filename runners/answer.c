/* runners/answer.c -- see answer.h. */
#include "answer.h"

#include <limits.h>
#include <string.h>

#include "../common/ac.h"

/* ---- Retry-After ------------------------------------------------------- */

static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const wkdays[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const weekdays[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* n decimal digits at *p; -1 when not so. */
static int digits(const char **p, int n)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!is_digit((*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

static int word(const char **p, const char *w)
{
    size_t n = strlen(w);

    if (strncmp(*p, w, n) != 0)
        return 0;
    *p += n;
    return 1;
}

static int one_of(const char **p, const char *const *v, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (word(p, v[i]))
            return i;
    return -1;
}

/* "08:49:37" */
static int clock_time(const char **p, int *h, int *m, int *s)
{
    *h = digits(p, 2);
    if (*h < 0 || !word(p, ":"))
        return -1;
    *m = digits(p, 2);
    if (*m < 0 || !word(p, ":"))
        return -1;
    *s = digits(p, 2);
    return *s < 0 || *h > 23 || *m > 59 || *s > 60 ? -1 : 0;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so no timegm and no TZ is needed. */
static long long days_from_civil(long long y, int m, int d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* An HTTP-date, in any of the three formats of RFC 9110 section 5.6.7:
 * sets *when to its seconds since the epoch; 0, or -1 when s is not one. */
static int http_date(const char *s, long long now_unix, long long *when)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = s;
    int y, mon, d, h, mi, sec;

    if (one_of(&p, weekdays, 7) >= 0) {
        /* rfc850-date: Sunday, 06-Nov-94 08:49:37 GMT */
        if (!word(&p, ", ") || (d = digits(&p, 2)) < 0 || !word(&p, "-") ||
            (mon = one_of(&p, months, 12)) < 0 || !word(&p, "-") || (y = digits(&p, 2)) < 0 ||
            !word(&p, " ") || clock_time(&p, &h, &mi, &sec) < 0 || !word(&p, " GMT"))
            return -1;
        {
            /* A two-digit year more than 50 years ahead is the most recent
             * past year with those digits (RFC 9110 section 5.6.7). */
            long long now_year = 1970 + now_unix / 31556952;
            long long full = now_year - now_year % 100 + y;
            if (full > now_year + 50)
                full -= 100;
            y = (int)full;
        }
    } else if (one_of(&p, wkdays, 7) >= 0) {
        if (word(&p, ", ")) {
            /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
            if ((d = digits(&p, 2)) < 0 || !word(&p, " ") || (mon = one_of(&p, months, 12)) < 0 ||
                !word(&p, " ") || (y = digits(&p, 4)) < 0 || !word(&p, " ") ||
                clock_time(&p, &h, &mi, &sec) < 0 || !word(&p, " GMT"))
                return -1;
        } else {
            /* asctime-date: Sun Nov  6 08:49:37 1994 */
            if (!word(&p, " ") || (mon = one_of(&p, months, 12)) < 0 || !word(&p, " "))
                return -1;
            if (*p == ' ') {
                p++;
                d = digits(&p, 1);
            } else {
                d = digits(&p, 2);
            }
            if (d < 0 || !word(&p, " ") || clock_time(&p, &h, &mi, &sec) < 0 || !word(&p, " ") ||
                (y = digits(&p, 4)) < 0)
                return -1;
        }
    } else {
        return -1;
    }
    if (*p != '\0' || d < 1 || d > mdays[mon] + (mon == 1 && leap(y)))
        return -1;
    *when = days_from_civil(y, mon + 1, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

enum engine_retry_after engine_retry_after_parse(const char *value, long long now_unix,
                                                 long long *delay_s)
{
    char buf[64];
    size_t a = 0, b, i;

    *delay_s = 0;
    if (!value)
        return ENGINE_RA_ABSENT;
    b = strlen(value);
    while (a < b && (value[a] == ' ' || value[a] == '\t'))
        a++;
    while (b > a && (value[b - 1] == ' ' || value[b - 1] == '\t' || value[b - 1] == '\r' ||
                     value[b - 1] == '\n'))
        b--;
    if (a == b)
        return ENGINE_RA_GARBAGE;
    if (is_digit(value[a])) {
        long long v = 0;
        for (i = a; i < b; i++) {
            if (!is_digit(value[i]))
                return ENGINE_RA_GARBAGE;
            if (v < LLONG_MAX / 100)
                v = v * 10 + (value[i] - '0');
        }
        *delay_s = v;
        return ENGINE_RA_SECONDS;
    }
    if (b - a >= sizeof buf)
        return ENGINE_RA_GARBAGE;
    memcpy(buf, value + a, b - a);
    buf[b - a] = '\0';
    {
        long long when;
        if (http_date(buf, now_unix, &when) < 0)
            return ENGINE_RA_GARBAGE;
        *delay_s = when > now_unix ? when - now_unix : 0;
    }
    return ENGINE_RA_DATE;
}

long long engine_retry_wait_ms(enum engine_retry_after kind, long long delay_s, int retry,
                               long long max_ms)
{
    long long ms;

    if (max_ms <= 0)
        return 0;
    if (kind == ENGINE_RA_SECONDS || kind == ENGINE_RA_DATE)
        ms = delay_s <= 0 ? 0 : delay_s >= max_ms / 1000 + 1 ? max_ms : delay_s * 1000;
    else
        ms = 1000LL << (retry < 1 ? 0 : retry > 20 ? 20 : retry - 1);
    return ms > max_ms ? max_ms : ms;
}

/* ---- chunked framing --------------------------------------------------- */

enum {
    CH_SIZE,    /* hex digits of a chunk size */
    CH_EXT,     /* chunk extensions, up to LF */
    CH_SIZE_LF, /* CR seen after the size line */
    CH_DATA,    /* chunk data */
    CH_DATA_CR, /* the CRLF after chunk data */
    CH_DATA_LF,
    CH_TRAILER0, /* start of a trailer line (or the final CRLF) */
    CH_TRAILER,  /* inside a trailer field line */
    CH_END_LF,   /* CR of the final CRLF seen */
    CH_DONE,
    CH_BAD,
};

/* After the size line: data, or the trailer section of the last chunk. */
static void size_line_done(struct engine_chunks *c)
{
    c->state = c->left ? CH_DATA : CH_TRAILER0;
    c->digits = 0;
}

int engine_chunks_feed(struct engine_chunks *c, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;

    while (i < n && c->state != CH_DONE && c->state != CH_BAD) {
        unsigned char ch = u[i];
        switch (c->state) {
        case CH_SIZE:
            if (ac_hex_value(ch) >= 0) {
                if (++c->digits > 15) {
                    c->state = CH_BAD; /* 2^60 bytes: no honest chunk */
                    break;
                }
                c->left = c->left * 16 + (unsigned)ac_hex_value(ch);
            } else if (c->digits == 0) {
                c->state = CH_BAD;
            } else if (ch == ';' || ch == ' ' || ch == '\t') {
                c->state = CH_EXT;
            } else if (ch == '\r') {
                c->state = CH_SIZE_LF;
            } else if (ch == '\n') {
                size_line_done(c);
            } else {
                c->state = CH_BAD;
            }
            i++;
            break;
        case CH_EXT:
            if (ch == '\n')
                size_line_done(c);
            i++;
            break;
        case CH_SIZE_LF:
            if (ch != '\n')
                c->state = CH_BAD;
            else
                size_line_done(c);
            i++;
            break;
        case CH_DATA: {
            size_t k = n - i;
            if ((unsigned long long)k > c->left)
                k = (size_t)c->left;
            c->left -= k;
            i += k;
            if (!c->left)
                c->state = CH_DATA_CR;
            break;
        }
        case CH_DATA_CR:
            c->state = ch == '\r' ? CH_DATA_LF : ch == '\n' ? CH_SIZE : CH_BAD;
            i++;
            break;
        case CH_DATA_LF:
            c->state = ch == '\n' ? CH_SIZE : CH_BAD;
            i++;
            break;
        case CH_TRAILER0:
            c->state = ch == '\r' ? CH_END_LF : ch == '\n' ? CH_DONE : CH_TRAILER;
            i++;
            break;
        case CH_TRAILER:
            if (ch == '\n')
                c->state = CH_TRAILER0;
            i++;
            break;
        case CH_END_LF:
            c->state = ch == '\n' ? CH_DONE : CH_BAD;
            i++;
            break;
        }
    }
    return c->state == CH_DONE ? 1 : c->state == CH_BAD ? -1 : 0;
}

/* ---- a message in a cut body ------------------------------------------ */

#define MORE 0 /* the bytes ran out: the body goes on */
#define OK 1
#define BAD (-1)
#define MAX_DEPTH 32

struct scan {
    const unsigned char *p;
    size_t n, i;
};

/* Where the decoded bytes of a string go: a key (to compare), the message
 * (to measure), or nowhere (skipped). */
struct sink {
    char key[64]; /* a member name (its first bytes: keylen may be more) */
    size_t keylen;
    struct engine_cut_message *msg;
    size_t first_ns, last_ns_end; /* the span from the first to the last
                                     non-blank byte; first_ns SIZE_MAX: none */
    int last_is_dot;
};

/* isspace() in the C locale, as normalized message matching (check.c) uses. */
static int blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void sink_put(struct sink *k, const unsigned char *b, size_t n)
{
    size_t j;

    if (!k)
        return;
    if (!k->msg) {
        for (j = 0; j < n; j++, k->keylen++)
            if (k->keylen < sizeof k->key)
                k->key[k->keylen] = (char)b[j];
        return;
    }
    for (j = 0; j < n; j++) {
        struct engine_cut_message *m = k->msg;
        if (m->head_len < ENGINE_CUT_HEAD)
            m->head[m->head_len++] = (char)b[j];
        if (!blank(b[j])) {
            if (k->first_ns == (size_t)-1)
                k->first_ns = m->len;
            k->last_ns_end = m->len + 1;
            k->last_is_dot = b[j] == '.';
        }
        m->len++;
    }
}

/* JSON white space (RFC 8259): fewer bytes than blank(). */
static void ws(struct scan *s)
{
    while (s->i < s->n &&
           (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\n' || s->p[s->i] == '\r'))
        s->i++;
}

/* Four hex digits at s->i; MORE when they are not all there yet. */
static int hex4(struct scan *s, unsigned *v)
{
    size_t j;

    *v = 0;
    for (j = 0; j < 4; j++) {
        int h;
        if (s->i + j >= s->n)
            return MORE;
        h = ac_hex_value(s->p[s->i + j]);
        if (h < 0)
            return BAD;
        *v = *v * 16 + (unsigned)h;
    }
    s->i += 4;
    return OK;
}

static size_t utf8_encode(unsigned cp, unsigned char *b)
{
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | cp >> 6);
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | cp >> 12);
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | cp >> 18);
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string, its opening quote at s->i; what jansson accepts (without
 * JSON_ALLOW_NUL): valid UTF-8, no control characters, valid escapes,
 * surrogates only in pairs, no \u0000. */
static int string(struct scan *s, struct sink *k)
{
    s->i++;
    while (s->i < s->n) {
        unsigned char c = s->p[s->i], b[4];
        if (c == '"') {
            s->i++;
            return OK;
        }
        if (c < 0x20)
            return BAD;
        if (c == '\\') {
            static const char esc[] = "\"\\/bfnrt", val[] = "\"\\/\b\f\n\r\t";
            const char *e;
            unsigned cp, lo;
            int r;
            if (s->i + 1 >= s->n)
                return MORE;
            e = strchr(esc, s->p[s->i + 1]);
            if (e && *e) {
                b[0] = (unsigned char)val[e - esc];
                sink_put(k, b, 1);
                s->i += 2;
                continue;
            }
            if (s->p[s->i + 1] != 'u')
                return BAD;
            s->i += 2;
            r = hex4(s, &cp);
            if (r != OK)
                return r;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return BAD;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (s->i + 2 > s->n)
                    return s->i < s->n && s->p[s->i] != '\\' ? BAD : MORE;
                if (s->p[s->i] != '\\' || s->p[s->i + 1] != 'u')
                    return BAD;
                s->i += 2;
                r = hex4(s, &lo);
                if (r != OK)
                    return r;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return BAD;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (cp == 0)
                return BAD;
            sink_put(k, b, utf8_encode(cp, b));
            continue;
        }
        if (c < 0x80) {
            sink_put(k, &c, 1);
            s->i++;
            continue;
        }
        {
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2, got;
            unsigned cp;
            if (s->i + need > s->n) {
                /* Cut inside a character: fine if what is there could
                 * still become one. */
                size_t j;
                if (c < 0xC2 || c > 0xF4)
                    return BAD;
                for (j = 1; s->i + j < s->n; j++)
                    if ((s->p[s->i + j] & 0xC0) != 0x80)
                        return BAD;
                return MORE;
            }
            got = ac_utf8_decode(s->p + s->i, need, &cp);
            if (got != need)
                return BAD;
            sink_put(k, s->p + s->i, need);
            s->i += need;
        }
    }
    return MORE;
}

static int literal(struct scan *s, const char *w)
{
    size_t j, n = strlen(w);

    for (j = 0; j < n; j++) {
        if (s->i + j >= s->n)
            return MORE;
        if (s->p[s->i + j] != (unsigned char)w[j])
            return BAD;
    }
    s->i += n;
    return OK;
}

static int number(struct scan *s)
{
    size_t d;

#define AT_END (s->i >= s->n)
#define CUR (s->p[s->i])
    if (!AT_END && CUR == '-')
        s->i++;
    if (AT_END)
        return MORE;
    if (CUR == '0') {
        s->i++;
    } else if (CUR >= '1' && CUR <= '9') {
        while (!AT_END && is_digit((char)CUR))
            s->i++;
    } else {
        return BAD;
    }
    if (!AT_END && CUR == '.') {
        s->i++;
        for (d = 0; !AT_END && is_digit((char)CUR); d++)
            s->i++;
        if (!d)
            return AT_END ? MORE : BAD;
    }
    if (!AT_END && (CUR == 'e' || CUR == 'E')) {
        s->i++;
        if (!AT_END && (CUR == '+' || CUR == '-'))
            s->i++;
        for (d = 0; !AT_END && is_digit((char)CUR); d++)
            s->i++;
        if (!d)
            return AT_END ? MORE : BAD;
    }
    /* A number that reaches the end of the bytes may go on. */
    return AT_END ? MORE : OK;
#undef AT_END
#undef CUR
}

static int value(struct scan *s, int depth);

/* The members or elements of an object or array after its opening byte. */
static int container(struct scan *s, int depth, int object)
{
    char close = object ? '}' : ']';
    int r;

    s->i++;
    ws(s);
    if (s->i >= s->n)
        return MORE;
    if (s->p[s->i] == (unsigned char)close) {
        s->i++;
        return OK;
    }
    for (;;) {
        if (object) {
            if (s->i >= s->n)
                return MORE;
            if (s->p[s->i] != '"')
                return BAD;
            if ((r = string(s, NULL)) != OK)
                return r;
            ws(s);
            if (s->i >= s->n)
                return MORE;
            if (s->p[s->i++] != ':')
                return BAD;
            ws(s);
        }
        if ((r = value(s, depth + 1)) != OK)
            return r;
        ws(s);
        if (s->i >= s->n)
            return MORE;
        if (s->p[s->i] == (unsigned char)close) {
            s->i++;
            return OK;
        }
        if (s->p[s->i++] != ',')
            return BAD;
        ws(s);
    }
}

static int value(struct scan *s, int depth)
{
    unsigned char c;

    if (s->i >= s->n)
        return MORE;
    if (depth > MAX_DEPTH)
        return BAD; /* nothing to say about such a body; not worth a stack */
    c = s->p[s->i];
    if (c == '"')
        return string(s, NULL);
    if (c == '{' || c == '[')
        return container(s, depth, c == '{');
    if (c == 't')
        return literal(s, "true");
    if (c == 'f')
        return literal(s, "false");
    if (c == 'n')
        return literal(s, "null");
    return number(s);
}

/* The next reference token of a JSON Pointer (*ptr at its '/'), decoded
 * (~1 is '/', ~0 is '~') into tok; *ptr moves past it. Its length, or
 * (size_t)-1 when longer than tok holds. */
static size_t pointer_token(const char **ptr, char *tok, size_t size)
{
    const char *p = *ptr + 1;
    size_t n = 0;

    for (; *p && *p != '/'; p++) {
        char c = *p;
        if (c == '~' && (p[1] == '0' || p[1] == '1'))
            c = *++p == '1' ? '/' : '~';
        if (n >= size)
            n = (size_t)-1;
        if (n == (size_t)-1)
            continue;
        tok[n++] = c;
    }
    *ptr = p;
    return n;
}

/* s at an object's '{': follows ptr (its remaining tokens, each an object
 * member) down to the message string and reads it into out. */
static void scan_member(struct scan *s, const char *ptr, struct engine_cut_message *out, int depth)
{
    char tok[sizeof((struct sink *)0)->key];
    size_t toklen = pointer_token(&ptr, tok, sizeof tok);

    if (toklen == (size_t)-1 || depth > MAX_DEPTH)
        return;
    s->i++;
    for (;;) {
        struct sink key;
        memset(&key, 0, sizeof key);
        ws(s);
        if (s->i >= s->n || s->p[s->i] != '"' || string(s, &key) != OK)
            return;
        ws(s);
        if (s->i >= s->n || s->p[s->i++] != ':')
            return;
        ws(s);
        if (s->i >= s->n)
            return;
        if (key.keylen == toklen && memcmp(key.key, tok, toklen) == 0) {
            struct sink m;
            int r;
            if (*ptr) { /* more tokens: an object to go into */
                if (s->p[s->i] == '{')
                    scan_member(s, ptr, out, depth + 1);
                return;
            }
            if (s->p[s->i] != '"')
                return;
            memset(&m, 0, sizeof m);
            m.msg = out;
            m.first_ns = (size_t)-1;
            r = string(s, &m);
            if (r == BAD) {
                memset(out, 0, sizeof *out);
                return;
            }
            out->seen = 1;
            out->whole = r == OK;
            out->head[out->head_len] = '\0';
            if (m.first_ns != (size_t)-1)
                out->norm_len = m.last_ns_end - m.first_ns - (size_t)m.last_is_dot;
            return;
        }
        if (value(s, depth + 1) != OK)
            return;
        ws(s);
        if (s->i >= s->n || s->p[s->i] != ',')
            return; /* the object ended, or broke, without the member */
        s->i++;
    }
}

void engine_cut_message_scan(const char *body, size_t n, const char *pointer,
                             struct engine_cut_message *out)
{
    struct scan s = {(const unsigned char *)body, n, 0};

    memset(out, 0, sizeof *out);
    if (!body || !pointer || pointer[0] != '/')
        return;
    ws(&s);
    if (s.i >= s.n || s.p[s.i] != '{')
        return;
    scan_member(&s, pointer, out, 1);
}
