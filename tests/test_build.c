#define _GNU_SOURCE /* memmem */
/* tests/test_build.c -- the Makefile: what plain `make` builds.
 *
 * `make -n` with no goal, against an empty build directory, shows the
 * default goal's plan without building anything. A fresh clone must get
 * every program from plain `make` (README: the two commands first), so the
 * plan must link build/apiconform and build/apiconform-ref.
 *
 * And the gate make test runs over the objects: mk/circles.sh must find a
 * circle planted between two objects, and pass one-way calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* 1 when plan holds a link line whose output is exactly path. */
static int links(const char *plan, const char *path)
{
    char needle[600];
    const char *p;

    snprintf(needle, sizeof needle, " -o %s ", path);
    for (p = strstr(plan, needle); p; p = strstr(p + 1, needle)) {
        const char *eol = strchr(p, '\n');
        /* An object is compiled with "-c -o x.o"; a link line has no -c. */
        const char *bol = p;
        while (bol > plan && bol[-1] != '\n')
            bol--;
        if (!eol)
            eol = p + strlen(p);
        if (!memmem(bol, (size_t)(eol - bol), " -c ", 4))
            return 1;
    }
    return 0;
}

static void test_build_plain_make_builds_every_program(void)
{
    char tmpl[] = "/tmp/ac-build-XXXXXX", dir_arg[600], prog[600], ref[600], test[600];
    char *dir = mkdtemp(tmpl), *out = NULL, *err = NULL;
    /* Cleared so that the make running this test passes nothing on (its
     * jobserver, its variables) to the make under test. */
    char *argv[] = {(char *)"/usr/bin/env",
                    (char *)"-u",
                    (char *)"MAKEFLAGS",
                    (char *)"-u",
                    (char *)"MFLAGS",
                    (char *)"-u",
                    (char *)"MAKELEVEL",
                    (char *)"make",
                    (char *)"-n",
                    (char *)"-C",
                    (char *)t_root(),
                    dir_arg,
                    NULL};

    T_TRUE(dir != NULL);
    if (!dir)
        return;
    snprintf(dir_arg, sizeof dir_arg, "BUILD=%s", dir);
    snprintf(prog, sizeof prog, "%s/apiconform", dir);
    snprintf(ref, sizeof ref, "%s/apiconform-ref", dir);
    snprintf(test, sizeof test, "%s/tests/test_common", dir);
    T_EQ_INT(t_run(argv, NULL, &out, &err), 0);
    T_EQ_INT(links(out, prog), 1);
    T_EQ_INT(links(out, ref), 1);
    T_EQ_INT(links(out, test), 1);
    free(out);
    free(err);
    rmdir(dir);
}

/* Writes text to dir/name; 0 or -1. */
static int put(const char *dir, const char *name, const char *text)
{
    char path[700];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Compiles dir/name.c into dir/name.o; the exit status of cc. */
static int compile(const char *dir, const char *name)
{
    char src[700], obj[700];
    char *argv[] = {
        (char *)"/usr/bin/env", (char *)"cc", (char *)"-c", (char *)"-o", obj, src, NULL};

    snprintf(src, sizeof src, "%s/%s.c", dir, name);
    snprintf(obj, sizeof obj, "%s/%s.o", dir, name);
    return t_run(argv, NULL, NULL, NULL);
}

static void test_build_circles_finds_a_circle(void)
{
    char tmpl[] = "/tmp/ac-circles-XXXXXX", script[600];
    char *dir = mkdtemp(tmpl), *out = NULL, *err = NULL;
    char *argv[] = {(char *)"/bin/sh", script, dir, NULL};

    T_TRUE(dir != NULL);
    if (!dir)
        return;
    snprintf(script, sizeof script, "%s/mk/circles.sh", t_root());
    /* One way: a calls b. */
    T_EQ_INT(put(dir, "a.c", "int b(void);\nint a(void);\nint a(void) { return b(); }\n"), 0);
    T_EQ_INT(put(dir, "b.c", "int b(void);\nint b(void) { return 1; }\n"), 0);
    T_EQ_INT(compile(dir, "a"), 0);
    T_EQ_INT(compile(dir, "b"), 0);
    T_EQ_INT(t_run(argv, NULL, &out, &err), 0);
    T_CONTAINS(out, "circles: none");
    free(out);
    free(err);
    /* And back: b calls a. */
    T_EQ_INT(put(dir, "b.c", "int a(void);\nint b(void);\nint b(void) { return a() - 1; }\n"), 0);
    T_EQ_INT(compile(dir, "b"), 0);
    T_EQ_INT(t_run(argv, NULL, &out, &err), 1);
    T_CONTAINS(out, "circle of 2 files: a.o b.o");
    T_CONTAINS(out, "a.o -> b.o: b");
    T_CONTAINS(out, "b.o -> a.o: a");
    free(out);
    free(err);
    T_EQ_INT(t_run((char *[]){(char *)"/bin/rm", (char *)"-rf", dir, NULL}, NULL, NULL, NULL), 0);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("the build", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "plain make builds every program",
                     test_build_plain_make_builds_every_program) ||
        !CU_add_test(s, "mk/circles.sh finds a circle between two files",
                     test_build_circles_finds_a_circle))
        return -1;
    return 0;
}
