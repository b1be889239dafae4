/* tests/harness.c -- main() of every test binary: registers the file's
 * suites, runs them verbosely and exits 1 when anything failed. */
#define _GNU_SOURCE /* memmem */
#include "testutil.h"

#include <CUnit/Basic.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char msgbuf[8192];

int t_eq_int(long long actual, long long expected, const char *what, int line, const char *file)
{
    snprintf(msgbuf, sizeof msgbuf, "%s: expected %lld, got %lld", what, expected, actual);
    return CU_assertImplementation(actual == expected, (unsigned)line, msgbuf, file, "", CU_FALSE);
}

int t_eq_str(const char *actual, const char *expected, const char *what, int line, const char *file)
{
    int ok = (actual && expected) ? strcmp(actual, expected) == 0 : actual == expected;
    snprintf(msgbuf, sizeof msgbuf, "%s: expected \"%s\", got \"%s\"", what,
             expected ? expected : "(null)", actual ? actual : "(null)");
    return CU_assertImplementation(ok, (unsigned)line, msgbuf, file, "", CU_FALSE);
}

int t_contains(const char *hay, const char *needle, const char *what, int line, const char *file)
{
    int ok = hay && strstr(hay, needle) != NULL;
    snprintf(msgbuf, sizeof msgbuf, "%s: expected to contain \"%s\", got \"%.3000s\"", what, needle,
             hay ? hay : "(null)");
    return CU_assertImplementation(ok, (unsigned)line, msgbuf, file, "", CU_FALSE);
}

int t_not_contains(const char *hay, const char *needle, const char *what, int line,
                   const char *file)
{
    /* A missing text proves nothing: it fails. */
    int ok = hay && strstr(hay, needle) == NULL;
    snprintf(msgbuf, sizeof msgbuf, "%s: expected not to contain \"%s\"%s", what, needle,
             hay ? "" : ", got no text at all (missing file or output)");
    return CU_assertImplementation(ok, (unsigned)line, msgbuf, file, "", CU_FALSE);
}

/* ---- decodable views of a secret (t_no_secret) ---------------------- */

static int hexdigit(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* UTF-8 of cp into out; returns its length. */
static size_t utf8(unsigned long cp, char *out)
{
    if (cp < 0x80)
        return out[0] = (char)cp, 1;
    if (cp < 0x800)
        return out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 63)), 2;
    if (cp < 0x10000)
        return out[0] = (char)(0xe0 | cp >> 12), out[1] = (char)(0x80 | (cp >> 6 & 63)),
               out[2] = (char)(0x80 | (cp & 63)), 3;
    return out[0] = (char)(0xf0 | cp >> 18), out[1] = (char)(0x80 | (cp >> 12 & 63)),
           out[2] = (char)(0x80 | (cp >> 6 & 63)), out[3] = (char)(0x80 | (cp & 63)), 4;
}

/* Percent-decoding, any case; 'p'. JSON unescaping; 'j'. XML/HTML
 * references; 'x'. Each returns a heap string (never longer). */
