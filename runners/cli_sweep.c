/* runners/cli_sweep.c -- apiconform sweep: delete what earlier runs left.
 *
 * Every name a run creates starts with "cf-" and carries the run id
 * ("cf-lb-r3f9a1c-17"). A run killed with SIGKILL cannot clean up; sweep
 * lists the account's resources, keeps those with such names (of one run
 * with --run-id) and deletes them, dependants first. Resources without a
 * name (IPs) cannot be told apart from the account's own and are left
 * alone. --dry-run only lists.
 *
 * Everything the target lists is untrusted: a name, id or namespace sent
 * back in a path or a header must have the shape apiconform gives it, or
 * the item is left and a line says why. Otherwise a target could make
 * sweep delete what it never created ("cf-x/../../secret-keys/1"), add a
 * query ("7?all=true") or inject a header (CR LF in a namespace). */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ac.h"
#include "cli.h"
#include "cli_color.h"
#include "cli_opts.h"
#include "engine.h"
#include "profile.h"
#include "redact.h"

enum { OPT_BASE_URL = 256, OPT_TOKEN_ENV, OPT_KEY_ENV, OPT_SECRET_ENV, OPT_RUN_ID, OPT_DRY_RUN,
       OPT_CACERT, OPT_INSECURE, OPT_COLOR, OPT_PROFILE };

