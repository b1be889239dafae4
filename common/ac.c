/* common/ac.c -- see ac.h. */
#include "ac.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ac_error_setv(struct ac_error *e, int code, const char *where, const char *fmt, va_list ap)
{
    if (!e || e->code != AC_ERR_NONE)
        return -1;
    e->code = code;
    snprintf(e->where, sizeof e->where, "%s", where ? where : "");
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    return -1;
}

int ac_error_set(struct ac_error *e, int code, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ac_error_setv(e, code, where, fmt, ap);
    va_end(ap);
    return -1;
}

int ac_error_nomem(struct ac_error *e, const char *where)
{
    return ac_error_set(e, AC_ERR_NOMEM, where, "%s", AC_NOMEM_TEXT);
}

void ac_error_clear(struct ac_error *e)
{
    e->code = AC_ERR_NONE;
    e->where[0] = '\0';
    e->text[0] = '\0';
}

const char *ac_error_str(const struct ac_error *e, char *out, size_t size)
{
    if (e->where[0])
        snprintf(out, size, "%s: %s", e->where, e->text);
    else
        snprintf(out, size, "%s", e->text);
    return out;
}

void ac_buf_init(struct ac_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void ac_buf_release(struct ac_buf *b)
{
    free(b->data);
    ac_buf_init(b);
}

void ac_buf_reset(struct ac_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int ac_buf_grow(struct ac_buf *b, size_t more)
{
    size_t need, cap;
    char *p;

    if (more > (size_t)-1 - b->len - 1)
        return -1;
    need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        return -1;
    if (!b->data)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return 0;
}

int ac_buf_add(struct ac_buf *b, const void *p, size_t n)
{
    if (ac_buf_grow(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int ac_buf_adds(struct ac_buf *b, const char *s)
{
    return ac_buf_add(b, s, strlen(s));
}

int ac_buf_addc(struct ac_buf *b, char c)
{
    return ac_buf_add(b, &c, 1);
}

int ac_buf_addf(struct ac_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || ac_buf_grow(b, (size_t)n) < 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *ac_buf_take(struct ac_buf *b)
{
    char *p = b->data;

    if (!p)
        p = calloc(1, 1);
    ac_buf_init(b);
    return p;
}

size_t ac_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c;
    size_t len, i;

    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
        c = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        c = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, UTF-16 surrogates and values past Unicode's end. */
    if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10FFFF ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int ac_utf8_valid(const char *s, size_t n, size_t *bad_at)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k;
    unsigned cp;

    while (i < n) {
        k = ac_utf8_decode(u + i, n - i, &cp);
        if (k == 0) {
            if (bad_at)
                *bad_at = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

int ac_file_read(const char *path, size_t max_bytes, struct ac_buf *out, struct ac_error *err)
{
    FILE *f;
    char chunk[65536];
    size_t n;
    int rc = -1;

    f = fopen(path, "rb");
    if (!f)
        return ac_error_set(err, AC_ERR_IO, NULL, "cannot open '%s': %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (max_bytes && out->len + n > max_bytes) {
            ac_error_set(err, AC_ERR_IO, NULL, "'%s' is larger than %zu bytes", path, max_bytes);
            goto out;
        }
        if (ac_buf_add(out, chunk, n) < 0) {
            ac_error_nomem(err, path);
            goto out;
        }
    }
    if (ferror(f)) {
        ac_error_set(err, AC_ERR_IO, NULL, "cannot read '%s': %s", path, strerror(errno));
        goto out;
    }
    if (!out->data && ac_buf_grow(out, 0) < 0) {
        ac_error_nomem(err, path);
        goto out;
    }
    rc = 0;
out:
    fclose(f);
    return rc;
}

/* Where a write to path must go: path itself, or, when path is a symbolic
 * link (or a chain of them), the file it names, so that the link stays and
 * its target is written. *out is a heap string. 0, or -1 (loop, no memory). */
static int resolve_links(const char *path, char **out)
{
    char *cur = ac_strdup(path);
    int hops;

    for (hops = 0; cur && hops < 40; hops++) {
        struct stat st;
        char target[4096];
        ssize_t n;
        struct ac_buf next = AC_BUF_INIT;
        const char *slash;

        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            *out = cur;
            return 0;
        }
        n = readlink(cur, target, sizeof target - 1);
        if (n < 0)
            break;
        target[n] = '\0';
        slash = strrchr(cur, '/');
        if (target[0] != '/' && slash)
            ac_buf_addf(&next, "%.*s/%s", (int)(slash - cur), cur, target);
        else
            ac_buf_adds(&next, target);
        free(cur);
        cur = ac_buf_take(&next);
    }
    free(cur);
    errno = ELOOP;
    return -1;
}

/* Writes everything to an open descriptor; 0 or -1 with errno. */
static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The directory part of path ("." when it has none), into a heap string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    struct ac_buf b = AC_BUF_INIT;

    if (!slash)
        ac_buf_adds(&b, ".");
    else if (slash == path)
        ac_buf_adds(&b, "/");
    else
        ac_buf_add(&b, path, (size_t)(slash - path));
    return ac_buf_take(&b);
}

/* The descriptor a path names when it is one of the process's own:
 * /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N. Opening those anew
 * would start at offset 0 (over what the console already wrote) or, for a
 * pipe, fail to resolve; they are written through the descriptor. -1 for
 * any other path. */
static int own_fd(const char *path)
{
    const char *num = NULL;
    char *end;
    long fd;

    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        num = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        num = path + 14;
    if (!num || !*num)
        return -1;
    errno = 0;
    fd = strtol(num, &end, 10);
    if (errno || *end || fd < 0 || fd > 1024 || fcntl((int)fd, F_GETFD) < 0)
        return -1;
    return (int)fd;
}

int ac_file_check_writable(const char *path, struct ac_error *err)
{
    char *real = NULL, *dir = NULL;
    struct stat st;
    int rc = -1;

    if (strcmp(path, "-") == 0 || own_fd(path) >= 0)
        return 0;
    if (!*path)
        return ac_error_set(err, AC_ERR_USAGE, NULL, "an output path is empty");
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return ac_error_set(err, AC_ERR_USAGE, NULL, "cannot write '%s': it is a directory",
                                path);
        if (!S_ISREG(st.st_mode)) {
            /* A device or FIFO is written in place. */
            if (access(path, W_OK) != 0)
                return ac_error_set(err, AC_ERR_USAGE, NULL, "cannot write '%s': %s", path,
                                    strerror(errno));
            return 0;
        }
    }
    if (resolve_links(path, &real) < 0)
        return ac_error_set(err, AC_ERR_USAGE, NULL, "cannot write '%s': %s", path,
                            strerror(errno));
    dir = dir_of(real);
    if (!dir) {
        ac_error_nomem(err, NULL);
        goto out;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        ac_error_set(err, AC_ERR_USAGE, NULL, "cannot write '%s': directory '%s' does not exist",
                     path, dir);
    else if (access(dir, W_OK | X_OK) != 0)
        ac_error_set(err, AC_ERR_USAGE, NULL, "cannot write '%s': directory '%s': %s", path, dir,
                     strerror(errno));
    else
        rc = 0;
out:
    free(real);
    free(dir);
    return rc;
}

int ac_file_write_atomic(const char *path, const void *data, size_t len, struct ac_error *err)
{
    struct ac_buf tmp = AC_BUF_INIT;
    char *real = NULL;
    struct stat st;
    FILE *f = NULL;
    int rc = -1;

    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return ac_error_set(err, AC_ERR_IO, NULL, "cannot write to stdout: %s",
                                strerror(errno));
        return 0;
    }
    if (own_fd(path) >= 0) {
        fflush(stdout);
        fflush(stderr);
        if (write_all(own_fd(path), data, len) < 0)
            return ac_error_set(err, AC_ERR_IO, NULL, "cannot write '%s': %s", path,
                                strerror(errno));
        return 0;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* A FIFO, a terminal, /dev/null: write into it; replacing it would
         * turn the device into a regular file. */
        int fd = open(path, O_WRONLY | O_NOCTTY);
        if (fd < 0 || write_all(fd, data, len) < 0) {
            ac_error_set(err, AC_ERR_IO, NULL, "cannot write '%s': %s", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            goto out;
        }
        if (close(fd) != 0) {
            ac_error_set(err, AC_ERR_IO, NULL, "cannot write '%s': %s", path, strerror(errno));
            goto out;
        }
        rc = 0;
        goto out;
    }
    /* A regular file (or a new one) is replaced atomically, in the
     * directory of the link's target when path is a link. */
    if (resolve_links(path, &real) < 0)
        return ac_error_set(err, AC_ERR_IO, NULL, "cannot write '%s': %s", path, strerror(errno));
    if (ac_buf_addf(&tmp, "%s.tmp.%ld", real, (long)getpid()) < 0) {
        ac_error_nomem(err, NULL);
        goto out;
    }
    f = fopen(tmp.data, "wb");
    if (!f) {
        ac_error_set(err, AC_ERR_IO, NULL, "cannot create '%s': %s", path, strerror(errno));
        goto out;
    }
    if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        ac_error_set(err, AC_ERR_IO, NULL, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        ac_error_set(err, AC_ERR_IO, NULL, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp.data, real) != 0) {
        ac_error_set(err, AC_ERR_IO, NULL, "cannot rename to '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    if (rc < 0 && tmp.data)
        remove(tmp.data);
    ac_buf_release(&tmp);
    free(real);
    return rc;
}

#ifndef AC_DATADIR
#define AC_DATADIR "/usr/local/share/apiconform"
#endif

/* buf = realpath of candidate when it is readable; 1 then, else 0. */
static int found(const char *candidate, char *buf, size_t size)
{
    char *real;

    if (access(candidate, R_OK) != 0)
        return 0;
    real = realpath(candidate, NULL);
    snprintf(buf, size, "%s", real ? real : candidate);
    free(real);
    return 1;
}

const char *ac_data_path(const char *dev_path, const char *installed)
{
    static char buf[8192];
    char exe[2048], cand[8192], marker[8192];
    static const char *const ups[] = {"..", "../.."};
    ssize_t n;
    size_t i;
    char *slash;

    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            /* build/apiconform and build/asan/apiconform of a checkout */
            for (i = 0; i < sizeof ups / sizeof ups[0]; i++) {
                snprintf(marker, sizeof marker, "%.2000s/%s/catalog/module.mk", exe, ups[i]);
                snprintf(cand, sizeof cand, "%.2000s/%s/%.2000s", exe, ups[i], dev_path);
                if (access(marker, R_OK) == 0 && found(cand, buf, sizeof buf))
                    return buf;
            }
            snprintf(cand, sizeof cand, "%.2000s/../share/apiconform/%.2000s", exe, installed);
            if (found(cand, buf, sizeof buf))
                return buf;
        }
    }
    snprintf(buf, sizeof buf, "%s/%.2000s", AC_DATADIR, installed);
    return buf;
}

int ac_buf_add_terminal_safe(struct ac_buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int rc = 0;

    while (i < n && rc == 0) {
        unsigned cp = u[i];
        size_t len = u[i] < 0x80 ? 1 : ac_utf8_decode(u + i, n - i, &cp);
        if (!len || cp < 0x20 || cp == 0x7f) {
            rc = ac_buf_addf(out, "\\x%02x", u[i]);
            i++;
        } else if ((cp >= 0x80 && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
                   (cp >= 0x2066 && cp <= 0x2069)) {
            rc = ac_buf_addf(out, "\\u%04x", cp);
            i += len;
        } else {
            rc = ac_buf_add(out, s + i, len);
            i += len;
        }
    }
    return rc;
}

void ac_fput_safe(FILE *f, const char *s)
{
    struct ac_buf b = AC_BUF_INIT;

    if (!s)
        return;
    if (ac_buf_add_terminal_safe(&b, s, strlen(s)) == 0 && b.data)
        fputs(b.data, f);
    ac_buf_release(&b);
}

char *ac_strdup(const char *s)
{
    size_t n;
    char *p;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

size_t ac_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, row[65];

    if (la > 64 || lb > 64)
        return (size_t)-1;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

int ac_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
