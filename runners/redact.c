/* runners/redact.c -- see redact.h.
 *
 * A secret is not searched for in a list of spellings. The text is decoded
 * the ways a reader could decode it -- percent-escapes, JSON string escapes,
 * XML/HTML character references, and one such decoding applied to another
 * -- into views that each carry a map from every view byte back to the
 * source span it came from. The secret is then found in each view raw, as
 * hex (any case), and as the fully determined middle characters of its
 * base64 encoding at each of the three alignments in both alphabets; every
 * hit masks its source span. Views are only built when the text holds an
 * escape, so ordinary text costs one pass: a table of the byte pairs that
 * start or end a pattern rules out almost every position, and the patterns
 * filed under a pair are looked up by binary search. Patterns longer than
 * SHORT_PATTERN bytes are found with memmem, and at the edges with KMP. */
#define _GNU_SOURCE /* memmem */
#include "redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Matching considers at most this many bytes of one secret (a longer one
 * is masked by its first REDACT_MAX_SECRET bytes), which bounds the work. */
#define REDACT_MAX_SECRET 4096

enum pattern_kind { PAT_RAW, PAT_HEX, PAT_BASE64, PAT_WORD };

#define SHORT_PATTERN 256

struct pattern {
    char *s;
    size_t len;
    enum pattern_kind kind;
    size_t min_edge; /* shortest prefix/suffix masked at a text's end/start;
                        0: none (PAT_WORD) */
    size_t *fail;    /* KMP failure function of s, for the edges */
    size_t *rfail;   /* the same for s reversed */
};

/* A short pattern under the byte pair that starts (or ends) it. */
struct pair_ref {
    unsigned key; /* first byte << 8 | second */
    size_t pat;   /* index into pat */
};

struct redactor {
    char **secrets; /* raw, for de-duplication */
    size_t nsecrets;
    struct pattern *pat;
    size_t npat;
    size_t max_len; /* longest secret considered, bytes */
    /* Patterns of at most SHORT_PATTERN bytes are found in one pass over
     * a view: a bit per byte pair that starts (head) or ends (tail) one,
     * and the patterns of each pair, sorted by pair, so that the work per
     * text does not grow with the number of secrets. */
    unsigned char head[65536 / 8], tail[65536 / 8];
    struct pair_ref *heads, *tails;
    size_t nheads, ntails;
    int long_hex; /* a PAT_HEX pattern is longer: views need a folded copy */
};

struct redactor *redact_new(void)
{
    return calloc(1, sizeof(struct redactor));
}

void redact_free(struct redactor *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->nsecrets; i++)
        free(r->secrets[i]);
    for (i = 0; i < r->npat; i++) {
        free(r->pat[i].s);
        free(r->pat[i].fail);
        free(r->pat[i].rfail);
    }
    free(r->secrets);
    free(r->pat);
    free(r->heads);
    free(r->tails);
    free(r);
}

/* ---- patterns ------------------------------------------------------- */

static size_t *kmp_fail(const char *s, size_t n, int reverse)
{
    size_t *f = malloc((n ? n : 1) * sizeof *f), i, k = 0;

    if (!f)
        return NULL;
    f[0] = 0;
    for (i = 1; i < n; i++) {
        char c = reverse ? s[n - 1 - i] : s[i];
        while (k > 0 && (reverse ? s[n - 1 - k] : s[k]) != c)
            k = f[k - 1];
        if ((reverse ? s[n - 1 - k] : s[k]) == c)
            k++;
        f[i] = k;
    }
    return f;
}

static unsigned pair_key(unsigned char a, unsigned char b)
{
    return (unsigned)a << 8 | b;
}

static int has_bit(const unsigned char *bits, unsigned key)
{
    return bits[key >> 3] >> (key & 7) & 1;
}

static int cmp_ref(const void *a, const void *b)
{
    const struct pair_ref *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->pat > y->pat) - (x->pat < y->pat);
}

