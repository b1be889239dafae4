/* tests/failalloc.c -- an LD_PRELOAD library that makes one allocation fail.
 *
 * With FAILALLOC_AT=N in the environment, the Nth call to malloc, calloc or
 * realloc of the process (counting from the first) returns NULL with errno
 * ENOMEM; every other call goes to glibc. This covers our code, jansson,
 * libcurl and libc alike (glibc routes its own allocations through these
 * symbols). With FAILALLOC_REPORT=FILE, the number of calls is written to
 * FILE at exit, so a test can calibrate N. Test-only: never linked into a
 * program. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static long calls;
static long fail_at = -1; /* -1: not read yet; 0: never */

static int should_fail(void)
{
    if (fail_at < 0) {
        const char *v = getenv("FAILALLOC_AT");
        fail_at = v ? atol(v) : 0;
    }
    return ++calls == fail_at;
}

void *malloc(size_t n)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}

static void report(void) __attribute__((destructor));
static void report(void)
{
    const char *path = getenv("FAILALLOC_REPORT");
    char buf[32];
    int fd, n;

    if (!path)
        return;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    n = snprintf(buf, sizeof buf, "%ld\n", calls);
    if (write(fd, buf, (size_t)n) < 0)
        n = 0;
    close(fd);
}
