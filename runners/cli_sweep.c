/* runners/cli_sweep.c -- apiconform sweep: delete what earlier runs left.
 *
 * Every name a run creates starts with "cf-" and carries the run id
 * ("cf-lb-r3f9a1c-17"). A run killed with SIGKILL cannot clean up; sweep
 * lists the account's resources, keeps those with such names (of one run
 * with --run-id) and deletes them, dependants first. Resources without a
 * name (IPs) cannot be told apart from the account's own and are left
 * alone. --dry-run only lists. The kinds of resource, how to list them and
 * how to delete one come from the teardown steps of the shipped suite's
 * fixtures and the contract's "lists" (kinds_from_fixtures), not from a
 * table here.
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
#include "../suite/suite.h"
#include "cli.h"
#include "cli_color.h"
#include "cli_opts.h"
#include "engine.h"
#include "profile.h"
#include "redact.h"

enum {
    OPT_BASE_URL = 256,
    OPT_TOKEN_ENV,
    OPT_KEY_ENV,
    OPT_SECRET_ENV,
    OPT_RUN_ID,
    OPT_DRY_RUN,
    OPT_CACERT,
    OPT_INSECURE,
    OPT_COLOR,
    OPT_PROFILE
};

static const struct cli_opt sweep_opts[] = {
    {"profile", required_argument, OPT_PROFILE, "FILE",
     "the target profile: its URL, credentials and TLS options"},
    {"base-url", required_argument, OPT_BASE_URL, "URL", "the target"},
    {"app-key-env", required_argument, OPT_KEY_ENV, "VAR", "the app key is in $VAR"},
    {"app-secret-env", required_argument, OPT_SECRET_ENV, "VAR", "the app secret is in $VAR"},
    {"token-env", required_argument, OPT_TOKEN_ENV, "VAR", "a token is in $VAR"},
    {"run-id", required_argument, OPT_RUN_ID, "ID", "only what the run with this id created"},
    {"dry-run", no_argument, OPT_DRY_RUN, NULL, "list what would be deleted; delete nothing"},
    {"cacert", required_argument, OPT_CACERT, "FILE", "CA certificates for https"},
    {"insecure", no_argument, OPT_INSECURE, NULL, "do not verify TLS certificates"},
    {"color", required_argument, OPT_COLOR, "WHEN",
     "colour the \"left\" lines: auto (default), always or never"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof sweep_opts / sizeof sweep_opts[0])

/* One kind of resource: how to list it and how to delete one. Kinds are
 * not written here: they come from the teardown steps of the suite's
 * fixtures (kinds_from_fixtures) and the contract's "lists". */