static char *decode(const char *s, size_t n, int how, size_t *outn)
{
    char *o = malloc(n + 1);
    size_t i = 0, k = 0;

    if (!o)
        abort();
    while (i < n) {
        if (how == 'p' && s[i] == '%' && i + 2 < n && hexdigit(s[i + 1]) >= 0 &&
            hexdigit(s[i + 2]) >= 0) {
            o[k++] = (char)(hexdigit(s[i + 1]) * 16 + hexdigit(s[i + 2]));
            i += 3;
        } else if (how == 'j' && s[i] == '\\' && i + 1 < n) {
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *hit = strchr(from, s[i + 1]);
            if (s[i + 1] && hit) {
                o[k++] = to[hit - from];
                i += 2;
            } else if (s[i + 1] == 'u' && i + 5 < n && hexdigit(s[i + 2]) >= 0 &&
                       hexdigit(s[i + 3]) >= 0 && hexdigit(s[i + 4]) >= 0 &&
                       hexdigit(s[i + 5]) >= 0) {
                unsigned long cp =
                    (unsigned long)(hexdigit(s[i + 2]) << 12 | hexdigit(s[i + 3]) << 8 |
                                    hexdigit(s[i + 4]) << 4 | hexdigit(s[i + 5]));
                k += utf8(cp, o + k);
                i += 6;
            } else {
                o[k++] = s[i++];
            }
        } else if (how == 'x' && s[i] == '&') {
            static const char *names[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
            static const char chars[] = "&<>\"'";
            const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
            size_t m;
            for (m = 0; m < 5; m++)
                if (!strncmp(s + i, names[m], strlen(names[m])))
                    break;
            if (m < 5) {
                o[k++] = chars[m];
                i += strlen(names[m]);
            } else if (semi && s[i + 1] == '#') {
                unsigned long cp = (s[i + 2] == 'x' || s[i + 2] == 'X')
                                       ? strtoul(s + i + 3, NULL, 16)
                                       : strtoul(s + i + 2, NULL, 10);
                k += utf8(cp, o + k);
                i = (size_t)(semi - s) + 1;
            } else {
                o[k++] = s[i++];
            }
        } else {
            o[k++] = s[i++];
        }
    }
    o[k] = '\0';
    *outn = k;
    return o;
}

/* The characters of base64(a filler bytes + s) that depend on s alone. */
static void b64_middle(const char *s, int a, int urlsafe, char *out)
{
    const char *tbl = urlsafe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                              : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char buf[600];
    size_t n = strlen(s), total = (size_t)a + n, i, k = 0, b;

    memset(buf, 'u', (size_t)a);
    memcpy(buf + a, s, n);
    buf[total] = buf[total + 1] = 0;
    for (i = 0; i * 6 + 5 < total * 8; i++) {
        unsigned v = 0;
        if (i * 6 / 8 < (size_t)a)
            continue;
        for (b = 0; b < 6; b++)
            v = v << 1 | (buf[(i * 6 + b) / 8] >> (7 - (i * 6 + b) % 8) & 1);
        out[k++] = tbl[v];
    }
    out[k] = '\0';
}

/* 0 when view shows the secret raw, as hex in either case or as base64 of
 * any alignment in either alphabet; else which. */
static const char *shows(const char *view, size_t n, const char *secret)
{
    static char why[64];
    char hex[1100], b64[900], *low;
    size_t i, sl = strlen(secret);
    int a, u;

    if (memmem(view, n, secret, sl))
        return "raw";
    /* A text cut inside the secret: 8 bytes of it are already too many. */
    for (i = 0; i + 8 <= sl; i++)
        if (memmem(view, n, secret + i, 8)) {
            snprintf(why, sizeof why, "raw bytes %zu..%zu", i, i + 7);
            return why;
        }
    for (i = 0; i < sl && i < 500; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)secret[i]);
    low = malloc(n + 1);
    if (!low)
        abort();
    for (i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)view[i]);
    i = memmem(low, n, hex, 2 * sl) != NULL;
    free(low);
    if (i)
        return "hex";
    for (a = 0; a < 3; a++)
        for (u = 0; u < 2; u++) {
            b64_middle(secret, a, u, b64);
            if (memmem(view, n, b64, strlen(b64))) {
                snprintf(why, sizeof why, "base64 at alignment %d%s", a, u ? ", URL-safe" : "");
                return why;
            }
        }
    return NULL;
}

int t_no_secret(const char *hay, const char *secret, const char *what, int line, const char *file)
{
    /* Each decoding alone, and each pair in either order. */
    static const char *chains[] = {"", "p", "j", "x", "pj", "jp", "jx", "xj", "px", "xp"};
    const char *leak = NULL, *chain = "";
    size_t c;

    if (!hay) {
        snprintf(msgbuf, sizeof msgbuf,
                 "%s: no text to check for the secret (missing file or "
                 "output)",
                 what);
        return CU_assertImplementation(CU_FALSE, (unsigned)line, msgbuf, file, "", CU_FALSE);
    }
    for (c = 0; c < sizeof chains / sizeof chains[0] && !leak; c++) {
        char *view = strdup(hay), *next;
        size_t n = strlen(hay);
        const char *step;
        for (step = chains[c]; *step; step++) {
            next = decode(view, n, *step, &n);
            free(view);
            view = next;
        }
        leak = shows(view, n, secret);
        chain = chains[c];
        free(view);
    }
    snprintf(msgbuf, sizeof msgbuf, "%s: the secret leaked (%s, after decoding '%s')", what,
             leak ? leak : "-", chain);
    return CU_assertImplementation(!leak, (unsigned)line, msgbuf, file, "", CU_FALSE);
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

const char *t_root(void)
{
    return env_or("AC_ROOT", ".");
}
const char *t_build(void)
{
    return env_or("AC_BUILD", "build");
}
const char *t_shared(void)
{
    return env_or("AC_SHARED", "../shared");
}

const char *t_path(const char *fmt, ...)
{
    static char bufs[32][4096];
    static int next;
    char *b = bufs[next++ % 32];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b, sizeof bufs[0], fmt, ap);
    va_end(ap);
    return b;
}

