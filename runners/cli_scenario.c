/* runners/cli_scenario.c -- apiconform scenario new CODE: the skeleton of
 * a scenario file for a catalog code, in the format of suite/README.md.
 * Its request's method and path are placeholders the loader refuses, so an
 * unfinished scenario can never run by accident. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "cli.h"
#include "cli_opts.h"

enum { OPT_SERVICE = 256, OPT_CATALOG, OPT_CLASS };

static const struct cli_opt scenario_opts[] = {
    {"service", required_argument, OPT_SERVICE, "NN", "check that CODE belongs to service NN"},
    {"class", required_argument, OPT_CLASS, "CLASS",
     "stateless (default), stateful, limit or fault"},
    {"catalog", required_argument, OPT_CATALOG, "FILE", "catalog JSON (default: the shipped one)"},
    {"output", required_argument, 'o', "FILE", "write the file here (never over an existing one)"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof scenario_opts / sizeof scenario_opts[0])

/* The placeholders, exact: tests and users replace them. */
#define METHOD_PLACEHOLDER "TODO: GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS"
#define PATH_PLACEHOLDER "TODO: /api/v1/... that makes the target answer this code"

const struct cli_opt *cli_scenario_options(size_t *n)
{
    *n = NOPTS;
    return scenario_opts;
}

static void scenario_help(void)
{
    fputs("Usage: apiconform scenario new CODE [--service NN] [--class CLASS] [-o FILE]\n"
          "Print the skeleton of a scenario file for a catalog code: id, code, the\n"
          "catalog message as title, class, and a request whose method and path are\n"
          "placeholders (\"TODO: ...\") to fill in; the suite loader refuses the file\n"
          "until they are. Save it as suite/NN/CODE.json (see suite/README.md).\n"
          "\n"
          "Options:\n",
          stdout);
    cli_opts_help(stdout, scenario_opts, NOPTS);
    fputs("\nExit status: 0 written; 2 usage error, unknown code, or -o names an existing "
          "file;\n3 the file could not be written.\n",
          stdout);
}

/* The message as an id: lower-case letters and digits, runs of anything
 * else as one '-', at most 60 characters; "code-CODE" when nothing is left. */
static void id_from_message(const char *msg, long code, char *id, size_t size)
{
    size_t n = 0;
    int dash = 0;

    for (; msg && *msg && n + 2 < size && n < 60; msg++) {
        char ch = *msg;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (dash && n)
                id[n++] = '-';
            id[n++] = ch;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    id[n] = '\0';
    if (!n || !(id[0] >= 'a' && id[0] <= 'z'))
        snprintf(id, size, "code-%ld", code);
}

static long parse_num(const char *s, long lo, long hi)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    return v;
}

static int write_new(const char *path, const char *text)
{
    size_t len = strlen(text);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

    if (fd < 0 && errno == EEXIST)
        return cli_usage_error("scenario new: -o: '%s' already exists (not overwritten)", path);
    if (fd < 0) {
        cli_error("cannot create '%s': %s", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    if (write(fd, text, len) != (ssize_t)len) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return CLI_EXIT_ERROR;
    }
    if (close(fd) < 0) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        unlink(path);
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

int cli_scenario(int argc, char **argv)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2], id[80];
    const char *catalog_path = NULL, *out_path = NULL, *cls = "stateless";
    const struct catalog_entry *ce;
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *cat = NULL;
    json_t *doc = NULL;
    char *text = NULL;
    long service = -1, code;
    int opt, rc = CLI_EXIT_USAGE;

    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        scenario_help();
        return CLI_EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "new") != 0)
        return cli_usage_error(argc < 2 ? "scenario: missing subcommand (new)"
                                        : "scenario: unknown subcommand (expected new)");
    argc--;
    argv++;
    cli_opts_build(scenario_opts, NOPTS, longopts, shortopts);
    optind = 1;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_SERVICE:
            service = parse_num(optarg, 0, 99);
            if (service < 0)
                return cli_usage_error("scenario new: --service: expected a number 00-99, got "
                                       "'%s'",
                                       optarg);
            break;
        case OPT_CLASS:
            if (strcmp(optarg, "stateless") && strcmp(optarg, "stateful") &&
                strcmp(optarg, "limit") && strcmp(optarg, "fault"))
                return cli_usage_error("scenario new: --class: expected stateless, stateful, "
                                       "limit or fault, got '%s'",
                                       optarg);
            cls = optarg;
            break;
        case OPT_CATALOG: catalog_path = optarg; break;
        case 'o': out_path = optarg; break;
        case 'h': scenario_help(); return CLI_EXIT_OK;
        default: return cli_opts_error("scenario new", opt, argv, scenario_opts, NOPTS);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("scenario new: expected one CODE");
    code = parse_num(argv[optind], CATALOG_CODE_MIN, CATALOG_CODE_MAX);
    if (code < 0)
        return cli_usage_error("scenario new: expected a 7-digit catalog code, got '%s'",
                               argv[optind]);
    cat = catalog_load(catalog_path ? catalog_path : catalog_default_path(), &err);
    if (!cat) {
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    ce = catalog_find(cat, code);
    if (!ce) {
        rc = cli_usage_error("scenario new: code %ld is not in the catalog (%s)", code,
                             catalog_source(cat));
        goto out;
    }
    if (service >= 0 && ce->service != service) {
        rc = cli_usage_error("scenario new: code %ld belongs to service %02d, not %02ld", code,
                             ce->service, service);
        goto out;
    }
    id_from_message(ce->message, code, id, sizeof id);
    doc = json_pack("{s:[{s:s, s:I, s:s, s:s, s:{s:s, s:s}}]}", "scenarios", "id", id, "code",
                    (json_int_t)code, "title", ce->message ? ce->message : "", "class", cls,
                    "request", "method", METHOD_PLACEHOLDER, "path", PATH_PLACEHOLDER);
    text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (!text) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    {
        /* json_dumps ends without a newline; a file ends with one. */
        size_t len = strlen(text);
        char *t = realloc(text, len + 2);
        if (!t) {
            cli_error_nomem();
            rc = CLI_EXIT_ERROR;
            goto out;
        }
        text = t;
        memcpy(text + len, "\n", 2);
    }
    if (out_path) {
        rc = write_new(out_path, text);
    } else {
        fputs(text, stdout);
        rc = CLI_EXIT_OK;
    }
    if (rc == CLI_EXIT_OK)
        fprintf(stderr, "apiconform: fill in the request, then save it as suite/%02d/%ld.json\n",
                ce->service, code);
out:
    free(text);
    json_decref(doc);
    catalog_free(cat);
    return rc;
}
