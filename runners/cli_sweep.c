/* runners/cli_sweep.c -- apiconform sweep: delete what earlier runs left.
 *
 * Every name a run creates starts with "cf-" and carries the run id
 * ("cf-lb-r3f9a1c-17"). A run killed with SIGKILL cannot clean up; sweep
 * lists the account's resources, keeps those with such names (of one run
 * with --run-id) and deletes them, dependants first. Resources without a
 * name (IPs) cannot be told apart from the account's own and are left
 * alone. --dry-run only lists. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ac.h"
#include "cli.h"
#include "cli_opts.h"
#include "engine.h"
#include "redact.h"

enum { OPT_BASE_URL = 256, OPT_TOKEN_ENV, OPT_KEY_ENV, OPT_SECRET_ENV, OPT_RUN_ID, OPT_DRY_RUN,
       OPT_CACERT, OPT_INSECURE };

static const struct cli_opt sweep_opts[] = {
    {"base-url", required_argument, OPT_BASE_URL, "URL", "the target"},
    {"app-key-env", required_argument, OPT_KEY_ENV, "VAR", "the app key is in $VAR"},
    {"app-secret-env", required_argument, OPT_SECRET_ENV, "VAR", "the app secret is in $VAR"},
    {"token-env", required_argument, OPT_TOKEN_ENV, "VAR", "a token is in $VAR"},
    {"run-id", required_argument, OPT_RUN_ID, "ID", "only what the run with this id created"},
    {"dry-run", no_argument, OPT_DRY_RUN, NULL, "list what would be deleted; delete nothing"},
    {"cacert", required_argument, OPT_CACERT, "FILE", "CA certificates for https"},
    {"insecure", no_argument, OPT_INSECURE, NULL, "do not verify TLS certificates"},
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
    size_t deleted, failed;
};

static int ours(const struct sweep *sw, const char *name)
{
    char tag[40];

    if (!name || strncmp(name, "cf-", 3) != 0)
        return 0;
    if (!sw->run_id)
        return 1;
    snprintf(tag, sizeof tag, "-%s-", sw->run_id);
    return strstr(name, tag) != NULL;
}

/* tmpl with its "{}" replaced by value. */
static void fill(const char *tmpl, const char *value, char *out, size_t size)
{
    const char *at = strstr(tmpl, "{}");

    if (!at)
        snprintf(out, size, "%s", tmpl);
    else
        snprintf(out, size, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + 2);
}

static char *scalar(json_t *v)
{
    struct ac_buf b = AC_BUF_INIT;

    if (json_is_string(v))
        ac_buf_adds(&b, json_string_value(v));
    else if (json_is_integer(v))
        ac_buf_addf(&b, "%lld", (long long)json_integer_value(v));
    else
        return NULL;
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

    for (page = 0; page < 100 && found; page++) {
        char path[256];
        json_t *root, *arr, *item;
        size_t i;

        char offset[16];

        snprintf(offset, sizeof offset, "%d", page * page_size);
        fill(k->list, offset, path, sizeof path);
        root = get_json(sw, path);
        if (!root) {
            sw->failed++;
            break;
        }
        arr = k->array[0] ? json_object_get(root, k->array + 1) : root;
        json_array_foreach(arr, i, item)
        {
            char *name = scalar(json_object_get(item, k->name_key));
            if (ours(sw, name))
                json_array_append(found, item);
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
            if (id) {
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
    json_t *nss = get_json(sw, "/api/v1/namespaces"), *ns, *svc;
    size_t i, k;

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
        snprintf(path, sizeof path, "/api/v1/namespaces/%s/microservices?offset=0&limit=1000",
                 nsid);
        list = get_json(sw, path);
        json_array_foreach(json_object_get(list, "microservice_infos"), k, svc)
        {
            char *name = scalar(json_object_get(svc, "service_name"));
            char *id = scalar(json_object_get(svc, "id"));
            if (ours(sw, name) && id) {
                snprintf(path, sizeof path, "/api/v1/microservices/%s?free_ip=true", id);
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
        if (ours(sw, name) && nsid) {
            snprintf(path, sizeof path, "/api/v1/namespaces/%s", nsid);
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

int cli_sweep(int argc, char **argv)
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
        case OPT_RUN_ID: sw.run_id = optarg; break;
        case OPT_DRY_RUN: sw.dry_run = 1; break;
        case OPT_CACERT: ec.cacert = optarg; break;
        case OPT_INSECURE: ec.insecure = 1; break;
        case 'h':
            fputs("Usage: apiconform sweep --base-url URL (--app-key-env K --app-secret-env S | "
                  "--token-env T) [--run-id ID] [--dry-run]\n"
                  "Delete what earlier runs left behind: resources named cf-... (of one run\n"
                  "with --run-id). IPs carry no name and are never touched.\n\nOptions:\n",
                  stdout);
            cli_opts_help(stdout, sweep_opts, NOPTS);
            return CLI_EXIT_OK;
        default: return cli_usage_error("sweep: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("sweep: unexpected argument '%s'", argv[optind]);
    if (!ec.base_url)
        return cli_usage_error("sweep: --base-url is required");
    if (!token_env && !(key_env && secret_env))
        return cli_usage_error("sweep: give --app-key-env and --app-secret-env, or --token-env");
    red = redact_new();
    sw.e = red ? engine_new(&ec, red, &err) : NULL;
    if (!sw.e) {
        cli_error("out of memory");
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
    printf("sweep: %zu deleted, %zu failed%s\n", sw.deleted, sw.failed,
           sw.dry_run ? " (dry run: nothing deleted)" : "");
    rc = sw.failed ? CLI_EXIT_ERROR : CLI_EXIT_OK;
out:
    engine_free(sw.e);
    redact_free(red);
    return rc;
}