static const struct cli_opt sweep_opts[] = {
    {"profile", required_argument, OPT_PROFILE, "FILE", "the target profile: its URL, credentials and TLS options"},
    {"base-url", required_argument, OPT_BASE_URL, "URL", "the target"},
    {"app-key-env", required_argument, OPT_KEY_ENV, "VAR", "the app key is in $VAR"},
    {"app-secret-env", required_argument, OPT_SECRET_ENV, "VAR", "the app secret is in $VAR"},
    {"token-env", required_argument, OPT_TOKEN_ENV, "VAR", "a token is in $VAR"},
    {"run-id", required_argument, OPT_RUN_ID, "ID", "only what the run with this id created"},
    {"dry-run", no_argument, OPT_DRY_RUN, NULL, "list what would be deleted; delete nothing"},
    {"cacert", required_argument, OPT_CACERT, "FILE", "CA certificates for https"},
    {"insecure", no_argument, OPT_INSECURE, NULL, "do not verify TLS certificates"},
    {"color", required_argument, OPT_COLOR, "WHEN", "colour the \"left\" lines: auto (default), always or never"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof sweep_opts / sizeof sweep_opts[0])

/* One kind of resource: how to list it and how to delete one. */
struct kind {
    const char *what;     /* "load balancer" */
    const char *list;     /* list path, with the largest page the API allows;
                             {} stands for the offset of a paged list */
    const char *array;    /* JSON Pointer to the array in the answer */
    const char *name_key; /* member holding the name */
    const char *id_key;   /* member holding what the delete path takes */
    const char *del;      /* delete path; {} stands for the id */
    const char *ns_key;   /* member to send as the namespace header, or NULL */
};

/* Dependants first: listeners go with their load balancer, which must go
 * before the services it forwards to. Services are listed per namespace
 * (below); namespaces go last. */
static const struct kind kinds[] = {
    {"load balancer", "/api/v1/nlb/loadbalancers?limit=199", "", "name", "name",
     "/api/v1/nlb/loadbalancers/{}", "namespace"},
    {"certificate", "/api/v1/nlb/certs", "", "name", "id", "/api/v1/nlb/certs/{}", NULL},
    {"cloud volume", "/api/v1/cloud-volumes?limit=20&offset={}", "/volumes", "name", "id",
     "/api/v1/cloud-volumes/{}", NULL},
    {"secret key", "/api/v1/secret-keys", "", "name", "id", "/api/v1/secret-keys/{}", NULL},
    {"container", "/api/v1/containers?limit=30&offset={}", "/containers", "name", "id",
     "/api/v1/containers/{}", NULL},
    {"app", "/api/v1/apps?limit=30&offset={}", "/apps", "name", "id", "/api/v1/apps/{}", NULL},
    {"repository", "/api/v1/repositories?limit=30&offset={}", "/repositories", "repo_name",
     "repo_id", "/api/v1/repositories/{}", NULL},
};

struct sweep {
    struct engine *e;
    const char *run_id;
    int dry_run;
    size_t deleted, left, failed; /* deleted counts would-be deletions in a dry run;
                                     left: refused, with a reason */
    size_t not_deleted;           /* found, not deleted: the run was interrupted */
    struct ac_buf unlooked;       /* kinds not listed because of the interrupt */
    int color;                    /* colour the "left" lines (cli_color_on) */
};

/* What sweep may do with a name the target listed. */
enum whose { NOT_OURS, OURS, REFUSED };

/* SIGINT/SIGTERM: the request in flight is cut (engine_interrupt), nothing
 * more is sent, and what was not done is said. */
static void on_signal(int sig)
{
    (void)sig;
    engine_interrupt();
}

static void not_looked_at(struct sweep *sw, const char *what)
{
    ac_buf_addf(&sw->unlooked, "%s%s", sw->unlooked.len ? ", " : "", what);
}

#define NAME_RULE "not a name apiconform makes (cf-KIND-RUNID-N)"
#define ID_RULE "a decimal number of at most 18 digits"
#define HEADER_RULE "1-128 printable characters without spaces"

/* 1 when s[0..n) is a lower-case letter then letters and digits. */
static int is_word(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || s[0] < 'a' || s[0] > 'z')
        return 0;
    for (i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

static int is_number(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 9)
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Whether name is one the suite makes, and whose. The suite names what it
 * creates "cf-lb-${uniq}", "cf-key-${uniq}-${i}" or "cf-${uniq}-${i}",
 * where uniq is RUNID-N: "cf-", an optional kind (a word), the run id (a
 * word of at most 10 characters, as --run-id accepts), then one or two
 * numbers, joined by '-'. Anything else that starts with "cf-" is refused:
 * sweep cannot tell what it is, and its name may be built to leave the
 * path segment it would be sent in. */
static enum whose whose_name(const struct sweep *sw, const char *name)
{
    const char *tok[4], *p;
    size_t len[4], n = 0, words = 0, i;

    if (!name || strncmp(name, "cf-", 3) != 0)
        return NOT_OURS;
    if (strlen(name) > 64)
        return REFUSED;
    for (p = name + 3;; p++) {
        size_t k = strcspn(p, "-");
        if (n == 4)
            return REFUSED;
        tok[n] = p;
        len[n++] = k;
        p += k;
        if (!*p)
            break;
    }
    while (words < n && is_word(tok[words], len[words]))
        words++;
    if (words < 1 || words > 2 || n - words < 1 || n - words > 2 || len[0] > 16 ||
        len[words - 1] > 10)
        return REFUSED;
    for (i = words; i < n; i++)
        if (!is_number(tok[i], len[i]))
            return REFUSED;
    if (sw->run_id && (strlen(sw->run_id) != len[words - 1] ||
                       strncmp(sw->run_id, tok[words - 1], len[words - 1]) != 0))
        return NOT_OURS;
    return OURS;
}

/* Ids go into a delete path: digits only, so that no id can name another
 * path, add a query or overflow the target's integers. */
static int id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;

    return n >= 1 && n <= 18 && strspn(id, "0123456789") == n;
}

/* A value sent as a header: no CR, LF or other control byte could split
 * the request, no space or byte above 0x7e could confuse a proxy. */
static int header_ok(const char *v)
{
    size_t i, n = v ? strlen(v) : 0;

    if (n < 1 || n > 128)
        return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
            return 0;
    return 1;
}

/* Says what sweep left and why, one line, the target's text escaped for
 * the terminal: "left WHAT 'NAME': RULE" when the name is the problem,
 * else "left WHAT NAME: its FIELD 'VALUE' is not RULE" (NAME quoted when
 * quote is set: it was not checked). */
static void left(struct sweep *sw, const char *what, const char *name, int quote, const char *field,
                 const char *value, const char *rule)
{
    cli_color_put(stdout, sw->color, CLI_SGR_YELLOW, "left");
    printf(" %s %s", what, quote || !field ? "'" : "");
    ac_fput_safe(stdout, name);
    fputs(quote || !field ? "'" : "", stdout);
    if (!field) {
        printf(": %s\n", rule);
    } else if (value) {
        printf(": its %s '", field);
        ac_fput_safe(stdout, value);
        printf("' is not %s\n", rule);
    } else {
        printf(": its %s is missing, or neither a string nor an integer\n", field);
    }
    sw->left++;
}

/* tmpl with its "{}" replaced by value, percent-encoded as one path
 * segment (RFC 3986: everything but the unreserved characters). Values are
 * checked before they get here; the encoding keeps a check's gap from
 * becoming a different path. */
static void fill(const char *tmpl, const char *value, char *out, size_t size)
{
    const char *at = strstr(tmpl, "{}");
    struct ac_buf b = AC_BUF_INIT;
    const unsigned char *p;

    if (!at) {
        snprintf(out, size, "%s", tmpl);
        return;
    }
    ac_buf_add(&b, tmpl, (size_t)(at - tmpl));
    for (p = (const unsigned char *)value; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~')
            ac_buf_addc(&b, (char)*p);
        else
            ac_buf_addf(&b, "%%%02X", *p);
    }
    ac_buf_adds(&b, at + 2);
    snprintf(out, size, "%s", b.data ? b.data : "");
    ac_buf_release(&b);
}

/* A string or integer member as text, else NULL. A NUL inside a JSON
 * string would cut the C string short and hide what follows it from the
 * checks: DEL stands in for it, which no check accepts. */
static char *scalar(json_t *v)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    if (json_is_string(v)) {
        ac_buf_add(&b, json_string_value(v), json_string_length(v));
        for (i = 0; i < b.len; i++)
            if (b.data[i] == '\0')
                b.data[i] = 0x7f;
    } else if (json_is_integer(v)) {
        ac_buf_addf(&b, "%lld", (long long)json_integer_value(v));
    } else {
        return NULL;
    }
    return ac_buf_take(&b);
}