struct kind {
    char what[64];                /* "load balancer": the fixture's name, '-' as ' ' */
    char collection[256];         /* "/api/v1/nlb/loadbalancers": the DELETE path
                                     without its last segment */
    char list[320];               /* list path; {} stands for the offset of a paged list */
    long page_size;               /* items per page of a paged list (0: not paged) */
    char name_key[64];            /* member holding the name */
    char id_key[64];              /* member holding what the delete path takes */
    char del[512];                /* delete path; {} stands for the id */
    char header[64];              /* a header the delete sends ("namespace"), or "" */
    char header_key[64];          /* the member whose value it sends */
    const char *listed;           /* the contract's "listed" (borrowed), or NULL */
    const struct fixture *fx[16]; /* the fixtures deleting into this collection,
                                     and those whose resources go with it */
    size_t nfx;
    int done; /* already placed in the order */
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

/* The items of a list answer: the answer itself when it is an array, else
 * its first member that is one ({"total": 2, "volumes": [...]}). Borrowed. */
static json_t *items_of(json_t *root)
{
    const char *key;
    json_t *v;

    if (json_is_array(root))
        return root;
    json_object_foreach (root, key, v) {
        if (json_is_array(v))
            return v;
    }
    return NULL;
}

/* Lists every page first, then deletes: deleting while paging would shift
 * the pages under the listing. */
static void sweep_kind(struct sweep *sw, const struct kind *k)
{
    int page;
    json_t *found = json_array();

    if (engine_interrupted()) {
        not_looked_at(sw, k->what);
        json_decref(found);
        return;
    }
    for (page = 0; page < 100 && found; page++) {
        char path[512];
        json_t *root, *arr, *item;
        size_t i;

        char offset[32];

        snprintf(offset, sizeof offset, "%ld", page * k->page_size);
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
        arr = items_of(root);
        json_array_foreach (arr, i, item) {
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
        if (!strstr(k->list, "{}") || i < (size_t)k->page_size)
            break;
    }
    {
        json_t *item;
        size_t i;
        json_array_foreach (found, i, item) {
            char *name = scalar(json_object_get(item, k->name_key));
            char *id = scalar(json_object_get(item, k->id_key));
            char *hv = k->header[0] ? scalar(json_object_get(item, k->header_key)) : NULL;
            char del[600], header[300];
            /* A load balancer is deleted by its name, already checked. */
            if (strcmp(k->id_key, k->name_key) != 0 && !id_ok(id)) {
                left(sw, k->what, name, 0, "id", id, ID_RULE);
            } else if (hv && !header_ok(hv)) {
                left(sw, k->what, name, 0, k->header_key, hv, HEADER_RULE);
            } else if (id) {
                fill(k->del, id, del, sizeof del);
                snprintf(header, sizeof header, "%s: %s", k->header, hv ? hv : "");
                delete_one(sw, k->what, name, del, hv ? header : NULL);
            }
            free(name);
            free(id);
            free(hv);
        }
    }
    json_decref(found);
}

/* The NetEase walk of "listed": "per-namespace": services are listed under
 * each namespace (GET /api/v1/namespaces, then each one's microservices),
 * deleted by k's delete path, and the namespaces sweep made go last. */
static void sweep_services(struct sweep *sw, const struct kind *kd)
{
    json_t *nss = engine_interrupted() ? NULL : get_json(sw, "/api/v1/namespaces"), *ns, *svc;
    size_t i, k;

    if (!nss && engine_interrupted()) {
        not_looked_at(sw, kd->what);
        not_looked_at(sw, "namespace");
        return;
    }
    if (!nss) {
        sw->failed++;
        return;
    }
    json_array_foreach (json_object_get(nss, "namespaces"), i, ns) {
        char path[600], *nsid = scalar(json_object_get(ns, "id"));
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
        json_array_foreach (json_object_get(list, "microservice_infos"), k, svc) {
            char *name = scalar(json_object_get(svc, kd->name_key));
            char *id = scalar(json_object_get(svc, "id"));
            enum whose w = whose_name(sw, name);
            if (w == REFUSED) {
                left(sw, kd->what, name, 1, NULL, NULL, NAME_RULE);
            } else if (w == OURS && !id_ok(id)) {
                left(sw, kd->what, name, 0, "id", id, ID_RULE);
            } else if (w == OURS) {
                fill(kd->del, id, path, sizeof path);
                delete_one(sw, kd->what, name, path, NULL);
            }
            free(name);
            free(id);
        }
        json_decref(list);
        free(nsid);
    }
    json_array_foreach (json_object_get(nss, "namespaces"), i, ns) {
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

/* ---- the kinds, from the fixtures ---------------------------------------- */

/* The last token of a JSON Pointer: "/service_info/service_name" ->
 * "service_name". */
static void last_token(const char *ptr, char *out, size_t size)
{
    const char *t = strrchr(ptr, '/');

    snprintf(out, size, "%s", t ? t + 1 : ptr);
}

/* The pointer f's setup captures var with, or NULL. */
static const char *capture_of(const struct fixture *f, const char *var)
{
    size_t i, c;

    for (i = 0; f && i < f->nsetup; i++)
        for (c = 0; c < f->setup[i].ncaptures; c++)
            if (strcmp(f->setup[i].captures[c].name, var) == 0)
                return f->setup[i].captures[c].value;
    return NULL;
}

/* The first capture of f whose pointer ends in a member named "...name":
 * where the answers hold the name apiconform gave ("cf-..."). NULL when f
 * captures none: its resources carry no name (IPs) and are never swept. */
static const char *name_capture(const struct fixture *f)
{
    size_t i, c;
    char tok[64];

    for (i = 0; i < f->nsetup; i++)
        for (c = 0; c < f->setup[i].ncaptures; c++) {
            size_t n;
            last_token(f->setup[i].captures[c].value, tok, sizeof tok);
            n = strlen(tok);
            if (n >= 4 && strcmp(tok + n - 4, "name") == 0)
                return f->setup[i].captures[c].value;
        }
    return NULL;
}

/* 1 when tmpl is exactly "${NAME}", with NAME copied into var. */
static int whole_var(const char *tmpl, char *var, size_t size)
{
    size_t n = strlen(tmpl);

    if (n < 4 || strncmp(tmpl, "${", 2) != 0 || tmpl[n - 1] != '}' || n - 3 >= size ||
        memchr(tmpl + 2, '}', n - 3) || memchr(tmpl + 2, '$', n - 3))
        return 0;
    snprintf(var, size, "%.*s", (int)(n - 3), tmpl + 2);
    return 1;
}

static void add_fixture(struct kind *kd, const struct fixture *f)
{
    size_t i;

    for (i = 0; i < kd->nfx; i++)
        if (kd->fx[i] == f)
            return;
    if (kd->nfx < sizeof kd->fx / sizeof kd->fx[0])
        kd->fx[kd->nfx++] = f;
}

/* A kind for the DELETE step st of fixture f, whose path is collection
 * coll and then ${var}. 0, or -1 when sweep cannot list or delete by it
 * (f captures no name, or not where var comes from; a query value that is
 * a template). */
static int make_kind(const struct suite *s, const struct contract *k, const struct fixture *f,
                     const struct step *st, const char *coll, const char *var, struct kind *kd)
{
    const char *id = capture_of(f, var), *name = name_capture(f);
    const struct contract_collection *c = contract_collection(k, coll);
    struct ac_buf b = AC_BUF_INIT;
    size_t i;
    char *p;

    if (!id || !name)
        return -1;
    memset(kd, 0, sizeof *kd);
    snprintf(kd->what, sizeof kd->what, "%s", f->name);
    for (p = kd->what; *p; p++)
        if (*p == '-')
            *p = ' ';
    snprintf(kd->collection, sizeof kd->collection, "%s", coll);
    last_token(id, kd->id_key, sizeof kd->id_key);
    last_token(name, kd->name_key, sizeof kd->name_key);
    ac_buf_addf(&b, "%s/{}", coll);
    for (i = 0; i < st->nquery; i++) {
        if (strstr(st->query[i].value, "${")) {
            ac_buf_release(&b);
            return -1;
        }
        ac_buf_addf(&b, "%c%s=%s", i ? '&' : '?', st->query[i].name, st->query[i].value);
    }
    snprintf(kd->del, sizeof kd->del, "%s", b.data ? b.data : "");
    ac_buf_release(&b);
    for (i = 0; i < st->nheaders; i++) {
        char hv[64];
        const char *from = NULL;
        size_t fi;
        if (!whole_var(st->headers[i].value, hv, sizeof hv))
            continue;
        for (fi = 0; fi < suite_fixture_count(s) && !from; fi++)
            from = capture_of(suite_fixture_at(s, fi), hv);
        snprintf(kd->header, sizeof kd->header, "%s", st->headers[i].name);
        last_token(from ? from : st->headers[i].name, kd->header_key, sizeof kd->header_key);
        break;
    }
    kd->listed = c ? c->listed : NULL;
    kd->page_size = c ? c->page_size : 0;
    if (c && c->page_size && c->paged)
        snprintf(kd->list, sizeof kd->list, "%s?%s=%ld&%s={}", coll, k->limit_param, c->page_size,
                 k->offset_param);
    else if (c && c->page_size)
        snprintf(kd->list, sizeof kd->list, "%s?%s=%ld", coll, k->limit_param, c->page_size);
    else
        snprintf(kd->list, sizeof kd->list, "%s", coll);
    add_fixture(kd, f);
    return 0;
}

/* 1 when f needs the fixture named name, directly or through others. */
static int needs(const struct suite *s, const struct fixture *f, const char *name, int depth)
{
    size_t i;

    for (i = 0; f && depth < 64 && i < f->nneeds; i++)
        if (strcmp(f->needs[i], name) == 0 ||
            needs(s, suite_fixture(s, f->needs[i]), name, depth + 1))
            return 1;
    return 0;
}

/* 1 when a's resources must go before b's: something of a needs b. */
static int before(const struct suite *s, const struct kind *a, const struct kind *b)
{
    size_t i, j;

    for (i = 0; i < a->nfx; i++)
        for (j = 0; j < b->nfx; j++)
            if (needs(s, a->fx[i], b->fx[j]->name, 0))
                return 1;
    return 0;
}

#define MAX_KINDS 64

/* The kinds of resource the suite's fixtures create, dependants first.
 * Each fixture's teardown step "DELETE COLLECTION/${var}" names a
 * collection, listed with GET COLLECTION (paged as the contract's "lists"
 * say); var's capture names the member the delete takes, the fixture's
 * name capture the member holding the name. A DELETE below another
 * resource's path (a listener of a load balancer, a tag of a repository)
 * goes with that resource: its needs become that kind's. Fills out (in
 * deletion order) and returns how many. */
static size_t kinds_from_fixtures(const struct suite *s, const struct contract *k, struct kind *out,
                                  size_t max)
{
    struct kind kinds[MAX_KINDS];
    size_t n = 0, fi, t, i, placed;

    for (fi = 0; fi < suite_fixture_count(s); fi++) {
        const struct fixture *f = suite_fixture_at(s, fi);
        for (t = 0; t < f->nteardown; t++) {
            const struct step *st = &f->teardown[t];
            const char *slash = strrchr(st->path, '/');
            char var[64], coll[256];
            if (strcmp(st->method, "DELETE") != 0 || !slash ||
                !whole_var(slash + 1, var, sizeof var) || (size_t)(slash - st->path) >= sizeof coll)
                continue;
            snprintf(coll, sizeof coll, "%.*s", (int)(slash - st->path), st->path);
            if (strstr(coll, "${"))
                continue; /* below another resource: the second pass */
            for (i = 0; i < n && strcmp(kinds[i].collection, coll) != 0; i++)
                ;
            if (i < n)
                add_fixture(&kinds[i], f); /* one more fixture of that collection */
            else if (n < MAX_KINDS && make_kind(s, k, f, st, coll, var, &kinds[n]) == 0)
                n++;
        }
    }
    for (fi = 0; fi < suite_fixture_count(s); fi++) {
        const struct fixture *f = suite_fixture_at(s, fi);
        for (t = 0; t < f->nteardown; t++)
            for (i = 0; i < n; i++) {
                size_t cl = strlen(kinds[i].collection);
                const char *path = f->teardown[t].path;
                if (strcmp(f->teardown[t].method, "DELETE") == 0 &&
                    strncmp(path, kinds[i].collection, cl) == 0 &&
                    strncmp(path + cl, "/${", 3) == 0 && strchr(path + cl + 1, '/'))
                    add_fixture(&kinds[i], f);
            }
    }
    /* A stable topological order: of the kinds nothing left needs, the
     * first in fixtures.json order (a cycle takes the first left). */
    for (placed = 0; placed < n && placed < max; placed++) {
        size_t pick = n;
        for (i = 0; i < n && pick == n; i++) {
            size_t j;
            if (kinds[i].done)
                continue;
            for (j = 0; j < n; j++)
                if (j != i && !kinds[j].done && before(s, &kinds[j], &kinds[i]))
                    break;
            if (j == n)
                pick = i;
        }
        for (i = 0; i < n && pick == n; i++)
            if (!kinds[i].done)
                pick = i;
        kinds[pick].done = 1;
        out[placed] = kinds[pick];
    }
    return placed;
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
    struct suite *suite = NULL;
    struct kind kinds[MAX_KINDS];
    size_t i, nkinds;
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
    /* What to look for is what the shipped suite's fixtures create. */
    suite = cli_load_suite(NULL, NULL, &err);
    if (!suite) {
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    nkinds = kinds_from_fixtures(suite, contract_or_builtin(contract_active()), kinds, MAX_KINDS);
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
    for (i = 0; i < nkinds; i++) {
        if (kinds[i].listed && strcmp(kinds[i].listed, "per-namespace") == 0)
            sweep_services(&sw, &kinds[i]);
        else
            sweep_kind(&sw, &kinds[i]);
    }
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
    suite_free(suite);
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