/* Files pattern pat under the pair a b (hex patterns, lower case, under
 * every case of it). 0 or -1. */
static int add_pair(unsigned char *bits, struct pair_ref **refs, size_t *n, char a, char b,
                    int any_case, size_t pat)
{
    unsigned char ua = (unsigned char)a, ub = (unsigned char)b;
    unsigned keys[4];
    size_t nk = 0, k;
    struct pair_ref *nr;

    keys[nk++] = pair_key(ua, ub);
    if (any_case) {
        keys[nk++] = pair_key((unsigned char)toupper(ua), ub);
        keys[nk++] = pair_key(ua, (unsigned char)toupper(ub));
        keys[nk++] = pair_key((unsigned char)toupper(ua), (unsigned char)toupper(ub));
    }
    nr = realloc(*refs, (*n + nk) * sizeof *nr);
    if (!nr)
        return -1;
    *refs = nr;
    for (k = 0; k < nk; k++) {
        if (k && keys[k] == keys[k - 1])
            continue; /* a digit has one case */
        bits[keys[k] >> 3] |= (unsigned char)(1u << (keys[k] & 7));
        nr[*n].key = keys[k];
        nr[*n].pat = pat;
        (*n)++;
    }
    qsort(nr, *n, sizeof *nr, cmp_ref);
    return 0;
}