/* GETs path and returns the JSON answer (new reference) or NULL. */
static json_t *get_json(struct sweep *sw, const char *path)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf resp = AC_BUF_INIT;
    json_t *root = NULL;
    long status = 0;

    if (engine_request(sw->e, "GET", path, NULL, NULL, &status, &resp, &err) < 0) {
        cli_error_ac(&err);
    } else if (status < 200 || status > 299) {
        cli_error("GET %s answered %ld", path, status);
    } else {
        root = json_loadb(resp.data ? resp.data : "", resp.len, 0, NULL);
        if (!root)
            cli_error("GET %s: the answer is not JSON", path);
    }
    ac_buf_release(&resp);
    return root;
}

static void delete_one(struct sweep *sw, const char *what, const char *name, const char *path,
                       const char *header)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf resp = AC_BUF_INIT;
    long status = 0;

    if (sw->dry_run) {
        printf("would delete %s %s\n", what, name);
        sw->deleted++;
        return;
    }
    if (engine_interrupted()) {
        printf("not deleted (interrupted): %s ", what);
        ac_fput_safe(stdout, name ? name : "?");
        putchar('\n');
        sw->not_deleted++;
        return;
    }
    if (engine_request(sw->e, "DELETE", path, header, NULL, &status, &resp, &err) < 0 ||
        status < 200 || status > 299) {
        printf("could not delete %s %s: %s %ld\n", what, name, path, status);
        sw->failed++;
    } else {
        printf("deleted %s %s\n", what, name);
        sw->deleted++;
    }
    ac_buf_release(&resp);
}

/* Lists every page first, then deletes: deleting while paging would shift
 * the pages under the listing. */