static void drain(int fd, char **dst)
{
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    ssize_t n;

    while (b) {
        if (len + 1 >= cap) {
            char *nb = cap < (16u << 20) ? realloc(b, cap * 2) : NULL;
            if (!nb)
                break;
            b = nb;
            cap *= 2;
        }
        n = read(fd, b + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    if (b)
        b[len] = '\0';
    if (dst)
        *dst = b;
    else
        free(b);
}

/* Starts argv with stdin from /dev/null, stdout to fo and stderr to fe,
 * env_extra added to the environment. The child's pid, or -1. */
static pid_t spawn(char *const argv[], char *const env_extra[], int fo, int fe)
{
    pid_t pid = fork();

    if (pid == 0) {
        int dn = open("/dev/null", O_RDONLY);
        dup2(dn, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        if (env_extra)
            for (int i = 0; env_extra[i]; i++)
                putenv(env_extra[i]);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

int t_run(char *const argv[], char *const env_extra[], char **out, char **err)
{
    char tmpl_o[] = "/tmp/actest-out-XXXXXX", tmpl_e[] = "/tmp/actest-err-XXXXXX";
    int fo = mkstemp(tmpl_o), fe = mkstemp(tmpl_e), status = -1;
    pid_t pid;

    if (fo < 0 || fe < 0)
        return -1;
    unlink(tmpl_o);
    unlink(tmpl_e);
    pid = spawn(argv, env_extra, fo, fe);
    /* A watchdog: a hung child fails the test instead of hanging make test. */
    {
        int waited_ms = 0;
        pid_t w;
        while ((w = waitpid(pid, &status, WNOHANG)) == 0 && waited_ms < T_RUN_TIMEOUT_MS) {
            usleep(10000);
            waited_ms += 10;
        }
        if (w == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            close(fo);
            close(fe);
            if (out)
                *out = strdup("");
            if (err)
                *err = strdup("killed by the test watchdog");
            return 124;
        }
    }
    lseek(fo, 0, SEEK_SET);
    lseek(fe, 0, SEEK_SET);
    drain(fo, out);
    drain(fe, err);
    close(fo);
    close(fe);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int t_run_signal(char *const argv[], char *const env_extra[], char **out, char **err, int sig,
                 int (*ready)(void *ud), void *ud, int second_ms, long long *exit_ms)
{
    char tmpl_o[] = "/tmp/actest-out-XXXXXX", tmpl_e[] = "/tmp/actest-err-XXXXXX";
    int fo = mkstemp(tmpl_o), fe = mkstemp(tmpl_e), status = -1, sent = 0;
    long long t0, last = 0;
    pid_t pid, w;

    *exit_ms = -1;
    if (fo < 0 || fe < 0)
        return -1;
    unlink(tmpl_o);
    unlink(tmpl_e);
    pid = spawn(argv, env_extra, fo, fe);
    t0 = mono_ms();
    while ((w = waitpid(pid, &status, WNOHANG)) == 0 && mono_ms() - t0 < T_RUN_TIMEOUT_MS) {
        long long now = mono_ms();
        if (!sent && (!ready || ready(ud) || now - t0 > 20000)) {
            kill(pid, sig);
            last = now;
            sent = 1;
        } else if (sent == 1 && second_ms >= 0 && now - last >= second_ms) {
            kill(pid, sig);
            last = now;
            sent = 2;
        }
        usleep(5000);
    }
    if (w == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    } else if (sent) {
        *exit_ms = mono_ms() - last;
    }
    lseek(fo, 0, SEEK_SET);
    lseek(fe, 0, SEEK_SET);
    drain(fo, out);
    drain(fe, err);
    close(fo);
    close(fe);
    if (w == 0)
        return 124;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

const char *t_write_temp(const char *name, const char *content, size_t len)
{
    static char dir[64];
    const char *path;
    FILE *f;

    if (!dir[0]) {
        strcpy(dir, "/tmp/actest-XXXXXX");
        if (!mkdtemp(dir))
            return NULL;
    }
    path = t_path("%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f)
        return NULL;
    fwrite(content, 1, len, f);
    fclose(f);
    return path;
}

char *t_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 4096, n = 0, got;
    char *b;

    if (!f)
        return NULL;
    b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!b)
        return NULL;
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

int main(int argc, char **argv)
{
    unsigned failed;

    signal(SIGPIPE, SIG_IGN);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (test_register() != 0) {
        /* A test file that cannot read its data has said why (exit 2). */
        if (CU_get_error() != CUE_SUCCESS)
            fprintf(stderr, "%s: cannot register tests: %s\n", argv[0], CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(argc > 1 && strcmp(argv[1], "-q") == 0 ? CU_BRM_NORMAL : CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed() +
             CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

int t_junit_validate(const char *path, char **why)
{
    const char *schemas[2];
    size_t n = 0, i;
    int rc = 0;

    if (why)
        *why = NULL;
    if (!path || access(path, R_OK) != 0) {
        if (why)
            *why = strdup("no such file");
        return -1;
    }
    schemas[n++] = t_path("%s/tests/data/junit-apiconform.xsd", t_root());
    if (access(t_path("%s/schemas/junit-10.xsd", t_shared()), R_OK) == 0)
        schemas[n++] = t_path("%s/schemas/junit-10.xsd", t_shared());
    for (i = 0; i < n && rc == 0; i++) {
        char *argv[] = {(char *)"/usr/bin/xmllint", (char *)"--noout", (char *)"--schema",
                        (char *)schemas[i],         (char *)path,      NULL};
        char *err = NULL;
        rc = t_run(argv, NULL, NULL, &err);
        if (rc != 0 && why) {
            size_t len = strlen(schemas[i]) + (err ? strlen(err) : 0) + 3;
            *why = malloc(len);
            if (*why)
                snprintf(*why, len, "%s: %s", schemas[i], err ? err : "");
        }
        free(err);
    }
    return rc;
}
