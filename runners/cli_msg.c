/* runners/cli_msg.c -- what the apiconform program says on stderr when
 * something goes wrong, for every subcommand: errors, usage errors, the
 * one out-of-memory wording, and the memory reserve behind it. A unit of
 * its own so that the subcommands and main.c call it, never each other. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* jansson asserts instead of failing cleanly when some of its allocations
 * fail mid-parse (2.14, lex_scan_string). Its allocations therefore come
 * with a reserve: when one fails, the reserve is released and the
 * allocation tried again, and the run is marked as having run out of
 * memory, so it ends in error instead of a crash. */
static void *reserve;
static int memory_ran_out;

static void *json_alloc(size_t n)
{
    void *p = malloc(n);

    if (!p) {
        memory_ran_out = 1;
        free(reserve);
        reserve = NULL;
        p = malloc(n);
    }
    return p;
}

void cli_memory_reserve(void)
{
    reserve = malloc(1 << 20);
    json_set_alloc_funcs(json_alloc, free);
}

void cli_memory_release(void)
{
    free(reserve);
    reserve = NULL;
}

int cli_memory_verdict(int rc)
{
    if (!memory_ran_out)
        return rc;
    cli_error(AC_NOMEM_TEXT " during the run: its results cannot be trusted");
    return CLI_EXIT_ERROR;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("apiconform: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_error_ac(const struct ac_error *e)
{
    char text[600];
    cli_error("%s", ac_error_str(e, text, sizeof text));
}

void cli_error_nomem(void)
{
    cli_error("%s", AC_NOMEM_TEXT);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("apiconform: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'apiconform --help' for more information.\n", stderr);
    return CLI_EXIT_USAGE;
}