static void sweep_kind(struct sweep *sw, const struct kind *k)
{
    int page_size = strstr(k->list, "limit=20") ? 20 : 30, page;
    json_t *found = json_array();

    if (engine_interrupted()) {
        not_looked_at(sw, k->what);
        json_decref(found);
        return;
    }
    for (page = 0; page < 100 && found; page++) {
        char path[256];
        json_t *root, *arr, *item;
        size_t i;

        char offset[16];

        snprintf(offset, sizeof offset, "%d", page * page_size);
        fill(k->list, offset, path, sizeof path);
        root = get_json(sw, path);
        if (!root && engine_interrupted()) {
            not_looked_at(sw, k->what); /* a part of a list is not the list */
            json_array_clear(found);
            break;
        }
        if (!root) {
            sw->failed++;
            break;
        }
        arr = k->array[0] ? json_object_get(root, k->array + 1) : root;
        json_array_foreach(arr, i, item)
        {
            char *name = scalar(json_object_get(item, k->name_key));
            enum whose w = whose_name(sw, name);
            if (w == OURS)
                json_array_append(found, item);
            else if (w == REFUSED)
                left(sw, k->what, name, 1, NULL, NULL, NAME_RULE);
            free(name);
        }
        i = json_array_size(arr);
        json_decref(root);
        if (!strstr(k->list, "{}") || i < (size_t)page_size)
            break;
    }
    {
        json_t *item;
        size_t i;
        json_array_foreach(found, i, item)
        {
            char *name = scalar(json_object_get(item, k->name_key));
            char *id = scalar(json_object_get(item, k->id_key));
            char *ns = k->ns_key ? scalar(json_object_get(item, k->ns_key)) : NULL;
            char del[512], header[300];
            /* A load balancer is deleted by its name, already checked. */
            if (strcmp(k->id_key, k->name_key) != 0 && !id_ok(id)) {
                left(sw, k->what, name, 0, "id", id, ID_RULE);
            } else if (ns && !header_ok(ns)) {
                left(sw, k->what, name, 0, "namespace", ns, HEADER_RULE);
            } else if (id) {
                fill(k->del, id, del, sizeof del);
                snprintf(header, sizeof header, "namespace: %s", ns ? ns : "");
                delete_one(sw, k->what, name, del, ns ? header : NULL);
            }
            free(name);
            free(id);
            free(ns);
        }
    }
    json_decref(found);
}

static void sweep_services(struct sweep *sw)
{
    json_t *nss = engine_interrupted() ? NULL : get_json(sw, "/api/v1/namespaces"), *ns, *svc;
    size_t i, k;

    if (!nss && engine_interrupted()) {
        not_looked_at(sw, "service");
        not_looked_at(sw, "namespace");
        return;
    }
    if (!nss) {
        sw->failed++;
        return;
    }
    json_array_foreach(json_object_get(nss, "namespaces"), i, ns)
    {
        char path[256], *nsid = scalar(json_object_get(ns, "id"));
        json_t *list;
        if (!nsid)
            continue;
        if (!id_ok(nsid)) {
            char *name = scalar(json_object_get(ns, "display_name"));
            left(sw, "the services of namespace", name, 1, "id", nsid, ID_RULE);
            free(name);
            free(nsid);
            continue;
        }
        fill("/api/v1/namespaces/{}/microservices?offset=0&limit=1000", nsid, path, sizeof path);
        list = get_json(sw, path);
        json_array_foreach(json_object_get(list, "microservice_infos"), k, svc)
        {
            char *name = scalar(json_object_get(svc, "service_name"));
            char *id = scalar(json_object_get(svc, "id"));
            enum whose w = whose_name(sw, name);
            if (w == REFUSED) {
                left(sw, "service", name, 1, NULL, NULL, NAME_RULE);
            } else if (w == OURS && !id_ok(id)) {
                left(sw, "service", name, 0, "id", id, ID_RULE);
            } else if (w == OURS) {
                fill("/api/v1/microservices/{}?free_ip=true", id, path, sizeof path);
                delete_one(sw, "service", name, path, NULL);
            }
            free(name);
            free(id);
        }
        json_decref(list);
        free(nsid);
    }
    json_array_foreach(json_object_get(nss, "namespaces"), i, ns)
    {
        char path[256], *nsid = scalar(json_object_get(ns, "id"));
        char *name = scalar(json_object_get(ns, "display_name"));
        enum whose w = whose_name(sw, name);
        if (w == REFUSED) {
            left(sw, "namespace", name, 1, NULL, NULL, NAME_RULE);
        } else if (w == OURS && !id_ok(nsid)) {
            left(sw, "namespace", name, 0, "id", nsid, ID_RULE);
        } else if (w == OURS) {
            fill("/api/v1/namespaces/{}", nsid, path, sizeof path);
            delete_one(sw, "namespace", name, path, NULL);
        }
        free(nsid);
        free(name);
    }
    json_decref(nss);
}