/* The first ref filed under key, or n. */
static size_t first_ref(const struct pair_ref *refs, size_t n, unsigned key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (refs[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int add_pattern(struct redactor *r, char *s, size_t len, enum pattern_kind kind,
                       size_t min_edge)
{
    struct pattern *np, p;
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < r->npat; i++) {
        if (r->pat[i].len == len && r->pat[i].kind == kind && memcmp(r->pat[i].s, s, len) == 0) {
            free(s);
            return 0;
        }
    }
    memset(&p, 0, sizeof p);
    p.s = s;
    p.len = len;
    p.kind = kind;
    p.min_edge = min_edge;
    if (min_edge && len > SHORT_PATTERN) {
        p.fail = kmp_fail(s, len, 0);
        p.rfail = kmp_fail(s, len, 1);
        if (!p.fail || !p.rfail)
            goto fail;
    }
    np = realloc(r->pat, (r->npat + 1) * sizeof *np);
    if (!np)
        goto fail;
    r->pat = np;
    r->pat[r->npat++] = p;
    if (kind != PAT_WORD && len <= SHORT_PATTERN) {
        /* A failure here leaves the pattern found by neither pass: -1
         * tells the caller the secret is not registered in full. */
        if (add_pair(r->head, &r->heads, &r->nheads, s[0], s[1], kind == PAT_HEX, r->npat - 1) <
                0 ||
            add_pair(r->tail, &r->tails, &r->ntails, s[len - 2], s[len - 1], kind == PAT_HEX,
                     r->npat - 1) < 0)
            return -1;
    } else if (kind == PAT_HEX) {
        r->long_hex = 1;
    }
    return 0;
fail:
    free(p.s);
    free(p.fail);
    free(p.rfail);
    return -1;
}

static char *hex_lower(const unsigned char *s, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *out = malloc(2 * n + 1);
    size_t i;

    if (!out)
        return NULL;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[s[i] >> 4];
        out[2 * i + 1] = digits[s[i] & 15];
    }
    out[2 * n] = '\0';
    return out;
}

/* The characters of base64(a filler bytes + s) that depend on s alone:
 * whatever precedes the secret in the encoded data, these appear. */
static char *base64_middle(const unsigned char *s, size_t n, int a, int urlsafe, size_t *len)
{
    static const char std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const char *tbl = urlsafe ? url : std;
    size_t total = (size_t)a + n, nchars = (total * 8 + 5) / 6, i, k = 0;
    char *out = malloc(nchars + 1);

    if (!out)
        return NULL;
    for (i = 0; i < nchars; i++) {
        size_t bit = 6 * i, first = bit / 8, last = (bit + 5) / 8;
        unsigned v = 0, b;
        if (first < (size_t)a || last >= total)
            continue;
        for (b = 0; b < 6; b++) {
            size_t at = bit + b;
            unsigned byte = s[at / 8 - (size_t)a];
            v = v << 1 | ((byte >> (7 - at % 8)) & 1);
        }
        out[k++] = tbl[v];
    }
    out[k] = '\0';
    *len = k;
    return out;
}

int redact_add(struct redactor *r, const char *secret)
{
    const unsigned char *u = (const unsigned char *)secret;
    size_t n, i, blen = 0;
    char **ns;
    int a, urlsafe;

    if (!secret || !*secret)
        return 0;
    n = strlen(secret);
    for (i = 0; i < r->nsecrets; i++)
        if (strcmp(r->secrets[i], secret) == 0)
            return 0;
    ns = realloc(r->secrets, (r->nsecrets + 1) * sizeof *ns);
    if (!ns)
        return -1;
    r->secrets = ns;
    ns[r->nsecrets] = ac_strdup(secret);
    if (!ns[r->nsecrets])
        return -1;
    r->nsecrets++;
    if (n > REDACT_MAX_SECRET)
        n = REDACT_MAX_SECRET;
    if (n < REDACT_MIN_SECRET)
        return add_pattern(r, ac_strdup(secret), n, PAT_WORD, 0);
    if (n > r->max_len)
        r->max_len = n;
    if (add_pattern(r, strndup(secret, n), n, PAT_RAW, REDACT_MIN_SECRET) < 0 ||
        add_pattern(r, hex_lower(u, n), 2 * n, PAT_HEX, 2 * REDACT_MIN_SECRET) < 0)
        return -1;
    for (a = 0; a < 3; a++) {
        for (urlsafe = 0; urlsafe < 2; urlsafe++) {
            char *b = base64_middle(u, n, a, urlsafe, &blen);
            /* 8 bytes are 10 or 11 characters of base64 */
            if (add_pattern(r, b, blen, PAT_BASE64, 10) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- views ---------------------------------------------------------- */

/* Text as a reader may decode it. lo[i]..hi[i] is the source span of
 * byte i; the source itself is a view without maps (lo == NULL). */
struct view {
    unsigned char *b;
    size_t n;
    size_t *lo, *hi;
};

static void view_release(struct view *v)
{
    free(v->b);
    free(v->lo);
    free(v->hi);
    memset(v, 0, sizeof *v);
}

static size_t src_lo(const struct view *v, size_t i)
{
    return v->lo ? v->lo[i] : i;
}

static size_t src_hi(const struct view *v, size_t i)
{
    return v->hi ? v->hi[i] : i + 1;
}

/* Appends code point cp as UTF-8; every byte maps to [lo, hi). */
static void put_cp(struct view *o, unsigned long cp, size_t lo, size_t hi)
{
    unsigned char u[4];
    size_t n, k;

    if (!o)
        return; /* a dry run: is there an escape here? */
    if (cp < 0x80)
        u[0] = (unsigned char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (unsigned char)(0xc0 | cp >> 6), u[1] = (unsigned char)(0x80 | (cp & 63)), n = 2;
    else if (cp < 0x10000)
        u[0] = (unsigned char)(0xe0 | cp >> 12), u[1] = (unsigned char)(0x80 | (cp >> 6 & 63)),
        u[2] = (unsigned char)(0x80 | (cp & 63)), n = 3;
    else
        u[0] = (unsigned char)(0xf0 | cp >> 18), u[1] = (unsigned char)(0x80 | (cp >> 12 & 63)),
        u[2] = (unsigned char)(0x80 | (cp >> 6 & 63)), u[3] = (unsigned char)(0x80 | (cp & 63)),
        n = 4;
    for (k = 0; k < n; k++) {
        o->b[o->n] = u[k];
        o->lo[o->n] = lo;
        o->hi[o->n] = hi;
        o->n++;
    }
}

static int hex4(const unsigned char *p, size_t avail, unsigned long *out)
{
    size_t k;
    unsigned long v = 0;

    if (avail < 4)
        return -1;
    for (k = 0; k < 4; k++) {
        int h = ac_hex_value(p[k]);
        if (h < 0)
            return -1;
        v = v << 4 | (unsigned long)h;
    }
    *out = v;
    return 0;
}

/* Decodes one escape at in->b[i] into o; returns the view bytes it used,
 * 0 when there is no escape there. */
static size_t decode_pct(const struct view *in, size_t i, struct view *o, size_t lo)
{
    const unsigned char *p = in->b + i;
    size_t avail = in->n - i;

    if (p[0] != '%' || avail < 3 || ac_hex_value(p[1]) < 0 || ac_hex_value(p[2]) < 0)
        return 0;
    put_cp(o, 0, lo, src_hi(in, i + 2));
    if (o) /* a byte, not a code point */
        o->b[o->n - 1] = (unsigned char)(ac_hex_value(p[1]) << 4 | ac_hex_value(p[2]));
    return 3;
}

static size_t decode_json(const struct view *in, size_t i, struct view *o, size_t lo)
{
    const unsigned char *p = in->b + i;
    size_t avail = in->n - i;
    unsigned long cp, low;
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit;

    if (p[0] != '\\' || avail < 2)
        return 0;
    hit = p[1] ? strchr(from, p[1]) : NULL;
    if (hit) {
        put_cp(o, (unsigned char)to[hit - from], lo, src_hi(in, i + 1));
        return 2;
    }
    if (p[1] != 'u' || hex4(p + 2, avail - 2, &cp) < 0)
        return 0;
    if (cp >= 0xd800 && cp < 0xdc00 && avail >= 12 && p[6] == '\\' && p[7] == 'u' &&
        hex4(p + 8, avail - 8, &low) == 0 && low >= 0xdc00 && low < 0xe000) {
        put_cp(o, 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00), lo, src_hi(in, i + 11));
        return 12;
    }
    put_cp(o, cp, lo, src_hi(in, i + 5));
    return 6;
}

static size_t decode_entity(const struct view *in, size_t i, struct view *o, size_t lo)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    const unsigned char *p = in->b + i;
    size_t avail = in->n - i, k, end;
    unsigned long cp = 0;

    if (p[0] != '&' || avail < 3)
        return 0;
    for (k = 0; k < sizeof named / sizeof named[0]; k++) {
        size_t l = strlen(named[k].name);
        if (avail > l && memcmp(p + 1, named[k].name, l) == 0) {
            put_cp(o, (unsigned char)named[k].c, lo, src_hi(in, i + l));
            return l + 1;
        }
    }
    if (p[1] != '#')
        return 0;
    /* Bounded: a reference of more than 12 characters is not decoded (and
     * the lookahead of redact_append_cut stays finite). */
    if (p[2] == 'x' || p[2] == 'X') {
        for (end = 3; end < avail && end < 12 && ac_hex_value(p[end]) >= 0; end++)
            cp = cp * 16 + (unsigned long)ac_hex_value(p[end]);
        if (end == 3)
            return 0;
    } else {
        for (end = 2; end < avail && end < 12 && isdigit(p[end]); end++)
            cp = cp * 10 + (unsigned long)(p[end] - '0');
        if (end == 2)
            return 0;
    }
    if (end >= avail || p[end] != ';' || cp > 0x10ffff)
        return 0;
    put_cp(o, cp, lo, src_hi(in, i + end));
    return end + 1;
}

/* Decodes one escape at in->b[i] into o (NULL: only says whether there is
 * one); returns the view bytes it used, 0 when there is no escape. */
typedef size_t (*decoder)(const struct view *in, size_t i, struct view *o, size_t lo);

/* o = in decoded by dec; bytes that start no escape are copied. When no
 * byte starts an escape (trigger: the byte every escape starts with),
 * o stays empty, with o->b NULL, and is not scanned. 0 or -1. */
static int view_decode(const struct view *in, decoder dec, int trigger, struct view *o)
{
    const unsigned char *at = in->b;
    size_t i = 0;

    memset(o, 0, sizeof *o);
    for (;;) {
        at = memchr(at, trigger, in->n - (size_t)(at - in->b));
        if (!at)
            return 0;
        if (dec(in, (size_t)(at - in->b), NULL, 0))
            break;
        at++;
    }
    /* Decoding never lengthens: a 4-byte UTF-8 sequence comes from 12. */
    o->b = malloc(in->n + 1);
    o->lo = malloc((in->n + 1) * sizeof *o->lo);
    o->hi = malloc((in->n + 1) * sizeof *o->hi);
    if (!o->b || !o->lo || !o->hi) {
        view_release(o);
        return -1;
    }
    while (i < in->n) {
        size_t used = in->b[i] == trigger ? dec(in, i, o, src_lo(in, i)) : 0;
        if (!used) {
            o->b[o->n] = in->b[i];
            o->lo[o->n] = src_lo(in, i);
            o->hi[o->n] = src_hi(in, i);
            o->n++;
            used = 1;
        }
        i += used;
    }
    return 0;
}

/* ---- matching ------------------------------------------------------- */

static void mark(unsigned char *marks, size_t lo, size_t hi)
{
    if (hi > lo)
        memset(marks + lo, 1, hi - lo);
}

static int is_b64(int c)
{
    return isalnum(c) || c == '+' || c == '/' || c == '-' || c == '_';
}

/* Marks view bytes [i, e) in the source. A base64 hit takes its whole
 * run of base64 characters and padding: the characters at its ends are
 * partly the secret, and the rest (a Basic-auth user name) is no better. */
static void mark_view(const struct view *v, size_t i, size_t e, enum pattern_kind kind,
                      unsigned char *marks)
{
    if (kind == PAT_BASE64) {
        while (i > 0 && is_b64(v->b[i - 1]))
            i--;
        while (e < v->n && (is_b64(v->b[e]) || v->b[e] == '='))
            e++;
    }
    mark(marks, src_lo(v, i), src_hi(v, e - 1));
}

static int same(const struct pattern *p, const unsigned char *text, const char *s, size_t n)
{
    size_t k;

    if (p->kind != PAT_HEX)
        return memcmp(text, s, n) == 0;
    for (k = 0; k < n; k++)
        if (tolower(text[k]) != (unsigned char)s[k])
            return 0;
    return 1;
}

/* Every occurrence of a long (or PAT_WORD) pattern p in v, by memmem. */
static void find_all(const struct pattern *p, const struct view *v, const unsigned char *folded,
                     unsigned char *marks)
{
    const unsigned char *hay = p->kind == PAT_HEX ? folded : v->b;
    size_t pos = 0;

    while (pos + p->len <= v->n) {
        const unsigned char *hit = memmem(hay + pos, v->n - pos, p->s, p->len);
        size_t at;
        if (!hit)
            break;
        at = (size_t)(hit - hay);
        if (p->kind == PAT_WORD && ((at > 0 && isalnum(hay[at - 1])) ||
                                    (at + p->len < v->n && isalnum(hay[at + p->len])))) {
            pos = at + 1;
            continue;
        }
        mark_view(v, at, at + p->len, p->kind, marks);
        pos = at + 1;
    }
}

/* A text cut inside a long pattern p: the longest proper prefix of p that
 * ends at view byte end, and the longest proper suffix of p that starts
 * the view, masked when at least min_edge long. A memmem of the first
 * (last) min_edge bytes rules most texts out; KMP keeps the rest linear
 * in the pattern's length. */
static void find_edges(const struct pattern *p, const struct view *v, const unsigned char *folded,
                       size_t end, unsigned char *marks)
{
    const unsigned char *hay = p->kind == PAT_HEX ? folded : v->b;
    size_t q = 0, i, m, from = end > p->len ? end - p->len + 1 : 0;

    if (end - from >= p->min_edge && memmem(hay + from, end - from, p->s, p->min_edge)) {
        for (i = from; i < end; i++) {
            unsigned char c = hay[i];
            while (q > 0 && (unsigned char)p->s[q] != c)
                q = p->fail[q - 1];
            if ((unsigned char)p->s[q] == c)
                q++;
            if (q == p->len)
                q = p->fail[q - 1];
        }
        if (q >= p->min_edge)
            mark_view(v, end - q, end, p->kind, marks);
    }
    /* The view's first bytes read backwards against p read backwards. */
    q = 0;
    m = v->n < p->len - 1 ? v->n : p->len - 1;
    if (m < p->min_edge || !memmem(hay, m, p->s + p->len - p->min_edge, p->min_edge))
        return;
    for (i = m; i-- > 0;) {
        unsigned char c = hay[i];
        while (q > 0 && (unsigned char)p->s[p->len - 1 - q] != c)
            q = p->rfail[q - 1];
        if ((unsigned char)p->s[p->len - 1 - q] == c)
            q++;
        if (q == p->len)
            q = p->rfail[q - 1];
    }
    if (q >= p->min_edge)
        mark_view(v, 0, q, p->kind, marks);
}

/* One pass for the short patterns: at every byte pair that starts one,
 * a whole match or a prefix that ends at the cut; at every pair that ends
 * one near the start, a suffix that starts the view. */
static void find_short(const struct redactor *r, const struct view *v, size_t end,
                       unsigned char *marks)
{
    const unsigned char *b = v->b;
    size_t i, k;

    for (i = 0; i + 1 < v->n; i++) {
        unsigned key = pair_key(b[i], b[i + 1]);
        if (has_bit(r->head, key)) {
            for (k = first_ref(r->heads, r->nheads, key); k < r->nheads && r->heads[k].key == key;
                 k++) {
                const struct pattern *p = &r->pat[r->heads[k].pat];
                if (i + p->len <= v->n && same(p, b + i, p->s, p->len))
                    mark_view(v, i, i + p->len, p->kind, marks);
                else if (i < end && end - i >= p->min_edge && end - i < p->len &&
                         same(p, b + i, p->s, end - i))
                    mark_view(v, i, end, p->kind, marks);
            }
        }
        if (i + 2 < SHORT_PATTERN && has_bit(r->tail, key)) {
            size_t q = i + 2;
            for (k = first_ref(r->tails, r->ntails, key); k < r->ntails && r->tails[k].key == key;
                 k++) {
                const struct pattern *p = &r->pat[r->tails[k].pat];
                if (q >= p->min_edge && q < p->len && same(p, b, p->s + p->len - q, q))
                    mark_view(v, 0, q, p->kind, marks);
            }
        }
    }
}

/* Marks secrets in one view; cut_end is the source offset where the text
 * shown ends (prefixes are masked there). */
static int scan_view(const struct redactor *r, const struct view *v, size_t cut_end,
                     unsigned char *marks)
{
    unsigned char *folded = NULL;
    size_t i, end = 0;

    if (r->long_hex) {
        folded = malloc(v->n + 1);
        if (!folded)
            return -1;
        for (i = 0; i < v->n; i++)
            folded[i] = (unsigned char)tolower(v->b[i]);
    }
    /* The view bytes that lie before the cut. */
    if (!v->lo)
        end = cut_end < v->n ? cut_end : v->n;
    else
        while (end < v->n && v->lo[end] < cut_end)
            end++;
    find_short(r, v, end, marks);
    for (i = 0; i < r->npat; i++) {
        const struct pattern *p = &r->pat[i];
        if (p->kind == PAT_WORD) {
            if (!v->lo) /* short values: raw only, see redact.h */
                find_all(p, v, folded, marks);
        } else if (p->len > SHORT_PATTERN) {
            find_all(p, v, folded, marks);
            find_edges(p, v, folded, end, marks);
        }
    }
    free(folded);
    return 0;
}

/* Marks, in marks[0..len), every decodable occurrence of every secret in
 * text[0..len), and the secret prefixes that end at shown. 0 or -1. */
static int mark_text(const struct redactor *r, const char *text, size_t len, size_t shown,
                     unsigned char *marks)
{
    struct view v[6];
    size_t nv = 1, i, ipct = 0, ijson = 0;
    int rc = -1;

    memset(v, 0, sizeof v);
    v[0].b = (unsigned char *)text;
    v[0].n = len;
    /* Each decoding, and the two that nest inside each other in practice
     * (a JSON string in a query, a query in a JSON string). */
    if (view_decode(&v[0], decode_pct, '%', &v[nv]) < 0)
        goto out;
    if (v[nv].b)
        ipct = nv++;
    if (view_decode(&v[0], decode_json, '\\', &v[nv]) < 0)
        goto out;
    if (v[nv].b)
        ijson = nv++;
    if (view_decode(&v[0], decode_entity, '&', &v[nv]) < 0)
        goto out;
    if (v[nv].b)
        nv++;
    if (ipct) {
        if (view_decode(&v[ipct], decode_json, '\\', &v[nv]) < 0)
            goto out;
        if (v[nv].b)
            nv++;
    }
    if (ijson) {
        if (view_decode(&v[ijson], decode_pct, '%', &v[nv]) < 0)
            goto out;
        if (v[nv].b)
            nv++;
    }
    for (i = 0; i < nv; i++)
        if (scan_view(r, &v[i], shown, marks) < 0)
            goto out;
    rc = 0;
out:
    for (i = 1; i < 6; i++)
        view_release(&v[i]);
    return rc;
}

int redact_append_cut(const struct redactor *r, const char *text, size_t len, size_t cap,
                      struct ac_buf *out)
{
    int cut = cap && len > cap;
    size_t shown = cut ? cap : len, window = len, i;
    unsigned char *marks;

    if (!r || !r->npat || !len)
        return ac_buf_add(out, text, shown) < 0 ? -1 : cut;
    /* A secret that straddles the cut is matched whole: look past the cut
     * by the longest source span an encoded secret can take (a byte
     * percent-encoded, then each character JSON-escaped: 18 bytes). */
    if (cut && len - cap > 24 * r->max_len + 64)
        window = cap + 24 * r->max_len + 64;
    marks = calloc(window, 1);
    if (!marks || mark_text(r, text, window, shown, marks) < 0)
        goto fail;
    for (i = 0; i < shown;) {
        size_t run = i;
        if (marks[i]) {
            while (i < shown && marks[i])
                i++;
            if (ac_buf_adds(out, "***") < 0)
                goto fail;
            continue;
        }
        while (i < shown && !marks[i])
            i++;
        if (ac_buf_add(out, text + run, i - run) < 0)
            goto fail;
    }
    free(marks);
    return cut;
fail:
    free(marks);
    return -1;
}

int redact_append(const struct redactor *r, const char *text, size_t len, struct ac_buf *out)
{
    return redact_append_cut(r, text, len, 0, out) < 0 ? -1 : 0;
}

char *redact_dup(const struct redactor *r, const char *s)
{
    struct ac_buf b = AC_BUF_INIT;

    if (!s)
        return NULL;
    if (redact_append(r, s, strlen(s), &b) < 0 || ac_buf_grow(&b, 0) < 0) {
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
    return has_word(name, len, "authorization") || has_word(name, len, "authenticate") ||
           has_word(name, len, "cookie") || has_word(name, len, "token") ||
           has_word(name, len, "secret") || has_word(name, len, "key") ||
           has_word(name, len, "session") || has_word(name, len, "password");
}

int redact_member_is_sensitive(const char *name)
{
    size_t len = strlen(name);
    return has_word(name, len, "token") || has_word(name, len, "secret") ||
           has_word(name, len, "password");
}