/* 1 (and says so) when a credential is too short to be masked in every
 * output (see redact.h). */
static int too_short(const char *var, const char *v)
{
    if (strlen(v) >= REDACT_MIN_SECRET)
        return 0;
    cli_error("environment variable %s holds a credential of %zu bytes: at least %d are "
              "needed to keep it out of every output",
              var, strlen(v), REDACT_MIN_SECRET);
    return 1;
}

static int sweep_main(int argc, char **argv)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    const char *token_env = NULL, *key_env = NULL, *secret_env = NULL;
    struct engine_config ec;
    struct ac_error err = AC_ERROR_INIT;
    struct redactor *red = NULL;
    struct sweep sw;
    size_t i;
    int opt, rc = CLI_EXIT_USAGE;
    enum cli_color_mode color = CLI_COLOR_AUTO;

    memset(&ec, 0, sizeof ec);
    memset(&sw, 0, sizeof sw);
    ec.jobs = 1;
    ec.timeout_ms = 30000;
    ec.connect_timeout_ms = 5000;
    cli_opts_build(sweep_opts, NOPTS, longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_BASE_URL: ec.base_url = optarg; break;
        case OPT_TOKEN_ENV: token_env = optarg; break;
        case OPT_KEY_ENV: key_env = optarg; break;
        case OPT_SECRET_ENV: secret_env = optarg; break;
        case OPT_RUN_ID:
            if (!cli_run_id_valid(optarg))
                return cli_usage_error("--run-id: expected 1-10 lower-case letters and digits, "
                                       "starting with a letter, got '%s'",
                                       optarg);
            sw.run_id = optarg;
            break;
        case OPT_DRY_RUN: sw.dry_run = 1; break;
        case OPT_CACERT: ec.cacert = optarg; break;
        case OPT_INSECURE: ec.insecure = 1; break;
        case OPT_COLOR:
            if (cli_color_parse("sweep", optarg, &color))
                return CLI_EXIT_USAGE;
            break;
        case OPT_PROFILE: break; /* taken out by profile_argv */
        case 'h':
            fputs("Usage: apiconform sweep --base-url URL (--app-key-env K --app-secret-env S | "
                  "--token-env T) [--run-id ID] [--dry-run]\n"
                  "Delete what earlier runs left behind: resources named cf-... (of one run\n"
                  "with --run-id). IPs carry no name and are never touched. A name starting\n"
                  "with cf- that apiconform does not make, an id that is not a number or a\n"
                  "namespace that cannot be a header is left, with a line saying why.\n"
                  "Exit status: 0 everything found was deleted; 2 usage error; 3 a list or a\n"
                  "delete failed, or something was left.\n\nOptions:\n",
                  stdout);
            cli_opts_help(stdout, sweep_opts, NOPTS);
            return CLI_EXIT_OK;
        default: return cli_opts_error("sweep", opt, argv, sweep_opts, NOPTS);
        }
    }
    if (optind < argc)
        return cli_usage_error("sweep: unexpected argument '%s'", argv[optind]);
    sw.color = cli_color_on(color, stdout);
    if (!ec.base_url)
        return cli_usage_error("sweep: --base-url is required");
    if (cli_base_url_check(ec.base_url) != 0)
        return CLI_EXIT_USAGE;
    if (!token_env && !key_env) {
        /* The same default variables as run. */
        const char *t = getenv("APICONFORM_TOKEN");
        const char *k = getenv("APICONFORM_APP_KEY"), *s2 = getenv("APICONFORM_APP_SECRET");
        if (t && *t)
            token_env = "APICONFORM_TOKEN";
        else if (k && *k && s2 && *s2) {
            key_env = "APICONFORM_APP_KEY";
            secret_env = "APICONFORM_APP_SECRET";
        }
    }
    if (!token_env && !(key_env && secret_env))
        return cli_usage_error("sweep: no credentials: set APICONFORM_APP_KEY and "
                               "APICONFORM_APP_SECRET (or APICONFORM_TOKEN), or give "
                               "--app-key-env and --app-secret-env, or --token-env");
    {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
    }
    red = redact_new();
    sw.e = red ? engine_new(&ec, red, &err) : NULL;
    if (!sw.e) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    if (token_env) {
        const char *t = getenv(token_env);
        if (!t || !*t) {
            cli_error("environment variable %s is not set", token_env);
            goto out;
        }
        if (too_short(token_env, t))
            goto out;
        engine_set_token(sw.e, NULL, t);
    } else {
        const char *k = getenv(key_env), *s = getenv(secret_env);
        if (!k || !*k || !s || !*s) {
            cli_error("environment variable %s or %s is not set", key_env, secret_env);
            goto out;
        }
        if (too_short(key_env, k) || too_short(secret_env, s))
            goto out;
        if (engine_fetch_token(sw.e, NULL, k, s, &err) < 0) {
            cli_error_ac(&err);
            rc = CLI_EXIT_ERROR;
            goto out;
        }
    }
    sweep_kind(&sw, &kinds[0]);
    sweep_services(&sw);
    for (i = 1; i < sizeof kinds / sizeof kinds[0]; i++)
        sweep_kind(&sw, &kinds[i]);
    if (engine_interrupted()) {
        printf("sweep interrupted: %zu deleted, %zu failed, %zu found and not deleted, "
               "%zu left\n",
               sw.deleted, sw.failed, sw.not_deleted, sw.left);
        if (sw.unlooked.len)
            printf("not looked at: %s\n", sw.unlooked.data);
        printf("run the same apiconform sweep again to delete the rest\n");
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    if (sw.dry_run)
        printf("sweep: would delete %zu, %zu left, %zu failed (dry run: nothing deleted)\n",
               sw.deleted, sw.left, sw.failed);
    else
        printf("sweep: %zu deleted, %zu left, %zu failed\n", sw.deleted, sw.left, sw.failed);
    /* What was left may be ours: the account is not known to be clean. */
    rc = sw.failed || sw.left ? CLI_EXIT_ERROR : CLI_EXIT_OK;
out:
    engine_free(sw.e);
    redact_free(red);
    ac_buf_release(&sw.unlooked);
    return rc;
}

const struct cli_opt *cli_sweep_options(size_t *n)
{
    *n = NOPTS;
    return sweep_opts;
}

/* As for run: the profile's options first, the user's winning. */
int cli_sweep(int argc, char **argv)
{
    struct ac_error err = AC_ERROR_INIT;
    struct profile *prof = NULL;
    char **pargv = NULL;
    int pargc = 0, rc;

    if (profile_argv(argc, argv, PROFILE_FOR_SWEEP, &prof, &pargc, &pargv, &err) < 0) {
        if (err.code == AC_ERR_USAGE)
            return cli_usage_error("sweep: %s", err.text);
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    rc = sweep_main(pargc, pargv);
    profile_argv_free(pargv);
    profile_free(prof);
    return rc;
}
